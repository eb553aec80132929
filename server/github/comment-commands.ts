// `issue_comment` webhooks: a newly created comment whose first line is a guard command. Edited and
// deleted comments never decide anything (an edit could turn an old "LGTM" into an approval after the
// fact), and comments by bots, including guard's own, are not read.
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import type { ServerContext } from '../context.js';
import { recordEvent } from '../events.js';
import { COMMAND_HELP, parseCommentCommand } from './commands.js';
import { replyUnknownCommand } from './render.js';
import { castVote, reply, type VoteDeps } from './votes.js';

export async function onCommentCreated(
  deps: VoteDeps & { appId: number },
  event: EmitterWebhookEvent<'issue_comment.created'>,
): Promise<string> {
  const { payload } = event;
  const author = payload.comment.user;
  if (
    payload.sender.type === 'Bot' ||
    author?.type === 'Bot' ||
    payload.comment.performed_via_github_app?.id === deps.appId
  )
    return 'ignored: comment by a bot';
  const command = parseCommentCommand(payload.comment.body);
  if (command.type === 'none') return 'ignored: not a guard command';
  const repository = payload.repository.full_name;
  const installationId = payload.installation?.id;
  if (installationId !== undefined) deps.client.remember(repository, installationId);
  const login = author?.login ?? payload.sender.login;
  if (command.type === 'invalid') {
    await reply(
      deps,
      repository,
      payload.issue.number,
      replyUnknownCommand(login, command.problem, COMMAND_HELP),
      installationId,
    );
    return `answered: ${command.problem}`;
  }
  const outcome = await castVote(deps, {
    approvalId: command.id,
    login,
    decision: command.type,
    comment: command.type === 'approve' ? command.comment : command.reason,
    channel: 'pr-comment',
    repository,
    source: {
      delivery: event.id,
      comment_id: payload.comment.id,
      comment_url: payload.comment.html_url,
      issue: payload.issue.number,
    },
    replyOn: payload.issue.number,
    ...(installationId !== undefined ? { installationId } : {}),
  });
  return outcome.counted
    ? `counted: ${command.type} ${command.id} by ${login}`
    : `not counted: ${outcome.why}`;
}

/** An edited or deleted comment is recorded when it carries a command, and never counted. */
export async function onCommentChanged(
  ctx: ServerContext,
  event: EmitterWebhookEvent<'issue_comment.edited' | 'issue_comment.deleted'>,
): Promise<string> {
  const command = parseCommentCommand(event.payload.comment.body);
  if (command.type !== 'approve' && command.type !== 'deny')
    return `ignored: comment ${event.payload.action}`;
  await recordEvent(ctx.db, null, 'github.comment_ignored', {
    delivery: event.id,
    action: event.payload.action,
    approval: command.id,
    reviewer: event.payload.sender.login.toLowerCase(),
    comment_url: event.payload.comment.html_url,
  });
  return `ignored: a ${event.payload.action} comment never decides (approval ${command.id})`;
}
