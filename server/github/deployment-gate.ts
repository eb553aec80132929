// The custom deployment protection rule: GitHub asks before a job that targets a protected environment
// gets a runner; guard resolves policy for the repository and environment, opens an approval with the
// same reviewers and rules as a step, and answers GitHub's callback when it is decided.
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { sha256Hex } from '../../lib/digest.js';
import { describeError } from '../../lib/errors.js';
import { announceRequested, createApproval, type ApprovalState } from '../approvals.js';
import type { ServerContext } from '../context.js';
import { recordEvent } from '../events.js';
import { resolveJobPolicy } from '../policy-source.js';
import {
  claimsFromProtectionRule,
  runIdFromCallback,
  type ProtectionRuleRequest,
} from './deployment-claims.js';
import { splitRepository, type GitHubClient } from './github-client.js';
import { statusLine } from './render.js';

export interface GateDeps {
  ctx: ServerContext;
  client: GitHubClient;
}

export async function onProtectionRuleRequested(
  deps: GateDeps,
  event: EmitterWebhookEvent<'deployment_protection_rule.requested'>,
): Promise<string> {
  const request = event.payload as unknown as ProtectionRuleRequest;
  const repository = request.repository.full_name;
  const callback = request.deployment_callback_url ?? '';
  const installationId = request.installation?.id;
  if (installationId !== undefined) deps.client.remember(repository, installationId);
  // The callback is called with an installation token: only ever on the configured API and this repository.
  const runId = runIdFromCallback(callback, deps.client.config.apiUrl, repository);
  if (!runId || !request.environment || !request.deployment) {
    await recordEvent(deps.ctx.db, null, 'security.refused', {
      stage: 'deployment_protection_rule',
      code: 'BAD_INPUT',
      delivery: event.id,
      repository,
      callback,
    });
    return 'refused: the callback URL is not a deployment protection rule callback of this repository on the configured API';
  }
  const claims = claimsFromProtectionRule(request, runId);
  const resolution = resolveJobPolicy(deps.ctx.policies, claims);
  if (!resolution.ok) {
    await recordEvent(deps.ctx.db, null, 'deployment.refused', {
      delivery: event.id,
      repository,
      environment: request.environment,
      run_id: runId,
      reason: resolution.reason,
    });
    await answer(
      deps,
      { repository, runId, environment: request.environment, installationId },
      'rejected',
      resolution.reason,
    );
    return 'rejected: no policy allows it';
  }
  const policy = resolution.policy;
  const what = {
    repository,
    environment: request.environment,
    run_id: runId,
    deployment_id: request.deployment.id,
    ref: claims.ref,
    sha: claims.sha,
    event: claims.event_name,
  };
  const body = [
    `Deployment ${request.deployment.id} of ${claims.sha || '(unknown commit)'} (${claims.ref || 'unknown ref'})`,
    `to environment ${request.environment}, workflow run ${runId}, triggered by ${claims.triggering_actor} (${claims.event_name || 'unknown event'}).`,
    `Policy: ${policy.name} (${policy.version}).`,
  ].join('\n');
  const pullRequest = request.pull_requests?.[0]?.number;
  const id = await createApproval(deps.ctx.db, deps.ctx, {
    kind: 'deployment',
    repository,
    runId,
    actor: claims.actor,
    ...(claims.triggering_actor ? { triggeringActor: claims.triggering_actor } : {}),
    title: `deployment to ${request.environment}`,
    body,
    // What is approved: this deployment of this commit to this environment, and nothing else.
    digest: sha256Hex(JSON.stringify(what)),
    context: {
      environment: request.environment,
      sha: claims.sha,
      ref: claims.ref,
      event: claims.event_name,
      deployment_id: request.deployment.id,
      deployment_callback_url: callback,
      ...(installationId !== undefined ? { installation_id: installationId } : {}),
      ...(pullRequest !== undefined ? { pr_number: pullRequest } : {}),
      policy: policy.name,
      github_rules: policy.approvals,
      delivery: event.id,
    },
    rules: policy.approvals,
  });
  await announceRequested(deps.ctx, id);
  return `held: approval ${id}`;
}

/** On a decision, tells GitHub to let the deployment go on or to reject it. */
export async function answerDecidedDeployment(deps: GateDeps, approval: ApprovalState): Promise<void> {
  const c = approval.context;
  const environment = typeof c.environment === 'string' ? c.environment : '';
  if (approval.kind !== 'deployment' || !approval.runId || !environment) return;
  const state = approval.status === 'approved' ? 'approved' : 'rejected';
  await answer(
    deps,
    {
      repository: approval.repository,
      runId: approval.runId,
      environment,
      installationId: typeof c.installation_id === 'number' ? c.installation_id : undefined,
    },
    state,
    `guard approval ${approval.id}: ${statusLine(approval)}`,
    approval.id,
  );
}

async function answer(
  deps: GateDeps,
  target: { repository: string; runId: string; environment: string; installationId: number | undefined },
  state: 'approved' | 'rejected',
  comment: string,
  approvalId?: string,
): Promise<void> {
  try {
    const octokit = await deps.client.forRepository(target.repository, target.installationId);
    await octokit.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule', {
      ...splitRepository(target.repository),
      run_id: Number(target.runId),
      environment_name: target.environment,
      state,
      // GitHub shows the comment on the run; keep it short and free of anything masked.
      comment: comment.slice(0, 1000),
    });
    await recordEvent(deps.ctx.db, null, 'deployment.answered', {
      approval: approvalId ?? null,
      repository: target.repository,
      run_id: target.runId,
      environment: target.environment,
      state,
    });
  } catch (error) {
    deps.ctx.log(
      `deployment protection rule for ${target.repository} run ${target.runId} (${target.environment}): could not answer '${state}': ${describeError(error)}`,
    );
    await recordEvent(deps.ctx.db, null, 'deployment.answer_failed', {
      approval: approvalId ?? null,
      repository: target.repository,
      run_id: target.runId,
      state,
      error: describeError(error).slice(0, 500),
    });
  }
}
