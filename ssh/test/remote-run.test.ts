// SSH steps against a real OpenSSH server: output streamed and masked on its way to the runner and the
// recording, exit status and signals, host key pinning that refuses before anything runs, cancellation
// that stops the remote processes, and a private key that never shows up anywhere.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardError } from '../../lib/errors.js';
import { createMasker, type Masker } from '../../masking/masker.js';
import { openStepRecording, type StepRecording } from '../../recording/recording-files.js';
import { runRemoteScript, type RunRemoteScriptOptions } from '../remote-run.js';
import type { SshTarget } from '../ssh-target.js';
import { generateKey, hasSshd, startSshd, type TestSshd } from './sshd.js';

it.runIf(process.env.GUARD_REQUIRE_SSHD === '1')(
  'an OpenSSH server is installed (GUARD_REQUIRE_SSHD=1)',
  () => {
    expect(
      hasSshd,
      'GUARD_REQUIRE_SSHD=1 but /usr/sbin/sshd or ssh-keygen is missing: apt-get install -y openssh-server',
    ).toBe(true);
  },
);

class Collect extends Writable {
  text = '';
  readonly chunks: { at: number; text: string }[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    this.chunks.push({ at: Date.now(), text: chunk.toString('utf8') });
    done();
  }
  async waitFor(needle: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.text.includes(needle)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for '${needle}' in:\n${this.text}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** The output text of a .cast recording, events joined (a partial-line release splits a line in two). */
function castOutput(cast: string): string {
  return cast
    .trimEnd()
    .split('\n')
    .filter((line) => line.startsWith('['))
    .map((line) => JSON.parse(line) as [number, string, unknown])
    .filter(([, type]) => type === 'o')
    .map(([, , text]) => String(text))
    .join('');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

describe.runIf(hasSshd)('runRemoteScript against a real sshd', () => {
  let sshd: TestSshd;
  let work: string;
  let target: SshTarget;
  let castCount = 0;

  beforeAll(async () => {
    sshd = await startSshd({ passphrase: 'open sesame for the deploy key' });
    work = await mkdtemp(join(tmpdir(), 'guard-ssh-test-'));
    target = {
      host: sshd.host,
      port: sshd.port,
      username: sshd.user,
      privateKey: sshd.clientKey,
      passphrase: sshd.clientPassphrase ?? '',
      hostKeys: [sshd.hostKey],
    };
  });
  afterAll(async () => {
    await sshd?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function run(
    script: string,
    extra: Partial<RunRemoteScriptOptions> & { masker?: Masker; recording?: StepRecording } = {},
  ) {
    const stdout = new Collect();
    const stderr = new Collect();
    const castPath = join(work, `${++castCount}.cast`);
    const recording =
      extra.recording ??
      (await openStepRecording(castPath, { cols: 120, rows: 40, title: 'ssh' }, { mode: 'strict' }));
    const promise = runRemoteScript({
      target,
      script: Buffer.from(script),
      masker: extra.masker ?? createMasker(),
      recording,
      strict: true,
      stdout,
      stderr,
      ...extra,
    });
    const finish = async () => {
      const result = await promise;
      if (!extra.recording) await recording.close();
      const cast = extra.recording ? '' : castOutput(await readFile(castPath, 'utf8'));
      return { result, cast };
    };
    /** For a step that must be refused before it runs: the error, with the recording closed. */
    const refusal = async (): Promise<GuardError> => {
      try {
        await promise;
      } catch (error) {
        expect(error).toBeInstanceOf(GuardError);
        return error as GuardError;
      } finally {
        if (!extra.recording) await recording.close();
      }
      throw new Error('the step ran; it should have been refused');
    };
    return { stdout, stderr, finish, refusal };
  }

  it('streams output as the remote script writes it, masking a secret split across writes', async () => {
    const secret = 'tok-9f8e7d6c5b4a3210';
    const masker = createMasker({ secrets: [secret] });
    const started = Date.now();
    const step = await run(
      [
        'echo first line',
        'sleep 1',
        // The secret arrives in two writes 300 ms apart, longer than the partial-line release delay.
        `printf 'value=${secret.slice(0, 8)}'`,
        'sleep 0.3',
        `printf '${secret.slice(8)} done\\n'`,
        `echo "stderr ${secret}" >&2`,
      ].join('\n'),
      { masker },
    );
    await step.stdout.waitFor('first line');
    const firstAt = Date.now() - started;
    const { result, cast } = await step.finish();
    expect(result).toEqual({ exitCode: 0, signal: null });
    // Streamed: the first line reached the runner well before the script (which sleeps 1.3 s) ended.
    expect(firstAt).toBeLessThan(Date.now() - started - 900);
    expect(step.stdout.text).toBe('first line\nvalue=*** done\n');
    expect(step.stderr.text).toBe('stderr ***\n');
    expect(cast).toContain('value=*** done');
    expect(cast).toContain('stderr ***');
    for (const text of [step.stdout.text, step.stderr.text, cast]) {
      expect(text).not.toContain(secret.slice(0, 8));
      expect(text).not.toContain(secret.slice(8));
    }
    expect(masker.counts().secret).toBeGreaterThanOrEqual(2);
  });

  it('reports the remote exit status and a signal the way a local step does', async () => {
    expect((await (await run('echo hi\nexit 7\necho never')).finish()).result).toEqual({
      exitCode: 7,
      signal: null,
    });
    const errexit = await run('false\necho after-false');
    expect((await errexit.finish()).result.exitCode).toBe(1);
    expect(errexit.stdout.text).toBe('');
    const pipefail = await run('false | true\necho after-pipe');
    expect((await pipefail.finish()).result.exitCode).toBe(1);
    expect(pipefail.stdout.text).toBe('');
    expect((await (await run('kill -TERM $$')).finish()).result).toEqual({
      exitCode: 143,
      signal: 'SIGTERM',
    });
  });

  it('keeps the script off stdin and out of argv, exports env on the first line, keeps line numbers', async () => {
    const step = await run(
      [
        'echo "line $LINENO: [$GREETING] [$ODD]"',
        'rest=$(cat); echo "stdin=[$rest]"',
        // Nothing on the host shows the script text in a command line.
        'ps -o args= -p $$ | grep -c "stdin=" || true',
        'echo "line $LINENO"',
      ].join('\n'),
      { env: { GREETING: 'hello world', ODD: "it's $HOME `x`\nsecond" } },
    );
    const { result } = await step.finish();
    expect(result.exitCode).toBe(0);
    expect(step.stdout.text).toBe("line 1: [hello world] [it's $HOME `x`\nsecond]\nstdin=[]\n0\nline 4\n");
  });

  it('refuses a host whose key is not pinned, before anything runs and before the key is offered', async () => {
    const other = await generateKey(work, 'not-the-host');
    const marker = join(work, 'ran-on-wrong-host');
    const logBefore = sshd.log().length;
    const step = await run(`touch ${marker}`, {
      target: { ...target, hostKeys: [other.publicKey] },
    });
    const error = await step.refusal();
    expect(error.code).toBe('SSH_HOST_KEY_MISMATCH');
    expect(error.message).toMatch(/presented host key ssh-ed25519 SHA256:\S+, which is not pinned/);
    expect(error.message).toContain('nothing was run');
    expect(existsSync(marker)).toBe(false);
    expect(sshd.log().slice(logBefore)).not.toMatch(/Accepted publickey|Failed publickey/);
  });

  it('refuses a host that has none of the pinned key types', async () => {
    const rsaOnly = `ssh-rsa ${Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsa'), Buffer.alloc(40, 1)]).toString('base64')}`;
    const step = await run('true', { target: { ...target, hostKeys: [rsaOnly] } });
    const error = await step.refusal();
    expect(error.code).toBe('SSH_HOST_KEY_MISMATCH');
    expect(error.message).toContain('offers none of the pinned host key types (ssh-rsa)');
  });

  it('a step cancelled before it connected runs nothing', async () => {
    const marker = join(work, 'ran-after-cancel');
    const step = await run(`touch ${marker}`, { signal: AbortSignal.abort() });
    const error = await step.refusal();
    expect(error.code).toBe('SSH_FAILED');
    expect(error.message).toContain('cancelled while connecting');
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a target with no pinned host key (never trust on first use)', async () => {
    const step = await run('true', { target: { ...target, hostKeys: [] } });
    const error = await step.refusal();
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('no host key is pinned');
  });

  it('says which key the host refused, without the key itself', async () => {
    const stranger = await generateKey(work, 'stranger');
    const step = await run('true', {
      target: { ...target, privateKey: stranger.privateKey, passphrase: '' },
    });
    const error = await step.refusal();
    expect(error.code).toBe('SSH_FAILED');
    expect(error.message).toMatch(/refused the step's key \(ssh-ed25519 SHA256:\S+\)/);
    const keyBody = stranger.privateKey.split('\n')[1] ?? '';
    expect(keyBody.length).toBeGreaterThan(20);
    expect(error.message).not.toContain(keyBody);
  });

  it('cancellation stops the remote script and everything it started', async () => {
    const controller = new AbortController();
    const pids = join(work, 'pids');
    const step = await run(
      [
        `sleep 300 & echo "$!" > ${pids}.bg`,
        `echo "$$" > ${pids}.main`,
        'echo started',
        'sleep 300',
        'echo never',
      ].join('\n'),
      { signal: controller.signal },
    );
    await step.stdout.waitFor('started');
    const main = Number(await readFile(`${pids}.main`, 'utf8'));
    const background = Number(await readFile(`${pids}.bg`, 'utf8'));
    expect(alive(main) && alive(background)).toBe(true);
    const cancelledAt = Date.now();
    controller.abort();
    const { result } = await step.finish();
    expect(Date.now() - cancelledAt).toBeLessThan(3000);
    expect(result).toEqual({ exitCode: 143, signal: 'SIGTERM' });
    expect(step.stdout.text).not.toContain('never');
    expect(await gone(main)).toBe(true);
    expect(await gone(background)).toBe(true);
  });

  it('a step that finishes leaves a daemon it started with its output redirected running', async () => {
    const pidFile = join(work, 'daemon.pid');
    const step = await run(`nohup sleep 30 >/dev/null 2>&1 &\necho "$!" > ${pidFile}\necho launched`);
    const { result } = await step.finish();
    expect(result).toEqual({ exitCode: 0, signal: null });
    const daemon = Number(await readFile(pidFile, 'utf8'));
    // The channel is closed now; the lifeline must not mistake the end of the step for a cancellation.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(alive(daemon)).toBe(true);
    process.kill(daemon, 'SIGKILL');
  });

  it('a strict recording that fails stops the remote script', async () => {
    const castPath = join(work, 'closed.cast');
    const recording = await openStepRecording(castPath, { cols: 80, rows: 24 }, { mode: 'strict' });
    await recording.close(); // every later write fails, as on a full disk
    const pidFile = join(work, 'strict.pid');
    const started = Date.now();
    const step = await run(`echo "$$" > ${pidFile}\necho one\nsleep 300\necho never`, { recording });
    const { result } = await step.finish();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.recordingError).toMatch(/could not write the recording/);
    expect(result.signal).toBe('SIGTERM');
    expect(await gone(Number(await readFile(pidFile, 'utf8')))).toBe(true);
  });

  it('never shows the private key or its passphrase, even when the script prints them', async () => {
    const keyFile = join(work, 'copy-of-key');
    await writeFile(keyFile, target.privateKey, { mode: 0o600 });
    const step = await run(`cat ${keyFile}\necho "passphrase: ${target.passphrase ?? ''}"\necho done`);
    const { result, cast } = await step.finish();
    expect(result.exitCode).toBe(0);
    const keyLines = target.privateKey
      .split('\n')
      .filter((line) => line.length > 0 && !line.startsWith('-----'));
    expect(keyLines.length).toBeGreaterThan(2);
    expect(step.stdout.text).toContain('passphrase: ***\ndone\n');
    expect(cast).toContain('passphrase: ***\ndone\n');
    for (const text of [step.stdout.text, step.stderr.text, cast]) {
      for (const line of keyLines) expect(text).not.toContain(line);
      expect(text).not.toContain(target.passphrase);
    }
  });

  it('a connection that drops mid-step fails the step with 255 and stops the remote script', async () => {
    // The script's parent is sshd's per-connection process; killing it drops the connection. The script
    // must not go on unobserved and unrecorded.
    const pidFile = join(work, 'dropped.pid');
    const step = await run(
      `echo "$$" > ${pidFile}\necho before\nsleep 0.5\nkill -KILL $PPID\nsleep 30\necho never`,
    );
    const { result } = await step.finish();
    expect(result.exitCode).toBe(255);
    expect(step.stdout.text).toBe('before\n');
    expect(step.stderr.text).toMatch(/ended before the remote script reported its exit status/);
    expect(await gone(Number(await readFile(pidFile, 'utf8')))).toBe(true);
  });
});
