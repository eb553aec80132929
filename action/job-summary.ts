// The job summary: what compliance and the reviewer see on the run page without opening the artifact.
import * as core from '@actions/core';
import { approverLabels, type DeploymentRecord } from '../audit/manifest.js';
import type { JobClaims } from '../lib/claims.js';
// Pure and dependency-free; the review page uses the same escaping.
import { escapeHtml } from '../server/review-page/html.js';
import { policySummaryMarkdown } from '../policies/summary.js';
import type { EffectivePolicy } from '../policies/types.js';
import type { StepView } from './step-summary.js';

export async function writeJobSummary(input: {
  name: string;
  steps: StepView[];
  policy: EffectivePolicy;
  identity: JobClaims;
  artifactId: number | undefined;
  manifestSha256: string;
  deployment?: DeploymentRecord;
}): Promise<void> {
  const rows = input.steps.map((step) => [
    String(step.n),
    step.name,
    step.status === 'finished'
      ? step.exitCode === 0
        ? 'succeeded'
        : `failed (exit ${step.exitCode})`
      : step.status,
    approverLabels(step.approvals).join(', ') || (step.decision === 'allowed' ? 'not required' : '-'),
    step.durationMs === null ? '-' : `${(step.durationMs / 1000).toFixed(1)} s`,
    String(Object.values(step.maskCounts).reduce((sum, count) => sum + count, 0)),
  ]);
  const server = process.env.GITHUB_SERVER_URL ?? 'https://github.com';
  const link = input.artifactId
    ? `${server}/${input.identity.repository}/actions/runs/${input.identity.run_id}/artifacts/${input.artifactId}`
    : undefined;
  const summary = core.summary
    .addHeading('guard', 2)
    .addRaw(
      `Policy <code>${input.policy.name}</code> (${input.policy.version}) · run ${input.identity.run_id} attempt ${input.identity.run_attempt} · actor ${input.identity.actor}`,
      true,
    );
  if (input.deployment) {
    const { environment, approvals, sha } = input.deployment;
    const by = approvals
      .filter((vote) => vote.decision === 'approved')
      .map((vote) => `${vote.reviewer} (${vote.channel}, ${vote.at})`);
    summary.addRaw(
      `<p>Deployment of <code>${escapeHtml(sha.slice(0, 12))}</code> to <code>${escapeHtml(environment)}</code> approved by ${escapeHtml(by.join(', ') || 'policy')} (guard deployment gate)</p>`,
      true,
    );
  }
  summary.addTable([
    [
      { data: '#', header: true },
      { data: 'Step', header: true },
      { data: 'Status', header: true },
      { data: 'Approved by', header: true },
      { data: 'Duration', header: true },
      { data: 'Masked values', header: true },
    ],
    ...rows,
  ]);
  if (rows.length === 0) summary.addRaw('No guarded steps ran in this job.', true);
  if (link) summary.addLink(`Audit bundle ${input.name}`, link);
  summary.addRaw(`<p>Manifest sha256 <code>${input.manifestSha256}</code></p>`, true);
  summary.addRaw(`\n${policySummaryMarkdown(input.policy)}\n`, true);
  await summary.write();
}
