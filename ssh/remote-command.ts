// What guard asks the remote host to run, and the text that goes before the script. Pure: strings only.
//
// The remote login shell runs `exec bash -c LAUNCHER guard-ssh-step BYTES GRACE`. The launcher reads
// exactly BYTES of script from the channel's stdin into memory (all of it, or nothing runs: a script cut
// short by a dropped connection could do half of a destructive change) and hands it to the step's bash on
// fd 5, so the script is never in the remote's argv or process list, never on its disk, and the script's
// own stdin is /dev/null (as for local steps). The same helper then holds the channel's stdin open as a
// lifeline: when it reaches EOF while the script still runs (guard cancelled the step, or the connection
// to guard is gone), it sends SIGTERM to the step's process group and SIGKILL after GRACE seconds. That
// works for every account, root included, unlike SSH "signal" requests, which OpenSSH ignores for root.
import { BASH_ARGS } from '../shell-proxy/run-script.js';

/** Exit status of a step whose script did not arrive whole (what `ssh` itself uses for its own errors). */
export const INCOMPLETE_SCRIPT_EXIT = 255;

/** bash; single-quoted as a whole in the remote command, so it holds no single quote. */
const LAUNCHER = [
  'exec 4<&0 </dev/null',
  [
    'exec 5< <(',
    'export LC_ALL=C; ',
    's=$(head -c "$1" <&4; echo .); s=${s%.}; ',
    'if [ "${#s}" = "$1" ]; then printf %s "$s"; ',
    `else echo "guard: the step script arrived incomplete (\${#s} of $1 bytes); nothing was run" >&2; echo "exit ${INCOMPLETE_SCRIPT_EXIT}"; fi; `,
    'exec >/dev/null 2>&1 </dev/null; trap "" TERM INT HUP; ',
    'while IFS= read -r -u 4 _; do :; done; ',
    'if kill -0 "$$" 2>/dev/null; then kill -TERM 0; sleep "$2"; kill -KILL 0; fi',
    ')',
  ].join(''),
  `exec bash ${BASH_ARGS.join(' ')} /dev/fd/5 4<&-`,
].join('\n');

/**
 * The command for the remote login shell (any POSIX shell: sh, dash, bash, zsh, ksh); the host needs bash
 * and `head`. `scriptBytes` is the length of prelude + script; `killGraceSeconds` how long the step's
 * processes get between SIGTERM and SIGKILL when it is cancelled.
 */
export function remoteCommand(scriptBytes: number, killGraceSeconds: number): string {
  if (!Number.isSafeInteger(scriptBytes) || scriptBytes < 0)
    throw new TypeError('scriptBytes must be a byte count');
  if (!Number.isInteger(killGraceSeconds) || killGraceSeconds < 1)
    throw new TypeError('killGraceSeconds must be >= 1');
  return `exec bash --noprofile --norc -c '${LAUNCHER}' guard-ssh-step ${scriptBytes} ${killGraceSeconds}`;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** bash refuses to assign these; the step would stop before its first line. */
const READ_ONLY = new Set(['BASHOPTS', 'BASH_VERSINFO', 'EUID', 'PPID', 'SHELLOPTS', 'UID']);

/**
 * The text sent before the script, on the script's first line so the script's line numbers stay its own:
 * it closes fd 5 (so nothing the script starts holds the script's pipe) and exports `env`. Values go here,
 * not into the remote command, because a command line is visible to every user of the remote host and
 * OpenSSH accepts only the variables its AcceptEnv lists.
 */
export function scriptPrelude(env: Readonly<Record<string, string>> = {}): string {
  const exports = Object.entries(env).map(([name, value]) => {
    if (!ENV_NAME.test(name))
      throw new TypeError(`ssh step: '${name}' is not a valid environment variable name`);
    if (READ_ONLY.has(name)) throw new TypeError(`ssh step: bash does not allow setting ${name}`);
    if (value.includes('\0')) throw new TypeError(`ssh step: the value of ${name} contains a NUL byte`);
    return `${name}=${ansiCQuote(value)}`;
  });
  return `exec 5<&-; ${exports.length > 0 ? `export ${exports.join(' ')}; ` : ''}`;
}

/** bash's $'...' quoting: every value stays on one line, whatever it holds. */
export function ansiCQuote(value: string): string {
  let out = "$'";
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\' || char === "'") out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return `${out}'`;
}
