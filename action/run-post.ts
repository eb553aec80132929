// The action's post step (runs even when the job failed): close the session, assemble the audit bundle,
// upload it as an artifact, and write the job summary.
import { DefaultArtifactClient } from '@actions/artifact';
import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GuardServerClient } from '../client/server-api.js';
import type { JobClaims } from '../lib/claims.js';
import { describeError, GuardError } from '../lib/errors.js';
import { writeEnvelope } from '../audit/bundle-writer.js';
import { bundleName, ENVELOPE_FILE, MANIFEST_FILE, type DeploymentRecord } from '../audit/manifest.js';
import type { EffectivePolicy } from '../policies/types.js';
import { assembleBundle } from './audit-bundle.js';
import { DEPLOYMENT_FILE, IDENTITY_FILE, POLICY_FILE } from './session-env.js';
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
    const policy = JSON.parse(await readFile(join(privateDir, POLICY_FILE), 'utf8')) as EffectivePolicy;
    const deployment = await readFile(join(privateDir, DEPLOYMENT_FILE), 'utf8').then(
      (text) => JSON.parse(text) as DeploymentRecord,
      () => undefined,
    );
    const job = process.env.GITHUB_JOB ?? 'job';
    const name = bundleName(identity, job);
    const bundle = await assembleBundle({
      recordDir: state.auditDir,
      outDir: join(dirname(state.auditDir), 'bundle', name),
      sessionId: state.sessionId,
      job,
      identity,
      policy: { name: policy.name, version: policy.version },
      ...(deployment ? { deployment } : {}),
    });
    core.info(
      `guard: audit bundle ${bundle.dir} (${bundle.files.length} files, manifest sha256 ${bundle.manifestSha256})`,
    );

    // The server checks the manifest against its own record, signs it and enters it in its ledger. If it
    // will not vouch for it, the bundle is still uploaded (evidence is never dropped) and the job fails.
    const client = new GuardServerClient(state.server, state.credential);
    const closed = await client.closeSession(await readFile(join(bundle.dir, MANIFEST_FILE), 'utf8'));
    if (closed.envelope) {
      await writeEnvelope(bundle.dir, closed.envelope);
      bundle.files.push(join(bundle.dir, ENVELOPE_FILE));
      core.info(
        `guard: session ${state.sessionId} closed; the server signed the manifest (ledger row ${closed.ledger?.seq ?? '?'})`,
      );
    } else {
      core.info(`guard: session ${state.sessionId} closed`);
    }
    const refused = closed.problems ?? [];

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
      ...(deployment ? { deployment } : {}),
    });
    if (refused.length > 0) {
      throw new GuardError(
        'RECORDING_FAILED',
        `guard: the server refused to sign this job's evidence: ${refused.join('; ')}. The unsigned bundle was uploaded for investigation.`,
      );
    }
  } catch (error) {
    core.setFailed(describeError(error));
  }
}
