// Compliance's view of a guarded job: the bundle the post step uploaded is signed by the server, verifies
// offline with the published key, names a tampered file, and `guard audit pull` fetches and verifies it.
import { spawn } from 'node:child_process';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApproval, decideApproval } from '../../server/approvals.js';
import { createRunnerJob, type RunnerJob } from '../../stand-ins/runner/index.js';
import { startStack, type Stack } from '../../test/support/stack.js';

const actionDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const guardJs = join(actionDir, 'dist', 'guard.js');
let stack: Stack;
let job: RunnerJob;
let work: string;
let bundleDir: string;
let keyFile: string;

function guard(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [guardJs, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => done({ code, output }));
  });
}

beforeAll(async () => {
  stack = await startStack({ config: { auditToken: 'audit-token-for-tests' } });
  // The job deploys to a protected environment whose gate is guard: GitHub asked before the job got a
  // runner, and alice approved on the review page (what server/github/deployment-gate.ts records).
  const ctx = stack.server.ctx;
  const gate = await createApproval(ctx.db, ctx, {
    kind: 'deployment',
    repository: 'octo-org/octo-repo',
    runId: '31000000001',
    actor: 'octocat',
    title: 'deployment to production',
    body: 'Deployment 42 to environment production',
    digest: 'd'.repeat(64),
    context: { environment: 'production', sha: 'a'.repeat(40), deployment_id: 42 },
    rules: {
      reviewers: ['alice'],
      min: 1,
      expireAfterMs: 3_600_000,
      allowSelfApproval: false,
      pullRequestReviewCounts: false,
    },
  });
  await decideApproval(ctx, gate, { login: 'alice' }, { decision: 'approve', channel: 'review-page' });
  job = await createRunnerJob({
    standIn: stack.github,
    actionDir,
    inputs: { server: stack.server.url },
    claims: { run_id: '31000000001', environment: 'production' },
  });
  const main = await job.runMain();
  expect(main.exitCode).toBe(0);
  expect(main.log).toMatch(/the deployment to production was approved by alice \(review-page\)/);
  expect(
    (
      await job.runStep({
        run: 'echo "hello from step one, mail me at ana@example.com"',
        shell: 'guard --name One {0}',
      })
    ).exitCode,
  ).toBe(0);
  expect((await job.runStep({ run: 'echo two', shell: 'guard --name Two {0}' })).exitCode).toBe(0);
  const post = await job.runPost();
  expect(post.exitCode, post.log).toBe(0);
  expect(post.log).toMatch(/the server signed the manifest/);
  expect(job.summary()).toMatch(
    /Deployment of <code>aaaaaaaaaaaa<\/code> to <code>production<\/code> approved by alice \(review-page, /,
  );
  work = await mkdtemp(join(tmpdir(), 'guard-evidence-'));
  bundleDir = join(work, 'bundle');
  await cp(
    join(
      job.env.RUNNER_TEMP ?? '',
      'guard',
      job.outputs()['session-id'] ?? '',
      'bundle',
      'guard-audit-31000000001-1-deploy',
    ),
    bundleDir,
    { recursive: true },
  );
  keyFile = join(work, 'guard-keys.json');
  await writeFile(keyFile, await (await fetch(`${stack.server.url}/.well-known/guard-keys.json`)).text());
});

afterAll(async () => {
  await job?.cleanup();
  await stack?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

it('verifies offline with the key the server publishes, naming who approved the deployment', async () => {
  const result = await guard(['audit', 'verify', bundleDir, '--key', keyFile]);
  expect(result.output).not.toMatch(/problem|mismatch/i);
  expect(result.code, result.output).toBe(0);
  expect(result.output).toMatch(
    /deployment production {2}sha aaaaaaaaaaaa {2}approved .* by alice \(approved via review-page/,
  );
});

it('refuses a bundle whose deployment approval was edited after signing', async () => {
  const copy = join(work, 'deployment-edited');
  await cp(bundleDir, copy, { recursive: true });
  const manifest = join(copy, 'manifest.json');
  await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('"alice"', '"mallory"'));
  const result = await guard(['audit', 'verify', copy, '--key', keyFile]);
  expect(result.code).toBe(1);
  expect(result.output).toMatch(/manifest/);
});

it('names the tampered file when a byte of a recording changes', async () => {
  const copy = join(work, 'tampered');
  await cp(bundleDir, copy, { recursive: true });
  const cast = join(copy, 'steps', '1.cast');
  await writeFile(cast, (await readFile(cast, 'utf8')).replace('hello from step one', 'hello from step 0ne'));
  const result = await guard(['audit', 'verify', copy, '--key', keyFile]);
  expect(result.code).toBe(1);
  expect(result.output).toMatch(/steps\/1\.cast/);
});

it('refuses a bundle whose events were appended to after signing', async () => {
  const copy = join(work, 'appended');
  await cp(bundleDir, copy, { recursive: true });
  await appendFile(join(copy, 'events.jsonl'), '{"type":"step.start","step":9}\n');
  const result = await guard(['audit', 'verify', copy, '--key', keyFile]);
  expect(result.code).toBe(1);
  expect(result.output).toMatch(/events\.jsonl/);
});

it('pulls the run artifacts from GitHub and verifies them', async () => {
  const out = join(work, 'pulled');
  const token = stack.github.createToken({ repositories: ['octo-org/octo-repo'] });
  const result = await guard(
    ['audit', 'pull', '--repo', 'octo-org/octo-repo', '--run', '31000000001', '--out', out, '--key', keyFile],
    { GITHUB_API_URL: stack.github.apiUrl, GITHUB_TOKEN: token },
  );
  expect(result.code, result.output).toBe(0);
  expect(result.output).toMatch(/One/);
  expect(result.output).toMatch(/Two/);
});

it("exports a ledger that verify-ledger accepts, with this job's manifest in it", async () => {
  const result = await guard([
    'audit',
    'verify-ledger',
    '--server',
    stack.server.url,
    '--key',
    keyFile,
    '--token',
    'audit-token-for-tests',
  ]);
  expect(result.code, result.output).toBe(0);
  const denied = await fetch(`${stack.server.url}/v1/audit/export`, {
    headers: { authorization: 'Bearer wrong' },
  });
  expect(denied.status).toBe(403);
});
