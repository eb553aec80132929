// The bundled hooks as the runner runs them (`bash -e` on the installed wrapper, the job's environment plus
// the runner's .env, an event payload, GITHUB_ENV/GITHUB_PATH files) against the real server.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GuardServerClient } from '../../client/server-api.js';
import { addRunner } from '../../server/runner/runner-credentials.js';
import { createRunnerJob, type RunnerJob, type RunnerJobOptions } from '../../stand-ins/runner/index.js';
import { startStack, type Stack } from '../../test/support/stack.js';
import { bundleHooks, type Bundle } from './bundle.js';
import { installRunner, uniqueRunId, type InstalledRunner } from './support.js';

const POLICIES = {
  'shop.yml': `
kind: repository
name: shop
match:
  repository: [octo-org/shop]
  ref: [refs/heads/main]
approvals:
  reviewers: [alice]
runners:
  labels: [prod]
  workflows: ['octo-org/shop/.github/workflows/deploy.yml@**']
`,
  'payments.yml': `
kind: repository
name: payments
match:
  repository: [octo-org/payments]
approvals:
  reviewers: [alice]
  expire-after: 1h
runners:
  job-approval: true
`,
  'ledger.yml': `
kind: repository
name: ledger
match:
  repository: [octo-org/ledger]
approvals:
  reviewers: [alice]
  expire-after: 10m
runners:
  job-approval: true
`,
  'guarded.yml': `
kind: repository
name: guarded
match:
  repository: [octo-org/guarded]
runners:
  require-guard: true
`,
};

let stack: Stack;
/** The server's clock runs this far ahead (the expiry test moves it past an approval's expiry). */
let clockOffsetMs = 0;
let bundle: Bundle;
let runner: InstalledRunner;
let credential: string;
const jobs: RunnerJob[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [stack, bundle] = await Promise.all([
    startStack({
      policies: POLICIES,
      now: () => new Date(Date.now() + clockOffsetMs),
      // Short long-polls, so a waiting hook asks again soon after the clock moves.
      config: { maxWaitSec: 2 },
    }),
    bundleHooks({ action: true }),
  ]);
  ({ credential } = await addRunner(stack.server.ctx.db, 'prod-runner-1', ['self-hosted', 'linux', 'prod']));
  runner = await installRunner({ server: stack.server.url, credential, dist: bundle.dist });
}, 120_000);
afterEach(async () => {
  clockOffsetMs = 0;
  for (const job of jobs.splice(0)) await job.cleanup();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
afterAll(async () => {
  await runner?.remove();
  await bundle?.remove();
  await stack?.close();
});

async function newJob(
  options: Partial<RunnerJobOptions> & { on?: InstalledRunner } = {},
): Promise<RunnerJob> {
  const { on = runner, ...rest } = options;
  const job = await createRunnerJob({
    standIn: stack.github,
    actionDir: bundle.actionDir,
    inputs: { server: stack.server.url },
    ...rest,
    claims: { repository: 'octo-org/shop', run_id: uniqueRunId(), ...(rest.claims ?? {}) },
    // The runner process reads .env at start; every job (and hook) inherits it.
    env: { ...on.dotEnv, ...(rest.env ?? {}) },
  });
  jobs.push(job);
  return job;
}

const preJobHook = (job: RunnerJob, on: InstalledRunner = runner) =>
  job.runStep({ name: 'Pre Job Hook', run: on.startedScript, shell: 'bash -e {0}' });
const postJobHook = (job: RunnerJob, on: InstalledRunner = runner) =>
  job.runStep({ name: 'Post Job Hook', run: on.completedScript, shell: 'bash -e {0}' });

async function eventsOf(type: string, runId: string): Promise<Record<string, unknown>[]> {
  const { rows } = await stack.server.ctx.db.query<{ body: Record<string, unknown> }>(
    `select body from events where type = $1 and body->>'run_id' = $2 order by id`,
    [type, runId],
  );
  return rows.map((row) => row.body);
}

async function pendingJobApproval(reviewer: GuardServerClient, runId: string) {
  for (let i = 0; i < 200; i++) {
    const mine = (await reviewer.listPending()).approvals.find((a) => a.runId === runId && a.kind === 'job');
    if (mine) return mine;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no pending job approval appeared');
}

describe('job-started', () => {
  it('lets a job from an allowed branch and workflow start, and tells its steps through GITHUB_ENV', async () => {
    const job = await newJob();
    const hook = await preJobHook(job);
    expect(hook.exitCode, hook.log).toBe(0);
    expect(hook.stdout).toContain('allowed by policy shop');
    expect(hook.stdout).toContain('the job may start');
    expect(job.exportedEnv().GUARD_RUNNER_JOB).toMatch(/^[0-9a-f]{16}$/);
    // Nothing the runner logs carries the runner credential.
    expect(job.log()).not.toContain(credential);
    expect(hook.stdout + hook.stderr).not.toContain(credential);

    // Idempotent: the runner (or an admin) running it again gets the same job back.
    const first = job.exportedEnv().GUARD_RUNNER_JOB;
    const again = await preJobHook(job);
    expect(again.exitCode, again.log).toBe(0);
    expect(job.exportedEnv().GUARD_RUNNER_JOB).toBe(first);
    const done = await postJobHook(job);
    expect(done.exitCode, done.log).toBe(0);
    expect(done.stdout).toContain('reported complete');
  });

  it('refuses a workflow the policy does not allow on self-hosted runners, and records it', async () => {
    const job = await newJob({
      claims: { workflow_ref: 'octo-org/shop/.github/workflows/experiment.yml@refs/heads/main' },
    });
    const hook = await preJobHook(job);
    expect(hook.exitCode).not.toBe(0);
    expect(hook.annotations.map((a) => a.message).join('\n')).toMatch(
      /workflow octo-org\/shop\/\.github\/workflows\/experiment\.yml@refs\/heads\/main is not among the workflows policy shop allows/,
    );
    expect(hook.stdout).toContain('no step of this job will run');
    expect(job.exportedEnv().GUARD_RUNNER_JOB).toBeUndefined();
    const refusals = await eventsOf('security.refused', job.claims.run_id);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({
      stage: 'runner-job',
      runner: 'prod-runner-1',
      code: 'POLICY_DENIED',
    });
  });

  it('refuses a job from a branch no policy governs (default deny)', async () => {
    const job = await newJob({ claims: { ref: 'refs/heads/feature/x' } });
    const hook = await preJobHook(job);
    expect(hook.exitCode).not.toBe(0);
    expect(hook.stdout).toMatch(/no policy governs the job/);
  });

  it('holds a job for approval and lets it start once a reviewer approves', async () => {
    const job = await newJob({ claims: { repository: 'octo-org/payments' } });
    const reviewer = new GuardServerClient(stack.server.url, await stack.reviewerToken('alice'));
    const hooking = preJobHook(job);
    const pending = await pendingJobApproval(reviewer, job.claims.run_id);
    expect(pending.title).toBe('job deploy on runner prod-runner-1');
    expect(pending.body).toContain(
      'workflow: octo-org/payments/.github/workflows/deploy.yml@refs/heads/main',
    );
    await reviewer.decide(pending.id, 'approve', 'CHG-7');
    const hook = await hooking;
    expect(hook.exitCode, hook.log).toBe(0);
    expect(hook.stdout).toMatch(/needs 1 approval\(s\) from alice/);
    expect(hook.stdout).toContain('job approved by alice (api)');
  });

  it('refuses a job whose approval expires with no decision', async () => {
    const job = await newJob({ claims: { repository: 'octo-org/ledger' } });
    const reviewer = new GuardServerClient(stack.server.url, await stack.reviewerToken('alice'));
    const hooking = preJobHook(job);
    await pendingJobApproval(reviewer, job.claims.run_id);
    clockOffsetMs = 11 * 60_000;
    const started = Date.now();
    const hook = await hooking;
    expect(hook.exitCode).not.toBe(0);
    expect(hook.stdout).toMatch(/expired at .* with no decision/);
    expect(Date.now() - started).toBeLessThan(15_000);
    const refusals = await eventsOf('security.refused', job.claims.run_id);
    expect(refusals.map((r) => r.code)).toEqual(['APPROVAL_EXPIRED']);
  });

  it('fails closed when the server cannot be reached', async () => {
    const port = await closedPort();
    const offline = await installRunner({
      server: `http://127.0.0.1:${port}`,
      credential,
      dist: bundle.dist,
      extraArgs: ['--no-verify'],
    });
    cleanups.push(offline.remove);
    const job = await newJob({ on: offline });
    const hook = await preJobHook(job, offline);
    expect(hook.exitCode).not.toBe(0);
    expect(hook.stdout).toMatch(/cannot reach the guard server at http:\/\/127\.0\.0\.1:\d+.*fails closed/);
    expect(hook.stdout).toContain('no step of this job will run');
  });

  it('gives up at its own time limit while waiting for a decision', async () => {
    const slow = await installRunner({
      server: stack.server.url,
      credential,
      dist: bundle.dist,
      extraArgs: ['--started-timeout', '2'],
    });
    cleanups.push(slow.remove);
    const job = await newJob({ on: slow, claims: { repository: 'octo-org/payments' } });
    const hook = await preJobHook(job, slow);
    expect(hook.exitCode).not.toBe(0);
    expect(hook.stdout).toMatch(/no decision within the hook's time limit of 2s/);
  });
});

describe('job-completed', () => {
  it('fails a job that policy requires to be guarded when no step was', async () => {
    const job = await newJob({ claims: { repository: 'octo-org/guarded' } });
    expect((await preJobHook(job)).exitCode).toBe(0);
    expect(job.exportedEnv().GUARD_REQUIRED).toBe('true');
    const plain = await job.runStep({ run: 'echo unguarded' });
    expect(plain.exitCode).toBe(0);
    const done = await postJobHook(job);
    expect(done.exitCode).not.toBe(0);
    expect(done.annotations.map((a) => a.message).join('\n')).toMatch(
      /requires the steps of jobs on this runner to run through guard, and none did/,
    );
    const refusals = await eventsOf('security.refused', job.claims.run_id);
    expect(refusals.map((r) => r.stage)).toEqual(['runner-require-guard']);
  });

  it("closes a cancelled job's session and ships the recording its post step never uploaded", async () => {
    const job = await newJob({ cancelGrace: { sigintMs: 1500, sigtermMs: 500 } });
    expect((await preJobHook(job)).exitCode).toBe(0);
    const main = await job.runMain();
    expect(main.exitCode, main.log).toBe(0);
    const sessionId = job.outputs()['session-id'] ?? '';
    const markerDir = await mkdtemp(join(tmpdir(), 'guard-marker-'));
    cleanups.push(() => rm(markerDir, { recursive: true, force: true }));
    const marker = join(markerDir, 'started');
    const cancel = new AbortController();
    const building = job.runStep({
      name: 'Build',
      run: `echo "building for maria@example.com"\ntouch '${marker}'\nsleep 30`,
      shell: 'guard --name Build {0}',
      signal: cancel.signal,
    });
    await waitFor(() =>
      stat(marker).then(
        () => true,
        () => false,
      ),
    );
    cancel.abort();
    const build = await building;
    expect(build.conclusion).toBe('cancelled');
    // No post step: the runner was told to stop, so the action never closed the session or uploaded.

    const recordDir = join(job.env.RUNNER_TEMP ?? '', 'guard', sessionId, 'record');
    const localFiles = [
      'events.jsonl',
      ...(await readdir(join(recordDir, 'steps'))).map((f) => `steps/${f}`),
    ];
    expect(localFiles).toContain('steps/1.cast');

    const done = await postJobHook(job);
    expect(done.exitCode, done.log).toBe(0);
    expect(done.stdout).toContain(`session ${sessionId} was still open`);
    expect(done.stdout).toMatch(/shipped \d+ recording file\(s\)/);

    const session = await stack.server.ctx.db.query<{ status: string }>(
      'select status from sessions where id = $1',
      [sessionId],
    );
    expect(session.rows[0]?.status).toBe('closed');
    // Compliance pulls exactly the bytes the runner had, by digest.
    const compliance = await stack.reviewerToken('carol');
    const listed = (await (
      await fetch(`${stack.server.url}/v1/runner/recordings?session=${sessionId}`, {
        headers: { authorization: `Bearer ${compliance}` },
      })
    ).json()) as { recordings: { path: string; sha256: string; size: number }[] };
    expect(listed.recordings.map((r) => r.path).sort()).toEqual([...localFiles].sort());
    for (const file of listed.recordings) {
      const local = await readFile(join(recordDir, file.path));
      expect(file.sha256).toBe(createHash('sha256').update(local).digest('hex'));
      const content = (await (
        await fetch(
          `${stack.server.url}/v1/runner/recordings/content?session=${sessionId}&path=${encodeURIComponent(file.path)}`,
          { headers: { authorization: `Bearer ${compliance}` } },
        )
      ).json()) as { data: string };
      expect(Buffer.from(content.data, 'base64').equals(local)).toBe(true);
    }
    const cast = await readFile(join(recordDir, 'steps/1.cast'), 'utf8');
    expect(cast).toContain('building for');
    expect(cast).not.toContain('maria@example.com');
    const { rows } = await stack.server.ctx.db.query<{ type: string }>(
      `select type from events where session_id = $1 and type in ('recording.shipped', 'session.closed') order by id`,
      [sessionId],
    );
    expect(rows.filter((r) => r.type === 'recording.shipped')).toHaveLength(localFiles.length);

    // Idempotent: the hook run again ships nothing and changes nothing.
    const again = await postJobHook(job);
    expect(again.exitCode, again.log).toBe(0);
    expect(again.stdout).not.toMatch(/shipped|still open/);
    expect(job.log()).not.toContain(credential);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 1;
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}
