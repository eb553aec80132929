// `check_run.requested_action`: a reviewer pressed Approve or Deny on guard's check run. The identifier
// names the approval; the check run must be the one guard created for it, in the same repository.
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { GuardError } from '../../lib/errors.js';
import { getApproval, type ApprovalState } from '../approvals.js';
import { parseActionIdentifier } from './commands.js';
import { publicationOf } from './publisher.js';
import { castVote, refuse, type GitHubVote, type VoteDeps } from './votes.js';

export async function onCheckRunAction(
  deps: VoteDeps & { appId: number },
  event: EmitterWebhookEvent<'check_run.requested_action'>,
): Promise<string> {
  const { payload } = event;
  const action = parseActionIdentifier(payload.requested_action?.identifier ?? '');
  if (!action) return 'ignored: not a guard action';
  if (payload.check_run.app?.id !== deps.appId) return 'ignored: check run of another app';
  const repository = payload.repository.full_name;
  const installationId = payload.installation?.id;
  if (installationId !== undefined) deps.client.remember(repository, installationId);
  let approval: ApprovalState | undefined;
  try {
    approval = await getApproval(deps.ctx, action.id);
  } catch (error) {
    if (!(error instanceof GuardError && error.code === 'NOT_FOUND')) throw error;
  }
  const where = approval ? publicationOf(approval) : {};
  const vote: GitHubVote = {
    approvalId: action.id,
    login: payload.sender.login,
    decision: action.decision,
    comment: action.decision === 'deny' ? 'denied with the check run button' : '',
    channel: 'check-run',
    repository,
    source: {
      delivery: event.id,
      check_run_id: payload.check_run.id,
      check_run_url: payload.check_run.html_url,
    },
    // A check run has no thread; an answer goes to the pull request guard commented on, if any.
    ...(where.pullRequest !== undefined ? { replyOn: where.pullRequest } : {}),
    ...(installationId !== undefined ? { installationId } : {}),
  };
  if (approval && where.checkRunId !== payload.check_run.id) {
    const why = `check run ${payload.check_run.id} is not the one guard created for approval ${action.id}`;
    await refuse(deps, vote, approval, 'NOT_FOUND', why);
    return `not counted: ${why}`;
  }
  const outcome = await castVote(deps, vote);
  return outcome.counted
    ? `counted: ${action.decision} ${action.id} by ${vote.login}`
    : `not counted: ${outcome.why}`;
}
