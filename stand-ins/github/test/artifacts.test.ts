// The artifact results service and blob storage, exercised by the real @actions/artifact client running
// inside a throwaway action under the runner stand-in (the client reads its env at import time, as in a
// real job), then read back through the REST API with the real octokit.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from 'octokit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunnerJob } from '../../runner/index.js';
import type { RunnerJob } from '../../runner/index.js';
import { startGitHubStandIn } from '../index.js';
import type { GitHubStandIn } from '../index.js';

const modules = (name: string): string => new URL(`../../../node_modules/${name}`, import.meta.url).href;

const UPLOAD = `
import * as core from '${modules('@actions/core/lib/core.js')}';
import { DefaultArtifactClient } from '${modules('@actions/artifact/lib/artifact.js')}';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
try {
  const root = join(process.env.RUNNER_TEMP, 'evidence');
  mkdirSync(join(root, 'steps'), { recursive: true });
  writeFileSync(join(root, 'manifest.json'), JSON.stringify({ run: process.env.GITHUB_RUN_ID }));
  writeFileSync(join(root, 'steps', '1.cast'), 'x'.repeat(Number(core.getInput('cast-bytes'))));
  const client = new DefaultArtifactClient();
  const name = core.getInput('name');
  const up = await client.uploadArtifact(name, [join(root, 'manifest.json'), join(root, 'steps', '1.cast')], root, { compressionLevel: 0 });
  core.setOutput('id', String(up.id));
  core.setOutput('size', String(up.size));
  core.setOutput('digest', up.digest);
  const listed = await client.listArtifacts();
  core.setOutput('listed', JSON.stringify(listed.artifacts.map((a) => [a.id, a.name, a.size, a.digest])));
  const dl = await client.downloadArtifact(up.id, { path: join(process.env.RUNNER_TEMP, 'dl-internal') });
  core.setOutput('internal-download', dl.downloadPath);
  const pub = await client.downloadArtifact(up.id, {
    path: join(process.env.RUNNER_TEMP, 'dl-public'),
    findBy: { token: core.getInput('token'), workflowRunId: Number(process.env.GITHUB_RUN_ID),
      repositoryOwner: process.env.GITHUB_REPOSITORY_OWNER, repositoryName: process.env.GITHUB_REPOSITORY.split('/')[1] },
    expectedHash: 'sha256:' + up.digest,
  });
  core.setOutput('public-download', pub.downloadPath);
  core.setOutput('public-mismatch', String(pub.digestMismatch));
  if (core.getInput('upload-twice') === 'true') await client.uploadArtifact(name, [join(root, 'manifest.json')], root);
} catch (error) {
  core.setFailed(error instanceof Error ? error.message : String(error));
}
`;

let standIn: GitHubStandIn;
let actionDir: string;

beforeAll(async () => {
  standIn = await startGitHubStandIn({
    claims: { repository: 'acme/shop', repository_id: '4242', run_id: '9001' },
  });
  actionDir = await mkdtemp(join(tmpdir(), 'guard-artifact-action-'));
  await writeFile(
    join(actionDir, 'action.yml'),
    'name: up\ninputs:\n  name: {}\n  cast-bytes: { default: "100" }\n  upload-twice: { default: "false" }\n  token: { default: "${{ github.token }}" }\nruns:\n  using: node24\n  main: main.mjs\n',
  );
  await writeFile(join(actionDir, 'main.mjs'), UPLOAD);
});

afterAll(async () => {
  await standIn.close();
  await rm(actionDir, { recursive: true, force: true });
});

async function upload(inputs: Record<string, string>): Promise<{ job: RunnerJob; log: string; ok: boolean }> {
  const job = await createRunnerJob({ standIn, actionDir, inputs });
  const main = await job.runMain({ timeoutMs: 60_000 });
  return { job, log: main.log, ok: main.conclusion === 'success' };
}

describe('artifact results service', () => {
  it('takes an upload from the real client (blocks + block list), lists and serves it both ways', async () => {
    // 9 MiB of cast: more than the client's 8 MiB chunk, so the upload spans two blocks.
    const { job, log, ok } = await upload({
      name: 'guard-audit-9001-1-deploy',
      'cast-bytes': String(9 * 1024 * 1024),
    });
    try {
      expect(log).not.toMatch(/##\[error\]/);
      expect(ok).toBe(true);
      const out = job.outputs();
      const stored = standIn.artifacts().find((a) => a.id === Number(out['id']));
      expect(stored).toBeDefined();
      expect(stored).toMatchObject({
        name: 'guard-audit-9001-1-deploy',
        runId: '9001',
        repository: 'acme/shop',
        runBackendId: job.registration.workflowRunBackendId,
      });
      expect(stored?.size).toBe(Number(out['size']));
      expect(stored?.digest).toBe(`sha256:${out['digest']}`);
      expect(stored?.zip.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');

      const blockPuts = standIn.requests.filter((r) => r.method === 'PUT' && r.path.includes('comp=block&'));
      expect(blockPuts.length).toBeGreaterThanOrEqual(2);
      expect(standIn.requests.some((r) => r.method === 'PUT' && r.path.includes('comp=blocklist'))).toBe(
        true,
      );

      expect(JSON.parse(out['listed'] ?? '[]')).toEqual([
        [stored?.id, stored?.name, stored?.size, stored?.digest],
      ]);
      for (const dir of [out['internal-download'], out['public-download']]) {
        expect(JSON.parse(await readFile(join(dir ?? '', 'manifest.json'), 'utf8'))).toEqual({ run: '9001' });
        expect((await readFile(join(dir ?? '', 'steps', '1.cast'))).length).toBe(9 * 1024 * 1024);
      }
      expect(out['public-mismatch']).toBe('false');
      // The stored zip is a real archive that standard tools open.
      const zipFile = join(job.dir, 'a.zip');
      await writeFile(zipFile, stored?.zip ?? Buffer.alloc(0));
      expect(
        execFileSync('python3', [
          '-c',
          `import zipfile,sys; print(sorted(zipfile.ZipFile(sys.argv[1]).namelist()))`,
          zipFile,
        ])
          .toString()
          .trim(),
      ).toBe("['manifest.json', 'steps/1.cast']");
    } finally {
      await job.cleanup();
    }
  });

  it('refuses a second artifact with the same name in the run, like GitHub', async () => {
    const { job, log, ok } = await upload({ name: 'dup', 'upload-twice': 'true' });
    try {
      expect(ok).toBe(false);
      expect(log).toContain('an artifact with this name already exists on the workflow run');
      expect(standIn.artifacts().filter((a) => a.name === 'dup')).toHaveLength(1);
    } finally {
      await job.cleanup();
    }
  });

  it('rejects calls without a valid runtime token or for another job', async () => {
    const url = `${standIn.resultsUrl}twirp/github.actions.results.api.v1.ArtifactService/ListArtifacts`;
    const anonymous = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'unauthenticated' });
    const job = await standIn.registerJob();
    const other = await standIn.registerJob({ claims: { run_id: '1' } });
    const crossed = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${job.runtimeToken}` },
      body: JSON.stringify({
        workflow_run_backend_id: other.workflowRunBackendId,
        workflow_job_run_backend_id: other.workflowJobRunBackendId,
      }),
    });
    expect(crossed.status).toBe(403);
  });

  it('refuses blob access with a wrong signature', async () => {
    const artifact = standIn.artifacts()[0];
    expect(artifact).toBeDefined();
    const res = await fetch(
      `${standIn.url}/productionresultssa0/actions-results/${artifact?.runBackendId}/x.zip?sig=forged`,
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('x-ms-error-code')).toBe('AuthenticationFailed');
  });
});

describe('REST artifacts API (real octokit)', () => {
  it('lists run artifacts and redirects the zip download to a signed blob URL', async () => {
    const octokit = new Octokit({
      baseUrl: standIn.apiUrl,
      auth: standIn.createToken({ repositories: ['acme/shop'] }),
    });
    const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({
      owner: 'acme',
      repo: 'shop',
      run_id: 9001,
    });
    const stored = standIn.artifacts().filter((a) => a.runId === '9001' && a.repository === 'acme/shop');
    expect(data.total_count).toBe(stored.length);
    const first = data.artifacts.find((a) => a.name === 'guard-audit-9001-1-deploy');
    const original = stored.find((a) => a.name === 'guard-audit-9001-1-deploy');
    expect(first).toMatchObject({
      id: original?.id,
      size_in_bytes: original?.size,
      digest: original?.digest,
      expired: false,
      archive_download_url: `${standIn.apiUrl}/repos/acme/shop/actions/artifacts/${original?.id}/zip`,
      workflow_run: {
        id: 9001,
        repository_id: 4242,
        head_repository_id: 4242,
        head_branch: 'main',
        head_sha: standIn.claims().sha,
      },
    });

    const byName = await octokit.rest.actions.listWorkflowRunArtifacts({
      owner: 'acme',
      repo: 'shop',
      run_id: 9001,
      name: 'dup',
    });
    expect(byName.data.artifacts.map((a) => a.name)).toEqual(['dup']);

    const redirect = await octokit.rest.actions.downloadArtifact({
      owner: 'acme',
      repo: 'shop',
      artifact_id: original?.id ?? 0,
      archive_format: 'zip',
      request: { redirect: 'manual' },
    });
    expect(redirect.status).toBe(302);
    const location = String(redirect.headers.location);
    expect(location).toContain('sig=');
    const zip = Buffer.from(await (await fetch(location)).arrayBuffer());
    expect(zip.equals(original?.zip ?? Buffer.alloc(0))).toBe(true);

    // Following the redirect (octokit's default) yields the zip bytes too.
    const followed = await octokit.rest.actions.downloadArtifact({
      owner: 'acme',
      repo: 'shop',
      artifact_id: original?.id ?? 0,
      archive_format: 'zip',
    });
    expect(Buffer.from(followed.data as ArrayBuffer).equals(original?.zip ?? Buffer.alloc(0))).toBe(true);
  });

  it('answers 401 to a bad token and 404 to a token for another repository', async () => {
    const bad = new Octokit({ baseUrl: standIn.apiUrl, auth: 'ghp_notavalidtoken' });
    await expect(
      bad.rest.actions.listWorkflowRunArtifacts({ owner: 'acme', repo: 'shop', run_id: 9001 }),
    ).rejects.toMatchObject({ status: 401 });
    const elsewhere = new Octokit({
      baseUrl: standIn.apiUrl,
      auth: standIn.createToken({ repositories: ['acme/other'] }),
    });
    await expect(
      elsewhere.rest.actions.listWorkflowRunArtifacts({ owner: 'acme', repo: 'shop', run_id: 9001 }),
    ).rejects.toMatchObject({ status: 404 });
    const anonymous = new Octokit({ baseUrl: standIn.apiUrl });
    await expect(
      anonymous.rest.actions.listWorkflowRunArtifacts({ owner: 'acme', repo: 'shop', run_id: 9001 }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('deletes an artifact and then answers 404 for it', async () => {
    const octokit = new Octokit({ baseUrl: standIn.apiUrl, auth: standIn.createToken() });
    const dup = standIn.artifacts().find((a) => a.name === 'dup');
    const del = await octokit.rest.actions.deleteArtifact({
      owner: 'acme',
      repo: 'shop',
      artifact_id: dup?.id ?? 0,
    });
    expect(del.status).toBe(204);
    await expect(
      octokit.rest.actions.getArtifact({ owner: 'acme', repo: 'shop', artifact_id: dup?.id ?? 0 }),
    ).rejects.toMatchObject({ status: 404 });
    expect(standIn.artifacts().some((a) => a.name === 'dup')).toBe(false);
  });

  it('records REST calls with method, path, headers and body', () => {
    const call = standIn.requests.find((r) =>
      r.path.startsWith('/repos/acme/shop/actions/runs/9001/artifacts'),
    );
    expect(call).toMatchObject({ method: 'GET', status: 200 });
    expect(String(call?.headers.authorization)).toMatch(/^token ghp_/);
  });
});
