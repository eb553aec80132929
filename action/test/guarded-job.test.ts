// The bundled action as the runner runs it: dist/main.js, guarded steps through the `guard` shim it puts
// on PATH, dist/post.js, against the GitHub stand-in and a real guard server.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GuardServerClient } from '../../client/server-api.js';
import { createRunnerJob, type RunnerJob } from '../../stand-ins/runner/index.js';
import { startStack, type Stack } from '../../test/support/stack.js';

const actionDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let stack: Stack;
const jobs: RunnerJob[] = [];

beforeAll(async () => {
  stack = await startStack();
});
afterEach(async () => {
  for (const job of jobs.splice(0)) await job.cleanup();
});
afterAll(async () => {
  await stack?.close();
});

async function newJob(options: Partial<Parameters<typeof createRunnerJob>[0]> = {}) {
  // A run of its own per job, so one test's pending approvals never show up in another's queue.
  const runId = String(20_000_000_000 + Math.floor(Math.random() * 1e9));
  const job = await createRunnerJob({
    standIn: stack.github,
    actionDir,
    inputs: { server: stack.server.url },
    claims: { run_id: runId },
    ...options,
  });
  jobs.push(job);
  return job;
}

async function pendingFor(reviewer: GuardServerClient, job: RunnerJob) {
  for (let i = 0; i < 200; i++) {
    const mine = (await reviewer.listPending()).approvals.find(
      (approval) => approval.runId === job.claims.run_id,
    );
    if (mine) return mine;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no pending approval appeared');
}

describe('a guarded job', () => {
  it('opens a session, holds a deploy for approval, runs it masked and recorded, and uploads the bundle', async () => {
    const job = await newJob();
    const main = await job.runMain();
    expect(main.exitCode, main.log).toBe(0);
    expect(job.path()[0]).toMatch(/guard\/[0-9a-f]+\/bin$/);
    const credential = job.exportedEnv().GUARD_SESSION_TOKEN ?? '';
    expect(credential).toMatch(/^gs_/);
    // The credential was registered as a secret: the runner's log never shows it.
    expect(job.log()).not.toContain(credential);

    const build = await job.runStep({
      name: 'Build',
      run: 'echo "user maria@example.com paid with 4111 1111 1111 1111"\necho built',
      shell: 'guard --name Build {0}',
    });
    expect(build.exitCode, build.log).toBe(0);
    expect(build.stdout).toContain('built');
    expect(build.stdout).not.toContain('maria@example.com');
    expect(build.stdout).not.toContain('4111 1111 1111 1111');

    const reviewer = new GuardServerClient(stack.server.url, await stack.reviewerToken('alice'));
    // The runner does not tell a step its `name:`, so the workflow passes it with --name.
    const deploying = job.runStep({
      name: 'Deploy',
      run: 'echo deploying\necho done',
      shell: 'guard --name Deploy {0}',
    });
    const pending = await pendingFor(reviewer, job);
    expect(pending.title).toBe('step Deploy');
    await reviewer.decide(pending.id, 'approve', 'CHG-1');
    const deploy = await deploying;
    expect(deploy.exitCode, deploy.log).toBe(0);
    expect(deploy.stdout).toMatch(/needs 1 approval/);
    expect(deploy.stdout).toMatch(/approved by alice/);
    expect(deploy.stdout).toContain('done');

    const post = await job.runPost();
    expect(post.exitCode, post.log).toBe(0);
    const artifact = stack.github.state.artifacts.find(
      (candidate) => candidate.finalized && candidate.name.startsWith('guard-audit-'),
    );
    expect(artifact?.name).toBe(`guard-audit-${job.claims.run_id}-${job.claims.run_attempt}-deploy`);
    expect(job.summary()).toContain('Deploy');
    expect(job.summary()).toContain('alice (api)');

    const bundleDir = join(
      job.env.RUNNER_TEMP ?? '',
      'guard',
      job.outputs()['session-id'] ?? '',
      'bundle',
      artifact?.name ?? '',
    );
    expect((await readdir(join(bundleDir, 'steps'))).sort()).toEqual(['1.cast', '2.cast']);
    const manifest = JSON.parse(await readFile(join(bundleDir, 'manifest.json'), 'utf8')) as {
      steps: { name: string; decision: string; approvals: { reviewer: string }[] }[];
    };
    expect(manifest.steps.map((step) => [step.name, step.decision])).toEqual([
      ['Build', 'allowed'],
      ['Deploy', 'approved'],
    ]);
    const cast = await readFile(join(bundleDir, 'steps', '1.cast'), 'utf8');
    expect(cast).toContain('built');
    expect(cast).not.toContain('maria@example.com');
  });

  it('fails the step before any line runs when the approval is denied', async () => {
    const job = await newJob();
    expect((await job.runMain()).exitCode).toBe(0);
    const marker = join(await mkdtemp(join(tmpdir(), 'guard-marker-')), 'ran');
    const reviewer = new GuardServerClient(stack.server.url, await stack.reviewerToken('bob'));
    const deploying = job.runStep({
      name: 'Deploy',
      run: `touch ${marker}\necho deploy`,
      shell: 'guard {0}',
    });
    const pending = await pendingFor(reviewer, job);
    await reviewer.decide(pending.id, 'deny', 'freeze until Monday');
    const deploy = await deploying;
    expect(deploy.exitCode).toBe(1);
    expect(deploy.log).toMatch(/not approved: denied by bob: freeze until Monday/);
    await expect(readFile(marker)).rejects.toThrow();
    await rm(dirname(marker), { recursive: true, force: true });
  });

  it('propagates the script exit code and keeps the runner bash semantics (-e -o pipefail)', async () => {
    const job = await newJob();
    expect((await job.runMain()).exitCode).toBe(0);
    const failing = await job.runStep({ run: 'false | true\necho unreachable', shell: 'guard {0}' });
    expect(failing.exitCode).toBe(1);
    expect(failing.stdout).not.toContain('unreachable');
    const exit = await job.runStep({ run: 'exit 7', shell: 'guard {0}' });
    expect(exit.exitCode).toBe(7);
  });

  it('fails main with a clear reason when the server is unreachable, and guarded steps refuse to run', async () => {
    const job = await newJob({ inputs: { server: 'http://127.0.0.1:9' } });
    const main = await job.runMain();
    expect(main.exitCode).toBe(1);
    expect(main.log).toMatch(/cannot reach the guard server at http:\/\/127\.0\.0\.1:9/);
    const step = await job.runStep({ run: 'echo should-not-run', shell: 'bash {0}' });
    expect(step.exitCode).toBe(0);
    // With no session, `guard` is not even on PATH; calling the bundle directly fails closed.
    const guarded = await job.runStep({
      run: `echo should-not-run`,
      shell: `node ${join(actionDir, 'dist', 'guard.js')} {0}`,
    });
    expect(guarded.exitCode).toBe(1);
    expect(guarded.log).toMatch(/no guard session/);
    expect(guarded.stdout).not.toContain('should-not-run');
  });

  it('fails main when the job may not request an OIDC token', async () => {
    const job = await newJob({ idTokenPermission: false });
    const main = await job.runMain();
    expect(main.exitCode).toBe(1);
    expect(main.log).toMatch(/id-token: write/);
  });

  it('refuses a forged token: the job gets no session', async () => {
    const job = await newJob({
      issueIdToken: async (claims) => stack.github.signToken({ ...claims, aud: 'guard' }, { alg: 'none' }),
    });
    const main = await job.runMain();
    expect(main.exitCode).toBe(1);
    expect(main.log).toMatch(/algorithm is not allowed/);
  });
});
