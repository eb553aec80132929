// `guard runner-hook install` on a runner folder, against the real server that issued the credential.
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRunner } from '../../server/runner/runner-credentials.js';
import { startStack, type Stack } from '../../test/support/stack.js';
import { runRunnerHookCommand } from '../install-command.js';
import { runJobStarted } from '../started.js';

let stack: Stack;
let base: string;
let dist: string;
let credential: string;

beforeAll(async () => {
  stack = await startStack();
  ({ credential } = await addRunner(stack.server.ctx.db, 'build-7', ['linux']));
  base = await mkdtemp(join(tmpdir(), 'guard-install-'));
  // The install command only checks the bundles are there; the hook tests run real ones.
  dist = join(base, 'dist');
  await mkdir(dist);
  for (const file of ['job-started.js', 'job-completed.js']) await writeFile(join(dist, file), '');
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
  await stack?.close();
});

async function install(args: string[], stdin: string, runnerDir: string) {
  const out: string[] = [];
  const sink = () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => out.push(chunk.toString()));
    return stream;
  };
  const code = await runRunnerHookCommand(['install', '--runner-dir', runnerDir, '--dist', dist, ...args], {
    stdin: Readable.from([stdin]),
    stdout: sink(),
    stderr: sink(),
    env: {},
    cwd: base,
  });
  return { code, output: out.join('') };
}

async function newRunnerDir(name: string): Promise<string> {
  const dir = join(base, name);
  await mkdir(dir);
  await writeFile(join(dir, '.env'), 'LANG=C.UTF-8\n', { mode: 0o644 });
  return dir;
}

describe('guard runner-hook install', () => {
  it('writes the hooks and a private credential file, points .env at them, and is idempotent', async () => {
    const runnerDir = await newRunnerDir('runner-a');
    const first = await install(['--server', stack.server.url], `${credential}\n`, runnerDir);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain('the server knows this credential as runner build-7 (labels linux)');
    expect(first.output).not.toContain(credential);
    const again = await install(['--server', stack.server.url], credential, runnerDir);
    expect(again.code, again.output).toBe(0);

    const env = await readFile(join(runnerDir, '.env'), 'utf8');
    const hookDir = `${runnerDir}-guard-hooks`;
    expect(env).toBe(
      `LANG=C.UTF-8\nACTIONS_RUNNER_HOOK_JOB_STARTED=${hookDir}/job-started.sh\n` +
        `ACTIONS_RUNNER_HOOK_JOB_COMPLETED=${hookDir}/job-completed.sh\nGUARD_RUNNER_SERVER=${stack.server.url}\n`,
    );
    // The credential is in its own file, readable by the runner's user only; never in .env, which every
    // step of every job inherits as environment.
    expect(env).not.toContain(credential);
    expect((await readFile(join(hookDir, 'runner-credential'), 'utf8')).trim()).toBe(credential);
    expect((await stat(join(hookDir, 'runner-credential'))).mode & 0o777).toBe(0o600);
    expect((await stat(hookDir)).mode & 0o777).toBe(0o700);
    const started = await readFile(join(hookDir, 'job-started.sh'), 'utf8');
    expect(started).toContain(`GUARD_RUNNER_SERVER='${stack.server.url}'`);
    expect(started).toContain(`exec '${process.execPath}' '${dist}/job-started.js'`);
    expect(started).not.toContain(credential);
  });

  it('refuses a credential the server does not know and leaves the runner untouched', async () => {
    const runnerDir = await newRunnerDir('runner-b');
    const result = await install(['--server', stack.server.url], `grn_${'x'.repeat(43)}`, runnerDir);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/not known to this server/);
    expect(await readFile(join(runnerDir, '.env'), 'utf8')).toBe('LANG=C.UTF-8\n');
  });

  it('refuses plain http to a remote server and anything that is not a runner credential', async () => {
    const runnerDir = await newRunnerDir('runner-c');
    const http = await install(['--server', 'http://guard.example.com'], credential, runnerDir);
    expect(http.code).toBe(2);
    expect(http.output).toMatch(/must use https/);
    const reviewer = await install(['--server', stack.server.url], 'gr_reviewer-credential-value', runnerDir);
    expect(reviewer.code).toBe(2);
    expect(reviewer.output).toMatch(/not a runner credential/);
  });
});

describe('the hook and its credential file', () => {
  it('refuses to run with a credential file other users can read', async () => {
    const file = join(base, 'loose-credential');
    await writeFile(file, credential);
    await chmod(file, 0o644);
    const out: string[] = [];
    const stdout = new PassThrough();
    stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
    const code = await runJobStarted(
      { GUARD_RUNNER_SERVER: stack.server.url, GUARD_RUNNER_CREDENTIAL_FILE: file },
      stdout,
    );
    expect(code).toBe(1);
    expect(out.join('')).toMatch(/can be read by other users \(mode 644\); run `chmod 600/);
    expect(out.join('')).not.toContain(credential);
  });
});
