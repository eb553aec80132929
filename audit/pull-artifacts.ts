// `guard audit pull`: finds a run's guard audit artifacts through the GitHub REST API, downloads and
// unpacks them. Verification is the caller's (the same offline check as `guard audit verify`).

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Octokit } from 'octokit';
import { GuardError, describeError } from '../lib/errors.js';
import { readZip } from './zip-reader.js';

export interface PullOptions {
  repo: string;
  runId: string;
  job?: string;
  outDir: string;
  token?: string;
  apiUrl: string;
}

export interface PulledArtifact {
  id: number;
  name: string;
  zipPath: string;
  dir: string;
}

export interface PullResult {
  pulled: PulledArtifact[];
  /** Guard artifacts GitHub no longer has (retention ran out). */
  expired: string[];
}

export async function pullAuditArtifacts(options: PullOptions): Promise<PullResult> {
  const [owner, repo, extra] = options.repo.split('/');
  if (!owner || !repo || extra !== undefined)
    throw new GuardError('BAD_INPUT', `guard: --repo must be OWNER/REPO, not ${options.repo}`);
  if (!/^\d+$/.test(options.runId))
    throw new GuardError('BAD_INPUT', `guard: --run must be a numeric run id, not ${options.runId}`);
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.apiUrl,
    retry: { enabled: false },
    throttle: { enabled: false },
  });
  const prefix = `guard-audit-${options.runId}-`;
  let artifacts;
  try {
    artifacts = await octokit.paginate(octokit.rest.actions.listWorkflowRunArtifacts, {
      owner,
      repo,
      run_id: Number(options.runId),
      per_page: 100,
    });
  } catch (error) {
    throw new GuardError(
      'SERVER_ERROR',
      `guard: cannot list the artifacts of ${options.repo} run ${options.runId}: ${describeError(error)}; check the run id and that the token may read actions`,
      { cause: error },
    );
  }
  const ours = artifacts.filter(
    (a) =>
      a.name.startsWith(prefix) &&
      (options.job === undefined || a.name.endsWith(`-${options.job.replace(/[^A-Za-z0-9._-]/g, '_')}`)),
  );
  const result: PullResult = { pulled: [], expired: [] };
  for (const artifact of ours) {
    if (artifact.expired) {
      result.expired.push(artifact.name);
      continue;
    }
    let data: ArrayBuffer;
    try {
      const response = await octokit.rest.actions.downloadArtifact({
        owner,
        repo,
        artifact_id: artifact.id,
        archive_format: 'zip',
      });
      data = response.data as ArrayBuffer;
    } catch (error) {
      throw new GuardError(
        'SERVER_ERROR',
        `guard: cannot download artifact ${artifact.name} (${artifact.id}): ${describeError(error)}`,
        { cause: error },
      );
    }
    const zip = Buffer.from(data);
    const zipPath = join(options.outDir, `${artifact.name}.zip`);
    const dir = join(options.outDir, artifact.name);
    await mkdir(options.outDir, { recursive: true });
    await writeFile(zipPath, zip);
    for (const [name, bytes] of readZip(zip, zipPath)) {
      const target = join(dir, name);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, bytes);
    }
    result.pulled.push({ id: artifact.id, name: artifact.name, zipPath, dir });
  }
  return result;
}
