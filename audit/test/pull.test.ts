// `guard audit pull` end to end: a job uploads a signed bundle with the real @actions/artifact client into
// the GitHub stand-in (results service + blob storage), then pull lists it through the REST API with octokit,
// follows the zip redirect, unpacks, verifies and prints the summary.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubStandIn } from '../../stand-ins/github/index.js';
import type { GitHubStandIn } from '../../stand-ins/github/index.js';
import { createRunnerJob } from '../../stand-ins/runner/index.js';
import { listFiles } from '../bundle-files.js';
import { generateSigningKey, keysDocument } from '../signing-keys.js';
import { runAuditCommand } from '../verify-command.js';
import { makeBundle } from './make-bundle.js';

const modules = (name: string): string => new URL(`../../node_modules/${name}`, import.meta.url).href;

const UPLOAD = `
import * as core from '${modules('@actions/core/lib/core.js')}';
import { DefaultArtifactClient } from '${modules('@actions/artifact/lib/artifact.js')}';
import { join } from 'node:path';
try {
  const root = core.getInput('root');
  const files = JSON.parse(core.getInput('files')).map((f) => join(root, f));
  await new DefaultArtifactClient().uploadArtifact(core.getInput('name'), files, root);
} catch (error) {
  core.setFailed(error instanceof Error ? error.message : String(error));
}
`;

let standIn: GitHubStandIn;
let root: string;
const key = generateSigningKey('ed25519', new Date(Date.UTC(2024, 0, 1)));

async function run(argv: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const code = await runAuditCommand(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env,
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  standIn = await startGitHubStandIn({
    claims: { repository: 'acme/shop', repository_id: '4242', run_id: '9001' },
  });
  root = await mkdtemp(join(tmpdir(), 'guard-pull-'));
  const bundle = join(root, 'bundle');
  await makeBundle(bundle, key, new Date(Date.UTC(2025, 0, 1, 13)));
  await writeFile(join(root, 'keys.json'), JSON.stringify(keysDocument({ active: key, retired: [] })));
  const actionDir = join(root, 'action');
  await makeAction(actionDir);
  const job = await createRunnerJob({
    standIn,
    actionDir,
    inputs: {
      root: bundle,
      files: JSON.stringify(await listFiles(bundle)),
      name: 'guard-audit-9001-1-deploy',
    },
  });
  const main = await job.runMain({ timeoutMs: 60_000 });
  if (main.conclusion !== 'success') throw new Error(`upload failed:\n${main.log}`);
}, 90_000);

afterAll(async () => {
  await standIn?.close();
  await rm(root, { recursive: true, force: true });
});

async function makeAction(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'action.yml'),
    'name: up\ninputs:\n  root: {}\n  files: {}\n  name: {}\nruns:\n  using: node24\n  main: main.mjs\n',
  );
  await writeFile(join(dir, 'main.mjs'), UPLOAD);
}

describe('guard audit pull', () => {
  it('downloads the run’s guard artifact, verifies it and prints the summary table', async () => {
    const out = join(root, 'out');
    const token = standIn.createToken({ repositories: ['acme/shop'] });
    const { code, stdout, stderr } = await run(
      [
        'pull',
        '--repo',
        'acme/shop',
        '--run',
        '9001',
        '--job',
        'deploy',
        '--out',
        out,
        '--key',
        join(root, 'keys.json'),
      ],
      { GITHUB_API_URL: standIn.apiUrl, GITHUB_TOKEN: token },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^VALID {2}guard-audit-9001-1-deploy -> /m);
    expect(stdout).toMatch(/alice \(approved via pr-comment\)/);
    expect(stdout).toContain('SQL statements: 3; masked values by type: email 8');
    expect(
      JSON.parse(await readFile(join(out, 'guard-audit-9001-1-deploy', 'manifest.json'), 'utf8')),
    ).toMatchObject({ sessionId: 'sess-1' });
    // The download went through GitHub's documented endpoint with the token.
    expect(
      standIn.requests.some((r) => /\/repos\/acme\/shop\/actions\/artifacts\/\d+\/zip$/.test(r.path)),
    ).toBe(true);
  });

  it('exits 1 when the run has no guard artifact for the job, and when the token may not read the repository', async () => {
    const token = standIn.createToken({ repositories: ['acme/shop'] });
    const env = { GITHUB_API_URL: standIn.apiUrl, GITHUB_TOKEN: token };
    const keys = ['--key', join(root, 'keys.json')];
    const none = await run(
      [
        'pull',
        '--repo',
        'acme/shop',
        '--run',
        '9001',
        '--job',
        'build',
        '--out',
        join(root, 'none'),
        ...keys,
      ],
      env,
    );
    expect(none).toMatchObject({
      code: 1,
      stderr: 'guard: run 9001 of acme/shop has no guard audit artifact for job build to verify\n',
    });
    const other = standIn.createToken({ repositories: ['acme/other'] });
    const denied = await run(
      ['pull', '--repo', 'acme/shop', '--run', '9001', '--out', join(root, 'denied'), ...keys],
      { ...env, GITHUB_TOKEN: other },
    );
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/cannot list the artifacts of acme\/shop run 9001/);
  });
});
