// `guard demo` (`npm run demo`): the whole guarded flow on this machine with nothing installed. It starts
// the GitHub stand-in and a guard server on embedded PGlite, runs the BUNDLED action the way the Actions
// runner does (main, two guarded steps, post), approves the held step as a reviewer would, and prints what
// happened and where the audit bundle is. Everything it starts, it stops.
import { access, chmod, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GuardServerClient, type PendingApproval } from '../client/server-api.js';
import { loadTrustedKeys } from '../audit/key-source.js';
import { formatVerification } from '../audit/report.js';
import { KEYS_WELL_KNOWN_PATH } from '../audit/signing-keys.js';
import { verifyBundle } from '../audit/verify-bundle.js';
import { describeError } from '../lib/errors.js';
import { loadPolicyDir } from '../policies/load.js';
import { addReviewer } from '../server/reviewers.js';
import { startServer, type RunningServer } from '../server/start-server.js';
import { startGitHubStandIn, type GitHubStandIn } from '../stand-ins/github/index.js';
import { createRunnerJob, type RunnerJob } from '../stand-ins/runner/index.js';
import { BUILD_STEP, DEMO_POLICY, DEMO_POLICY_FILE, DEPLOY_STEP, REPOSITORY_FILES } from './demo-policy.js';

interface IO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
}

export async function runDemo(argv: readonly string[], io: IO): Promise<number> {
  const out = (line = '') => void io.stdout.write(`${line}\n`);
  const indent = (text: string) =>
    text
      .trimEnd()
      .split('\n')
      .map((line) => `    │ ${line}`)
      .join('\n');
  const keep = argv.includes('--keep');
  const outputDir = resolve(io.cwd, 'guard-demo');
  const work = await mkdtemp(join(tmpdir(), 'guard-demo-'));
  let github: GitHubStandIn | undefined;
  let server: RunningServer | undefined;
  let job: RunnerJob | undefined;
  try {
    out('guard demo: one job, guarded end to end, on this machine\n');
    github = await startGitHubStandIn();
    out(`1. GitHub stand-in (OIDC issuer, artifact service, REST) on ${github.url}`);

    const policyDir = join(work, 'policies');
    await mkdir(policyDir);
    await writeFile(join(policyDir, DEMO_POLICY_FILE), DEMO_POLICY);
    server = await startServer(
      {
        host: '127.0.0.1',
        port: 0,
        issuers: [github.issuer],
        audience: 'guard',
        dataDir: join(work, 'guard-data'),
        policyDir,
        sessionTtlSec: 3600,
        sessionMaxSec: 24 * 3600,
        maxWaitSec: 25,
      },
      { log: () => {}, policies: await loadPolicyDir(policyDir) },
    );
    const aliceToken = await addReviewer(server.ctx.db, 'alice');
    out(
      `2. guard server on ${server.url} (embedded PGlite database), policy demo-shop: deploys need 1 approval from alice`,
    );

    const actionDir = await findActionDir(dirname(fileURLToPath(import.meta.url)));
    job = await createRunnerJob({ standIn: github, actionDir, inputs: { server: server.url } });
    await checkout(job.env.GITHUB_WORKSPACE ?? '');
    const main = await job.runMain();
    if (main.exitCode !== 0) throw new Error(`the action's main step failed:\n${main.log}`);
    out('3. Runner: `uses: hoop/guard@v1` (dist/main.js) opened a session:');
    out(indent(main.log));

    const build = await job.runStep(BUILD_STEP);
    out(
      `4. Runner: step "Build" with \`shell: guard {0}\`: allowed by policy, ran with its output masked (exit ${build.exitCode}):`,
    );
    out(indent(build.log));

    out('5. Runner: step "Deploy" with `shell: guard {0}`: held until a reviewer approves...');
    const deploying = job.runStep(DEPLOY_STEP);
    const alice = new GuardServerClient(server.url, aliceToken);
    const pending = await pendingApproval(alice);
    out(
      `   alice's queue: approval ${pending.id}: ${pending.title} of ${pending.repository} run ${pending.runId} by ${pending.actor}, script \`${pending.body.trim()}\` (sha256 ${pending.digest.slice(0, 12)}...)`,
    );
    out(`   alice approves it (what \`guard approve ${pending.id}\` does)`);
    await alice.decide(pending.id, 'approve', 'change ticket CHG-1042');
    const deploy = await deploying;
    out(indent(deploy.log));
    out(`   exit ${deploy.exitCode}`);

    const post = await job.runPost();
    out('6. Runner: post step (dist/post.js) closed the session and uploaded the audit bundle:');
    out(indent(post.log));
    const artifact = github.state.artifacts.filter((candidate) => candidate.finalized).at(-1);
    if (!artifact) throw new Error('the post step uploaded no artifact');

    // The bundle as the post step assembled it on the runner (the artifact holds the same files, zipped).
    const bundleSource = join(
      job.env.RUNNER_TEMP ?? '',
      'guard',
      job.outputs()['session-id'] ?? '',
      'bundle',
      artifact.name,
    );
    const bundleDir = join(outputDir, artifact.name);
    await rm(bundleDir, { recursive: true, force: true });
    await mkdir(outputDir, { recursive: true });
    await cp(bundleSource, bundleDir, { recursive: true });
    out(`7. Audit bundle: ${bundleDir} (uploaded as artifact '${artifact.name}', id ${artifact.id})`);
    out(`   the deploy's recording:  ${join(bundleDir, 'steps', '2.cast')}`);
    out(`   the job's events:        ${join(bundleDir, 'events.jsonl')}`);

    // Compliance's check: the server's published key, and an offline verification of the bundle.
    const keysFile = join(outputDir, 'guard-keys.json');
    await writeFile(keysFile, await (await fetch(`${server.url}${KEYS_WELL_KNOWN_PATH}`)).text());
    const verification = await verifyBundle(bundleDir, {
      keys: await loadTrustedKeys([keysFile], undefined),
    });
    out(`8. Offline verification with the server's public key (${keysFile}):`);
    out(indent(formatVerification(bundleDir, verification)));
    out(`   again, any time:  npx guard audit verify ${bundleDir} --key ${keysFile}`);
    const ok =
      main.exitCode === 0 &&
      build.exitCode === 0 &&
      deploy.exitCode === 0 &&
      post.exitCode === 0 &&
      verification.ok;
    out(
      ok
        ? '\nguard demo: done; every step was judged, the deploy was approved, all output was masked and recorded, and the signed evidence verifies.'
        : '\nguard demo: a step failed; see above.',
    );
    return ok ? 0 : 1;
  } catch (error) {
    io.stderr.write(`guard demo failed: ${describeError(error)}\n`);
    return 1;
  } finally {
    if (!keep) await job?.cleanup().catch(() => {});
    await server?.close().catch(() => {});
    await github?.close().catch(() => {});
    if (!keep) await rm(work, { recursive: true, force: true });
  }
}

/** The reviewer's view: their queue on the server, asked until the held step shows up. */
async function pendingApproval(reviewer: GuardServerClient): Promise<PendingApproval> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const [first] = (await reviewer.listPending()).approvals;
    if (first) return first;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no approval request reached the reviewer within 30 s');
}

/** The folder holding action.yml: above this file in the sources, and above dist/chunks/ in the bundle. */
async function findActionDir(from: string): Promise<string> {
  for (let dir = from; ; dir = dirname(dir)) {
    if (
      await access(join(dir, 'action.yml')).then(
        () => true,
        () => false,
      )
    )
      return dir;
    if (dirname(dir) === dir)
      throw new Error(`no action.yml above ${from}; run the demo from the guard repository`);
  }
}

/** What actions/checkout would do: the demo repository's files in the workspace. */
async function checkout(workspace: string): Promise<void> {
  for (const [path, content] of Object.entries(REPOSITORY_FILES)) {
    await mkdir(dirname(join(workspace, path)), { recursive: true });
    await writeFile(join(workspace, path), content);
    if (path.endsWith('.sh')) await chmod(join(workspace, path), 0o755);
  }
}
