// What a hook prints lands in the job log's "Pre Job Hook"/"Post Job Hook" step, where workflow commands
// work; and what it exports through GITHUB_ENV reaches the job's steps. Nothing here ever sees a credential.
import { appendFile } from 'node:fs/promises';

export interface HookOutput {
  info(line: string): void;
  error(message: string): void;
}

export function hookOutput(stream: NodeJS.WritableStream): HookOutput {
  return {
    info: (line) => stream.write(`${line}\n`),
    error: (message) => stream.write(`::error title=guard runner hook::${escapeData(message)}\n`),
  };
}

/** Workflow command data escaping, as the runner un-escapes it. */
export function escapeData(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Adds variables for the job's later steps (single-line values only; nothing secret is ever exported). */
export async function exportToJob(env: NodeJS.ProcessEnv, values: Record<string, string>): Promise<void> {
  const file = env.GITHUB_ENV;
  if (!file) return;
  const lines = Object.entries(values)
    .filter(([, value]) => !/[\r\n]/.test(value))
    .map(([key, value]) => `${key}=${value}\n`)
    .join('');
  await appendFile(file, lines);
}

/** The hook's own time limit: aborts every call with an error that says which limit passed. */
export function hookDeadline(ms: number, makeError: () => Error): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(makeError()), ms);
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
