// The claims a runner-reported job is judged by: the same names as an OIDC token's, so one policy governs a
// job whether it is seen through the action's token or through the runner hook. Pure.
import type { JobClaims } from '../../lib/claims.js';
import type { JobContext } from '../../policies/types.js';
import type { JobReport } from '../../runner-hook/protocol.js';
import type { RunnerIdentity } from './runner-credentials.js';

export function claimsFromReport(report: JobReport, runner: Pick<RunnerIdentity, 'name'>): JobClaims {
  const claims: JobClaims = {
    // Not an OIDC token: the issuer names the runner whose credential vouched for the report.
    iss: `guard-runner:${runner.name}`,
    aud: 'guard',
    sub: `repo:${report.repository}:ref:${report.ref}`,
    repository: report.repository,
    repository_id: report.repositoryId,
    repository_owner: report.repositoryOwner,
    repository_owner_id: report.repositoryOwnerId,
    run_id: report.runId,
    run_attempt: report.runAttempt,
    ref: report.ref,
    ref_type: report.refType,
    sha: report.sha,
    actor: report.actor,
    triggering_actor: report.triggeringActor,
    workflow: report.workflow,
    workflow_ref: report.workflowRef,
    event_name: report.eventName,
    runner_environment: 'self-hosted',
  };
  const optional: [keyof JobClaims, string | undefined][] = [
    ['run_number', report.runNumber],
    ['ref_protected', report.refProtected],
    ['workflow_sha', report.workflowSha],
    ['actor_id', report.actorId],
    ['head_ref', report.headRef],
    ['base_ref', report.baseRef],
    ['environment', report.environment],
  ];
  for (const [claim, value] of optional) if (value) claims[claim] = value;
  return claims;
}

export function contextFromReport(report: JobReport): JobContext {
  return report.pullRequestFromFork === undefined ? {} : { pullRequestFromFork: report.pullRequestFromFork };
}
