// A reviewer's decision arriving from GitHub (a PR comment, a check-run button, an approving review):
// checked, counted through the server's one decision path, recorded with where it came from, and, when
// it does not count, answered with why. Nothing here shows the script or SQL.
import { GuardError, describeError } from '../../lib/errors.js';
import { decideApproval, getApproval, type ApprovalState, type DecisionChannel } from '../approvals.js';
import type { ServerContext } from '../context.js';
import { recordEvent } from '../events.js';
import { splitRepository, type GitHubClient } from './github-client.js';
import { permissionAtLeast, rulesFor } from './github-rules.js';
import type { ApprovalPublisher } from './publisher.js';
import { replyNotCounted } from './render.js';
import type { GitHubReviewerDirectory } from './reviewer-directory.js';

export interface GitHubVote {
  approvalId: string;
  login: string;
  decision: 'approve' | 'deny';
  comment?: string;
  channel: Extract<DecisionChannel, 'pr-comment' | 'check-run' | 'pr-review'>;
  /** The repository the comment, button or review is in (`owner/repo`). */
  repository: string;
  /** Where on GitHub it happened (delivery id, comment URL, check run id, review id), for the record. */
  source: Record<string, unknown>;
  /** The issue or pull request to answer on when the vote does not count. */
  replyOn?: number;
  installationId?: number;
}

export interface VoteDeps {
  ctx: ServerContext;
  client: GitHubClient;
  directory: GitHubReviewerDirectory;
  publisher: ApprovalPublisher;
}

export type VoteOutcome = { counted: true; approval: ApprovalState } | { counted: false; why: string };

export async function castVote(deps: VoteDeps, vote: GitHubVote): Promise<VoteOutcome> {
  const { ctx } = deps;
  let approval: ApprovalState | undefined;
  try {
    approval = await getApproval(ctx, vote.approvalId);
  } catch (error) {
    if (!(error instanceof GuardError && error.code === 'NOT_FOUND')) throw error;
  }
  // An approval of another repository is "not found" here: a comment cannot reach across repositories,
  // and the answer does not confirm that the id exists elsewhere.
  if (!approval || approval.repository.toLowerCase() !== vote.repository.toLowerCase())
    return refuse(
      deps,
      vote,
      undefined,
      'NOT_FOUND',
      `there is no approval ${vote.approvalId} in ${vote.repository}`,
    );

  const rules = await rulesFor(ctx, approval);
  if (rules.minPermission) {
    let role: string;
    try {
      role = await deps.directory.permissionOf(approval.repository, vote.login);
    } catch (error) {
      // Fail closed: a permission GitHub did not confirm is a permission not held.
      ctx.log(`approval ${approval.id}: permission lookup for ${vote.login} failed: ${describeError(error)}`);
      return refuse(
        deps,
        vote,
        approval,
        'FORBIDDEN',
        `GitHub did not confirm ${vote.login}'s permission on ${approval.repository}; try again`,
      );
    }
    if (!permissionAtLeast(role, rules.minPermission))
      return refuse(
        deps,
        vote,
        approval,
        'FORBIDDEN',
        `policy requires at least ${rules.minPermission} permission on ${approval.repository}; ${vote.login} has ${role}`,
      );
  }
  let decided: ApprovalState;
  try {
    decided = await decideApproval(
      ctx,
      approval.id,
      { login: vote.login },
      { decision: vote.decision, comment: vote.comment, channel: vote.channel },
    );
  } catch (error) {
    if (error instanceof GuardError)
      return refuse(deps, vote, approval, error.code, error.message.replace(/^guard:\s*/, ''));
    // E.g. a team lookup GitHub did not answer: nothing was counted (fail closed); say so.
    ctx.log(`approval ${approval.id}: vote by ${vote.login} failed: ${describeError(error)}`);
    return refuse(
      deps,
      vote,
      approval,
      'INTERNAL',
      'guard could not check this vote with GitHub; nothing was counted, try again',
    );
  }
  await recordEvent(ctx.db, approval.sessionId, 'github.decision', {
    approval: approval.id,
    step: approval.stepId,
    title: approval.title,
    digest: approval.digest,
    reviewer: vote.login.toLowerCase(),
    decision: vote.decision,
    channel: vote.channel,
    comment: vote.comment ?? null,
    at: ctx.now().toISOString(),
    source: vote.source,
    status_after: decided.status,
  });
  // A final decision refreshes through the 'decided' listener; a vote short of the minimum shows here.
  if (decided.status === 'pending') await deps.publisher.refresh(decided);
  return { counted: true, approval: decided };
}

export async function refuse(
  deps: VoteDeps,
  vote: GitHubVote,
  approval: ApprovalState | undefined,
  code: string,
  why: string,
): Promise<VoteOutcome> {
  await recordEvent(deps.ctx.db, approval?.sessionId ?? null, 'approval.refused', {
    approval: vote.approvalId,
    reviewer: vote.login.toLowerCase(),
    decision: vote.decision,
    channel: vote.channel,
    code,
    why,
    source: vote.source,
  });
  deps.ctx.log(
    `approval ${vote.approvalId}: ${vote.channel} ${vote.decision} by ${vote.login} not counted (${code})`,
  );
  if (vote.replyOn !== undefined) {
    await reply(
      deps,
      vote.repository,
      vote.replyOn,
      replyNotCounted(vote.login, vote.approvalId, why),
      vote.installationId,
    );
  }
  return { counted: false, why };
}

export async function reply(
  deps: Pick<VoteDeps, 'client' | 'ctx'>,
  repository: string,
  issue: number,
  body: string,
  installationId?: number,
): Promise<void> {
  try {
    const octokit = await deps.client.forRepository(repository, installationId);
    await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      ...splitRepository(repository),
      issue_number: issue,
      body,
    });
  } catch (error) {
    deps.ctx.log(`could not reply on ${repository}#${issue}: ${describeError(error)}`);
  }
}
