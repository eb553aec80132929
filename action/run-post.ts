// The action's post step (runs even when the job failed): close the session, assemble the audit bundle,
// upload it as an artifact, and write the job summary.
import { DefaultArtifactClient } from '@actions/artifact';
import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GuardServerClient } from '../client/server-api.js';
import type { JobClaims } from '../lib/claims.js';
import { describeError } from '../lib/errors.js';
import { bundleName } from '../audit/manifest.js';
import { assembleBundle } from './audit-bundle.js';
import { IDENTITY_FILE, POLICY_FILE } from './session-env.js';
import { readPostSettings } from './settings.js';
import { loadActionState } from './state.js';
import { writeJobSummary } from './job-summary.js';

export async function cleanup(): Promise<void> {
  try {
    const state = loadActionState();
    if (!state) {
      core.info('guard: no session was opened in this job; there is no audit bundle to upload');
      return;
    }
    const settings = readPostSettings();
    const privateDir = join(dirname(state.auditDir), 'private');
    const identity = JSON.parse(await readFile(join(privateDir, IDENTITY_FILE), 'utf8')) as JobClaims;
    const policy = JSON.parse(await readFile(join(privateDir, POLICY_FILE), 'utf8')) as {
      name: string;
      version: string;
    };
    const job = process.env.GITHUB_JOB ?? 'job';
    const name = bundleName(identity, job);
    const bundle = await assembleBundle({
      recordDir: state.auditDir,
      outDir: join(dirname(state.auditDir), 'bundle', name),
      sessionId: state.sessionId,
      job,
      identity,
      policy,
    });
    core.info(
      `guard: audit bundle ${bundle.dir} (${bundle.files.length} files, manifest sha256 ${bundle.manifestSha256})`,
    );

    const client = new GuardServerClient(state.server, state.credential);
    await client.closeSession(bundle.manifestSha256);
    core.info(`guard: session ${state.sessionId} closed`);

    let artifact: { id?: number; size?: number } | undefined;
    if (settings.upload) {
      const uploaded = await new DefaultArtifactClient().uploadArtifact(
        name,
        bundle.files,
        bundle.dir,
        settings.retentionDays > 0 ? { retentionDays: settings.retentionDays } : {},
      );
      artifact = uploaded;
      core.info(
        `guard: uploaded audit artifact '${name}' (id ${uploaded.id ?? '?'}, ${uploaded.size ?? '?'} bytes)`,
      );
      core.setOutput('artifact-id', String(uploaded.id ?? ''));
    }
    await writeJobSummary({
      name,
      steps: bundle.steps,
      policy,
      identity,
      artifactId: artifact?.id,
      manifestSha256: bundle.manifestSha256,
    });
  } catch (error) {
    core.setFailed(describeError(error));
  }
}
