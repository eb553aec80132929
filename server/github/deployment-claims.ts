// The job identity a deployment protection rule request gives: enough to resolve policy the way a job's
// OIDC claims do. Pure. What the webhook does not carry (the workflow file, job_workflow_ref, the
// runner) is left empty, so a policy that matches on those does not match a deployment gate.
import type { JobClaims } from '../../lib/claims.js';

export interface ProtectionRuleRequest {
  environment?: string;
  event?: string;
  deployment_callback_url?: string;
  deployment?: {
    id: number;
    sha: string;
    ref: string;
    creator?: { login: string } | null;
  };
  pull_requests?: { number: number }[];
  repository: { id: number; full_name: string; owner: { login: string; id: number }; visibility?: string };
  installation?: { id: number };
  sender: { login: string };
}

/** `/repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule` on the configured API. */
export function runIdFromCallback(
  callbackUrl: string,
  apiUrl: string,
  repository: string,
): string | undefined {
  const prefix = `${apiUrl}/repos/${repository}/actions/runs/`.toLowerCase();
  if (!callbackUrl.toLowerCase().startsWith(prefix)) return undefined;
  const match = /^(\d+)\/deployment_protection_rule$/.exec(callbackUrl.slice(prefix.length));
  return match?.[1];
}

export function claimsFromProtectionRule(request: ProtectionRuleRequest, runId: string): JobClaims {
  const repository = request.repository.full_name;
  const rawRef = request.deployment?.ref ?? '';
  // Actions deploys name the branch ("main"); a full ref or a commit sha is kept as given.
  const ref =
    rawRef.startsWith('refs/') || /^[0-9a-f]{40}$/.test(rawRef) || !rawRef ? rawRef : `refs/heads/${rawRef}`;
  const environment = request.environment ?? '';
  return {
    iss: 'github-deployment-protection-rule',
    aud: 'guard',
    sub: `repo:${repository}:environment:${environment}`,
    repository,
    repository_id: String(request.repository.id),
    repository_owner: request.repository.owner.login,
    repository_owner_id: String(request.repository.owner.id),
    ...(request.repository.visibility ? { repository_visibility: request.repository.visibility } : {}),
    run_id: runId,
    run_attempt: '',
    ref,
    ...(ref.startsWith('refs/heads/')
      ? { ref_type: 'branch' }
      : ref.startsWith('refs/tags/')
        ? { ref_type: 'tag' }
        : {}),
    sha: request.deployment?.sha ?? '',
    actor: request.deployment?.creator?.login ?? request.sender.login,
    triggering_actor: request.sender.login,
    workflow: '',
    event_name: request.event ?? '',
    environment,
  };
}
