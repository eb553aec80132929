import { execFileSync, spawn } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ansiCQuote, remoteCommand, scriptPrelude } from './remote-command.js';

/** What bash makes of `text` (a prelude, then a script that prints variables). */
function bash(text: string): string {
  return execFileSync('bash', ['--noprofile', '--norc', '-c', text], { encoding: 'utf8', env: {} });
}

describe('ansiCQuote', () => {
  it('round-trips any value through bash, on one line', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }).filter((value) => !value.includes('\0')),
        (value) => {
          const quoted = ansiCQuote(value);
          expect(quoted).not.toMatch(/[\n\r]/);
          expect(bash(`v=${quoted}; printf %s "$v"`)).toBe(value);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('scriptPrelude', () => {
  it('exports the environment on the first line, so line 1 of the script is still line 1', () => {
    const prelude = scriptPrelude({ A: "it's", B: 'two\nlines', C: '$(touch /tmp/nope) `x`' });
    expect(prelude).not.toContain('\n');
    // fd 5 is not open here; `exec 5<&-` is still fine.
    expect(bash(`${prelude}echo "$LINENO [$A] [$B] [$C]"`)).toBe(
      "1 [it's] [two\nlines] [$(touch /tmp/nope) `x`]\n",
    );
  });

  it('refuses names bash cannot export and values it cannot hold', () => {
    expect(() => scriptPrelude({ 'BAD-NAME': 'x' })).toThrow(/not a valid environment variable name/);
    expect(() => scriptPrelude({ UID: '0' })).toThrow(/does not allow setting UID/);
    expect(() => scriptPrelude({ A: 'a\0b' })).toThrow(/NUL/);
  });
});

describe('remoteCommand', () => {
  it('puts only the byte count and grace period on the command line, never script text', () => {
    const command = remoteCommand(1234, 5);
    expect(command).toMatch(/^exec bash --noprofile --norc -c '[^']*' guard-ssh-step 1234 5$/);
  });

  it('runs a script read whole from stdin with stdin of its own empty, under a POSIX sh', async () => {
    const script = `${scriptPrelude({ GREETING: 'hi' })}echo "$GREETING $LINENO"; cat; echo "end $0"\n`;
    const run = await launch(script, Buffer.byteLength(script));
    expect(run).toEqual({ code: 0, signal: null, stdout: 'hi 1\nend /dev/fd/5\n', stderr: '' });
  });

  it('runs nothing of a script that arrives incomplete', async () => {
    const script = 'echo ran\n';
    // The connection ends after 9 of the 19 bytes announced.
    const run = await launch(script, script.length + 10, null);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('arrived incomplete (9 of 19 bytes); nothing was run');
  });

  it('stops the script and what it started when the lifeline (stdin) closes mid-run', async () => {
    const script = 'echo started\nsleep 30 & sleep 30\necho never\n';
    const run = await launch(script, script.length, 'started');
    expect(run).toMatchObject({ signal: 'SIGTERM', stdout: 'started\n' });
  });
});

/**
 * Runs the remote command under `sh` in a session of its own, as sshd does (the lifeline signals its
 * process group, which must not be the test's). stdin stays open until the script exits, or until
 * `closeAfter` is printed (null: right after the script is written).
 */
function launch(
  script: string,
  bytes: number,
  closeAfter?: string | null,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', remoteCommand(bytes, 1)], { detached: true, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      if (typeof closeAfter === 'string' && stdout.includes(closeAfter)) child.stdin.end();
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      child.stdin.end();
      child.on('close', () => resolve({ code, signal, stdout, stderr }));
    });
    child.stdin.write(script);
    if (closeAfter === null) child.stdin.end();
  });
}
