// Routes verified deliveries to guard's handlers through @octokit/webhooks' typed event handler, and
// reports what each did (stored with the delivery).
import { Webhooks, type EmitterWebhookEvent } from '@octokit/webhooks';
import { onCheckRunAction } from './check-run-actions.js';
import { onCommentChanged, onCommentCreated } from './comment-commands.js';
import { onProtectionRuleRequested } from './deployment-gate.js';
import { onReviewSubmitted } from './reviews.js';
import type { VoteDeps } from './votes.js';
import type { Dispatch } from './webhook-route.js';

export function createDispatcher(deps: VoteDeps & { appId: number }, secret: string): Dispatch {
  // Verification happened at the route; this instance only dispatches (its secret is never used here).
  const webhooks = new Webhooks({ secret });
  const outcomes = new Map<string, string>();
  const note = (id: string, outcome: string) => outcomes.set(id, outcome);
  webhooks.on('issue_comment.created', async (event) => note(event.id, await onCommentCreated(deps, event)));
  webhooks.on(['issue_comment.edited', 'issue_comment.deleted'], async (event) =>
    note(event.id, await onCommentChanged(deps.ctx, event)),
  );
  webhooks.on('check_run.requested_action', async (event) =>
    note(event.id, await onCheckRunAction(deps, event)),
  );
  webhooks.on('pull_request_review.submitted', async (event) =>
    note(event.id, await onReviewSubmitted(deps, event)),
  );
  webhooks.on('deployment_protection_rule.requested', async (event) =>
    note(event.id, await onProtectionRuleRequested(deps, event)),
  );
  return async (event: EmitterWebhookEvent) => {
    try {
      await webhooks.receive(event);
      return (
        outcomes.get(event.id) ??
        `ignored: ${event.name}.${(event.payload as { action?: string }).action ?? ''}`
      );
    } catch (error) {
      // receive() wraps handler errors in an AggregateError; surface the first.
      const first = (error as { errors?: unknown[] }).errors?.[0];
      throw first instanceof Error ? first : error;
    } finally {
      outcomes.delete(event.id);
    }
  };
}
