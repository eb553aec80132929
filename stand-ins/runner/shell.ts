// `shell:` of a run step, as the runner's ScriptHandler treats it: built-in templates for bash/sh/python,
// any other value is `COMMAND [ARGS]` with `{0}` for the script path; the command is resolved through the
// step's PATH (so an action can put its own `guard` on GITHUB_PATH and name it in `shell:`).
import { access, constants, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

const BUILT_IN: Record<string, { args: string; extension: string }> = {
  bash: { args: '--noprofile --norc -eo pipefail {0}', extension: '.sh' },
  sh: { args: '-e {0}', extension: '.sh' },
  python: { args: '{0}', extension: '.py' },
};

export interface ShellCommand {
  command: string;
  /** Argument template; `{0}` is replaced by the script path. */
  args: string;
  extension: string;
}

/** Splits a `shell:` value. Unset means `bash -e {0}` (or `sh -e {0}` without bash), as on GitHub. */
export function parseShell(shell: string | undefined, bashAvailable: boolean): ShellCommand {
  if (shell === undefined || shell.trim() === '') {
    return bashAvailable
      ? { command: 'bash', args: '-e {0}', extension: '.sh' }
      : { command: 'sh', args: '-e {0}', extension: '.sh' };
  }
  const trimmed = shell.trim();
  const space = trimmed.indexOf(' ');
  const command = space < 0 ? trimmed : trimmed.slice(0, space);
  const builtIn = BUILT_IN[command];
  if (space < 0 && builtIn !== undefined) return { command, ...builtIn };
  return { command, args: space < 0 ? '' : trimmed.slice(space + 1), extension: builtIn?.extension ?? '' };
}

/** Formats the argument template and splits it like a command line (double and single quotes group). */
export function formatArgs(template: string, scriptPath: string): string[] {
  const text = template.replace(/\{0\}/g, scriptPath);
  const args: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (const ch of text) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (ch === ' ' || ch === '\t') {
      if (started || current !== '') args.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
    }
  }
  if (started || current !== '') args.push(current);
  return args;
}

/** Resolves a command through PATH like the runner's WhichUtil; undefined when not found. */
export async function which(command: string, pathValue: string): Promise<string | undefined> {
  if (command.includes('/')) return (await isExecutable(command)) ? command : undefined;
  for (const dir of pathValue.split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, command);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
