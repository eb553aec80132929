// Shows an approval request where reviewers work: a check run on the commit (with Approve/Deny buttons)
// and, when the job ran for a pull request, a comment on it. Both are edited in place as votes arrive and
// when the request is decided, never posted again.
//
// Buttons: GitHub renders a check run's actions only once it is completed, so a pending request is a
// *completed* check run with conclusion `action_required` and the two actions; the decision turns it into
// success / failure / timed_out without actions.
import { getApproval, updateApprovalContext, type ApprovalState } from '../approvals.js';
import type { ServerContext } from '../context.js';
import { splitRepository, type GitHubClient } from './github-client.js';
import { pullRequestFromRef } from './pull-request.js';
import { checkConclusion, checkRunName, checkRunOutput, pullRequestComment } from './render.js';

export interface Publication {
  installationId?: number;
  checkRunId?: number;
  commentId?: number;
  pullRequest?: number;
}

export function publicationOf(approval: ApprovalState): Publication {
  const c = approval.context;
  const num = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);
  const pullRequest = num(c.pr_number) ?? pullRequestFromRef(c.ref);
  return {
    ...(num(c.installation_id) !== undefined ? { installationId: num(c.installation_id) } : {}),
    ...(num(c.check_run_id) !== undefined ? { checkRunId: num(c.check_run_id) } : {}),
    ...(num(c.pr_comment_id) !== undefined ? { commentId: num(c.pr_comment_id) } : {}),
    ...(pullRequest !== undefined ? { pullRequest } : {}),
  };
}

export class ApprovalPublisher {
  constructor(
    private readonly ctx: ServerContext,
    private readonly client: GitHubClient,
  ) {}

  /** Creates the check run and the PR comment for a new request. */
  async publish(approval: ApprovalState): Promise<void> {
    const where = publicationOf(approval);
    const octokit = await this.client.forRepository(approval.repository, where.installationId);
    const repo = splitRepository(approval.repository);
    const sha = approval.context.sha;
    const patch: Record<string, unknown> = {};
    const failures: string[] = [];
    if (typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha)) {
      try {
        const { data } = await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
          ...repo,
          name: checkRunName(approval),
          head_sha: sha,
          external_id: approval.id,
          ...this.#checkRunState(approval),
        });
        patch.check_run_id = data.id;
      } catch (error) {
        failures.push(`check run: ${message(error)}`);
      }
    }
    if (where.pullRequest !== undefined) {
      try {
        const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          ...repo,
          issue_number: where.pullRequest,
          body: pullRequestComment(approval),
        });
        patch.pr_comment_id = data.id;
        patch.pr_number = where.pullRequest;
      } catch (error) {
        failures.push(`pull request comment: ${message(error)}`);
      }
    }
    if (Object.keys(patch).length > 0) await updateApprovalContext(this.ctx, approval.id, patch);
    if (failures.length > 0)
      this.ctx.log(`approval ${approval.id}: could not publish on GitHub (${failures.join('; ')})`);
    // A decision may have landed while we were posting (on any replica); make sure what we posted says so.
    const now = await getApproval(this.ctx, approval.id);
    if (now.status !== 'pending' || now.votes.length > 0) await this.refresh(now);
  }

  /** Brings the check run and the comment up to date with the approval's state. */
  async refresh(approval: ApprovalState): Promise<void> {
    const where = publicationOf(approval);
    if (where.checkRunId === undefined && where.commentId === undefined) return;
    const octokit = await this.client.forRepository(approval.repository, where.installationId);
    const repo = splitRepository(approval.repository);
    const updates: Promise<unknown>[] = [];
    if (where.checkRunId !== undefined)
      updates.push(
        octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
          ...repo,
          check_run_id: where.checkRunId,
          ...this.#checkRunState(approval),
        }),
      );
    if (where.commentId !== undefined)
      updates.push(
        octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
          ...repo,
          comment_id: where.commentId,
          body: pullRequestComment(approval),
        }),
      );
    await Promise.all(updates);
  }

  #checkRunState(approval: ApprovalState) {
    const pending = approval.status === 'pending';
    return {
      status: 'completed' as const,
      conclusion: checkConclusion(approval),
      completed_at: (approval.decidedAt ? new Date(approval.decidedAt) : this.ctx.now()).toISOString(),
      output: checkRunOutput(approval),
      actions: pending
        ? [
            {
              label: 'Approve',
              description: `Approve guard request ${approval.id}`,
              identifier: `approve:${approval.id}`,
            },
            {
              label: 'Deny',
              description: `Deny guard request ${approval.id}`,
              identifier: `deny:${approval.id}`,
            },
          ]
        : [],
    };
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
