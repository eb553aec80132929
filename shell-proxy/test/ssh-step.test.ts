// `shell: guard --ssh NAME {0}` through the bundled action: the server releases the registered target only
// to the released step, the script runs on a real sshd, its output is masked and recorded.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSshTarget } from '../../server/ssh/ssh-targets.js';
import { hasSshd, startSshd, type TestSshd } from '../../ssh/test/sshd.js';
import { createRunnerJob, type RunnerJob } from '../../stand-ins/runner/index.js';
import { startStack, type Stack } from '../../test/support/stack.js';

const actionDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe.runIf(hasSshd)('an SSH step under the runner', () => {
  let sshd: TestSshd;
  let stack: Stack;
  let job: RunnerJob;

  beforeAll(async () => {
    sshd = await startSshd();
    stack = await startStack();
    await registerSshTarget(stack.server.ctx.db, stack.server.ctx.secrets, 'web-prod', {
      host: sshd.host,
      port: sshd.port,
      username: sshd.user,
      privateKey: sshd.clientKey,
      hostKeys: [sshd.hostKey],
    });
    job = await createRunnerJob({
      standIn: stack.github,
      actionDir,
      inputs: { server: stack.server.url },
      claims: { run_id: '34000000001' },
    });
    expect((await job.runMain()).exitCode).toBe(0);
  });
  afterAll(async () => {
    await job?.cleanup();
    await stack?.close();
    await sshd?.stop();
  });

  it('runs the script on the host with its output masked, and propagates the exit code', async () => {
    const result = await job.runStep({
      run: 'echo "on $(hostname) as $(id -un)"\necho "contact: ops@example.com"\nexit 4',
      shell: 'guard --ssh web-prod --name Remote {0}',
    });
    expect(result.exitCode, result.log).toBe(4);
    expect(result.stdout).toMatch(/on \S+ as \S+/);
    expect(result.stdout).toContain('[MASKED:email]');
    const dir = join(job.env.RUNNER_TEMP ?? '', 'guard', job.outputs()['session-id'] ?? '', 'record');
    const cast = await readFile(
      join(dir, 'steps', (await readdir(join(dir, 'steps'))).sort().at(-1) ?? ''),
      'utf8',
    );
    expect(cast).toContain('ssh web-prod');
    expect(cast).not.toContain('ops@example.com');
    expect(cast).not.toContain('PRIVATE KEY');
  });

  it('refuses an unknown target before anyone is asked', async () => {
    const result = await job.runStep({ run: 'echo never', shell: 'guard --ssh nowhere {0}' });
    expect(result.exitCode).toBe(1);
    expect(result.log).toMatch(/no SSH target 'nowhere' is registered/);
  });
});
