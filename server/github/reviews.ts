// `pull_request_review` submitted with state "approved": counts as an approval of the guard requests of
// that pull request only where policy says so (`approvals.pullRequestReviewCounts`), and only when the
// review is on the pull request's current head commit. Other review states decide nothing: a denial
// needs `/guard deny <id> <reason>`.
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { getApproval } from '../approvals.js';
import { rulesFor } from './github-rules.js';
import { castVote, reply, type VoteDeps } from './votes.js';
import { replyNotCounted } from './render.js';

export async function onReviewSubmitted(
  deps: VoteDeps,
  event: EmitterWebhookEvent<'pull_request_review.submitted'>,
): Promise<string> {
  const { payload } = event;
  if (payload.review.state.toLowerCase() !== 'approved') return `ignored: review ${payload.review.state}`;
  const repository = payload.repository.full_name;
  const number = payload.pull_request.number;
  const installationId = payload.installation?.id;
  if (installationId !== undefined) deps.client.remember(repository, installationId);
  const { rows } = await deps.ctx.db.query<{ id: string }>(
    `select id from approvals
      where status = 'pending' and lower(repository) = lower($1)
        and (context->>'pr_number' = $2 or context->>'ref' in ($3, $4))
      order by created_at`,
    [repository, String(number), `refs/pull/${number}/merge`, `refs/pull/${number}/head`],
  );
  if (rows.length === 0) return 'ignored: no pending guard approval on this pull request';
  const login = payload.review.user?.login ?? payload.sender.login;
  const results: string[] = [];
  const notCounted: string[] = [];
  let why = '';
  for (const { id } of rows) {
    const approval = await getApproval(deps.ctx, id);
    if (approval.status !== 'pending') continue;
    if (!(await rulesFor(deps.ctx, approval)).pullRequestReviewCounts) {
      notCounted.push(id);
      why ||= 'policy does not count an approving pull request review as a guard approval';
      continue;
    }
    if (payload.review.commit_id !== payload.pull_request.head.sha) {
      notCounted.push(id);
      why ||= "the review is not on the pull request's current head commit";
      continue;
    }
    const outcome = await castVote(deps, {
      approvalId: id,
      login,
      decision: 'approve',
      comment: payload.review.body ?? '',
      channel: 'pr-review',
      repository,
      source: {
        delivery: event.id,
        review_id: payload.review.id,
        review_url: payload.review.html_url,
        commit: payload.review.commit_id,
      },
      replyOn: number,
      ...(installationId !== undefined ? { installationId } : {}),
    });
    results.push(`${id}: ${outcome.counted ? 'counted' : outcome.why}`);
  }
  if (notCounted.length > 0) {
    await reply(
      deps,
      repository,
      number,
      replyNotCounted(
        login,
        '',
        `${why}; approve with ${notCounted.map((id) => `\`/guard approve ${id}\``).join(', ')}`,
      ),
      installationId,
    );
    results.push(`not counted for ${notCounted.join(', ')}`);
  }
  return results.join('; ');
}
