// Before the server signs a job's manifest it compares it with its own record of the session: the signature
// says "this is what the server saw", so a runner cannot get a signature over steps, scripts, recordings or
// approvals that did not happen. Pure.
import type { DeploymentRecord, Manifest } from '../../audit/manifest.js';
import type { JobClaims } from '../../lib/claims.js';
import { canonicalJson } from '../../recording/canonical-json.js';

export interface ServerStep {
  seq: number;
  name: string;
  scriptSha256: string;
  decision: string;
  status: string;
  exitCode: number | null;
  castSha256: string | null;
  approvedBy: string[];
}

export interface ServerSession {
  id: string;
  job: string;
  claims: JobClaims;
  steps: ServerStep[];
  /** The deployment gate approval linked to the session, if any. */
  deployment: DeploymentRecord | null;
}

/** Every difference, each a sentence naming the step and the field; empty when the manifest agrees. */
export function compareManifest(manifest: Manifest, session: ServerSession): string[] {
  const problems: string[] = [];
  if (manifest.sessionId !== session.id)
    problems.push(`manifest names session ${manifest.sessionId}, this is session ${session.id}`);
  if (manifest.job !== session.job)
    problems.push(`manifest names job '${manifest.job}', the session is for job '${session.job}'`);
  if (canonicalJson(manifest.identity) !== canonicalJson(session.claims))
    problems.push("manifest identity differs from the job's verified OIDC claims");
  const byN = new Map(manifest.steps.map((step) => [step.n, step]));
  for (const step of session.steps) {
    const listed = byN.get(step.seq);
    byN.delete(step.seq);
    if (!listed) {
      problems.push(
        `step ${step.seq} ('${step.name}') ran according to the server but is missing from the manifest`,
      );
      continue;
    }
    if (listed.scriptSha256 !== step.scriptSha256)
      problems.push(`step ${step.seq}: script sha256 differs from the one the server judged`);
    if (step.castSha256 !== null && listed.castSha256 !== step.castSha256)
      problems.push(`step ${step.seq}: recording sha256 differs from the one reported when the step ended`);
    if (step.status === 'finished' && listed.exitCode !== step.exitCode)
      problems.push(
        `step ${step.seq}: exit code ${listed.exitCode} differs from the reported ${step.exitCode}`,
      );
    const approvers = listed.approvals
      .filter((vote) => vote.decision === 'approved')
      .map((vote) => vote.reviewer.toLowerCase())
      .sort();
    if (approvers.join(',') !== [...step.approvedBy].sort().join(',')) {
      problems.push(
        `step ${step.seq}: approvers [${approvers.join(', ')}] differ from the server's [${step.approvedBy.join(', ')}]`,
      );
    }
  }
  for (const extra of byN.values())
    problems.push(`step ${extra.n} ('${extra.name}') is in the manifest but the server never judged it`);
  const deployment = compareDeployment(manifest.deployment ?? null, session.deployment);
  if (deployment !== undefined) problems.push(deployment);
  return problems;
}

function compareDeployment(
  listed: DeploymentRecord | null,
  server: DeploymentRecord | null,
): string | undefined {
  if (server === null) {
    return listed === null
      ? undefined
      : `the manifest names deployment approval ${listed.approval}, which the server did not link to this job`;
  }
  if (listed === null)
    return `the manifest leaves out deployment approval ${server.approval} (${server.environment}) that let this job start`;
  if (canonicalJson(listed) !== canonicalJson(server))
    return `the manifest's deployment approval ${listed.approval} differs from the server's record of it`;
  return undefined;
}
