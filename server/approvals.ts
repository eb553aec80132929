// Approval requests: for a guarded step, a held SQL statement, a whole job or a deployment. Who may decide,
// how many must agree, when it lapses. A decision is stored first and announced second, so a waiter that
// wakes always reads the final state.
import { newId } from '../lib/digest.js';
import { GuardError } from '../lib/errors.js';
import type { ApprovalRules } from '../policies/types.js';
import type { ServerContext } from './context.js';
import { recordEvent } from './events.js';
import type { Queryable } from './storage/database.js';

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired';
export type ApprovalKind = 'step' | 'sql' | 'job' | 'deployment';

export interface ApprovalVote {
  reviewer: string;
  decision: 'approve' | 'deny';
  channel: string;
  comment: string | null;
  at: string;
}

export interface ApprovalState {
  id: string;
  kind: ApprovalKind;
  sessionId: string | null;
  stepId: string | null;
  repository: string;
  runId: string | null;
  runAttempt: string | null;
  actor: string | null;
  /** What is asked, e.g. "step Deploy"; and what the reviewer reads: the masked script or SQL. */
  title: string;
  body: string;
  /** sha256 of exactly what is approved (the raw script or SQL). */
  digest: string;
  /** Integration data (check run id, PR number, deployment callback); never secret. */
  context: Record<string, unknown>;
  status: ApprovalStatus;
  required: number;
  reviewers: string[];
  allowSelfApproval: boolean;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  reason: string | null;
  votes: ApprovalVote[];
}

interface ApprovalRow {
  id: string;
  kind: ApprovalKind;
  session_id: string | null;
  step_id: string | null;
  repository: string;
  run_id: string | null;
  run_attempt: string | null;
  actor: string | null;
  triggering_actor: string | null;
  title: string;
  body: string;
  digest: string;
  context: Record<string, unknown>;
  status: ApprovalStatus;
  required: number;
  reviewers: string[];
  allow_self_approval: boolean;
  created_at: Date;
  expires_at: Date;
  decided_at: Date | null;
  reason: string | null;
}

export interface NewApproval {
  kind: ApprovalKind;
  sessionId?: string;
  stepId?: string;
  repository: string;
  runId?: string;
  runAttempt?: string;
  actor?: string;
  triggeringActor?: string;
  title: string;
  body: string;
  digest: string;
  context?: Record<string, unknown>;
  rules: ApprovalRules;
}

export async function createApproval(tx: Queryable, ctx: ServerContext, input: NewApproval): Promise<string> {
  const id = newId(4);
  const expiresAt = new Date(ctx.now().getTime() + input.rules.expireAfterMs);
  await tx.query(
    `insert into approvals (id, kind, session_id, step_id, repository, run_id, run_attempt, actor, triggering_actor,
                            title, body, digest, context, required, reviewers, allow_self_approval, created_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
    [
      id,
      input.kind,
      input.sessionId ?? null,
      input.stepId ?? null,
      input.repository,
      input.runId ?? null,
      input.runAttempt ?? null,
      input.actor ?? null,
      input.triggeringActor ?? null,
      input.title,
      input.body,
      input.digest,
      JSON.stringify({ ...(input.context ?? {}), ...minPermissionOf(input.rules) }),
      input.rules.min,
      JSON.stringify(input.rules.reviewers),
      input.rules.allowSelfApproval,
      ctx.now(),
      expiresAt,
    ],
  );
  await recordEvent(tx, input.sessionId ?? null, 'approval.requested', {
    approval: id,
    kind: input.kind,
    step: input.stepId,
    title: input.title,
    digest: input.digest,
    reviewers: input.rules.reviewers,
    min: input.rules.min,
    expires_at: expiresAt.toISOString(),
  });
  return id;
}

function minPermissionOf(rules: ApprovalRules): { minPermission?: string } {
  const minimum = (rules as ApprovalRules & { minPermission?: string }).minPermission;
  return minimum ? { minPermission: minimum } : {};
}

/** Call after the transaction that created the approval committed: integrations publish the request. */
export async function announceRequested(ctx: ServerContext, id: string): Promise<void> {
  await ctx.approvalEvents.emit('requested', { approval: await getApproval(ctx, id) });
}

export async function getApproval(ctx: ServerContext, id: string): Promise<ApprovalState> {
  const row = await loadRow(ctx.db, id);
  if (row.status === 'pending' && row.expires_at.getTime() <= ctx.now().getTime()) {
    // Expiry is applied when first observed; the conditional update makes it happen once.
    const expired = await ctx.db.query(
      `update approvals set status = 'expired', decided_at = $2, reason = 'no decision before the approval expired' where id = $1 and status = 'pending'`,
      [id, ctx.now()],
    );
    if (expired.rowCount > 0) {
      await recordEvent(ctx.db, row.session_id, 'approval.expired', { approval: id, step: row.step_id });
      await ctx.waiters.announce(id);
      const state = await getApproval(ctx, id);
      await ctx.approvalEvents.emit('decided', { approval: state });
      return state;
    }
    return getApproval(ctx, id);
  }
  return toState(row, await approvalVotes(ctx.db, id));
}

/** The votes on an approval, oldest first. */
export async function approvalVotes(db: Queryable, id: string): Promise<ApprovalVote[]> {
  const votes = await db.query<{
    reviewer: string;
    decision: 'approve' | 'deny';
    channel: string;
    comment: string | null;
    at: Date;
  }>(
    'select reviewer, decision, channel, comment, at from approval_votes where approval_id = $1 order by at, reviewer',
    [id],
  );
  return votes.rows.map((vote) => ({ ...vote, at: vote.at.toISOString() }));
}

function toState(row: ApprovalRow, votes: ApprovalVote[]): ApprovalState {
  return {
    id: row.id,
    kind: row.kind,
    sessionId: row.session_id,
    stepId: row.step_id,
    repository: row.repository,
    runId: row.run_id,
    runAttempt: row.run_attempt,
    actor: row.actor,
    title: row.title,
    body: row.body,
    digest: row.digest,
    context: row.context,
    status: row.status,
    required: row.required,
    reviewers: row.reviewers,
    allowSelfApproval: row.allow_self_approval,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    reason: row.reason,
    votes,
  };
}

/** Merges integration data (e.g. the check run id) into an approval's context. */
export async function updateApprovalContext(
  ctx: ServerContext,
  id: string,
  patch: Record<string, unknown>,
): Promise<void> {
  await ctx.db.query(`update approvals set context = context || $2::jsonb where id = $1`, [
    id,
    JSON.stringify(patch),
  ]);
}

/**
 * Waits until the approval is decided or `timeoutMs` passes, whichever is first, without polling: the
 * subscription starts before the state is read, so a decision landing in between is not missed.
 */
export async function waitForApproval(
  ctx: ServerContext,
  id: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ApprovalState> {
  const deadline = ctx.now().getTime() + timeoutMs;
  for (;;) {
    const stop = new AbortController();
    const remaining = deadline - ctx.now().getTime();
    const changed = ctx.waiters.changed(
      id,
      Math.max(0, remaining),
      signal ? AbortSignal.any([stop.signal, signal]) : stop.signal,
    );
    const state = await getApproval(ctx, id);
    if (state.status !== 'pending' || remaining <= 0 || signal?.aborted) {
      stop.abort();
      return state;
    }
    // Wake at the expiry time too, so a lapse is reported when it happens, not at the next request.
    const expiryTimer = setTimeout(
      () => stop.abort(),
      Math.max(0, Date.parse(state.expiresAt) - ctx.now().getTime() + 5),
    );
    await changed;
    clearTimeout(expiryTimer);
    stop.abort();
  }
}

export interface Reviewer {
  login: string;
}

/** Where a decision came from; recorded with the vote and shown in the evidence. */
export type DecisionChannel =
  'api' | 'review-page' | 'pr-comment' | 'check-run' | 'pr-review' | 'deployment-protection-rule';

export async function decideApproval(
  ctx: ServerContext,
  id: string,
  reviewer: Reviewer,
  input: { decision: unknown; comment?: unknown; channel: DecisionChannel },
): Promise<ApprovalState> {
  if (input.decision !== 'approve' && input.decision !== 'deny') {
    throw new GuardError('BAD_INPUT', "guard: decision must be 'approve' or 'deny'");
  }
  const decision = input.decision;
  const comment =
    typeof input.comment === 'string' && input.comment.trim() ? input.comment.trim().slice(0, 2000) : null;
  const state = await getApproval(ctx, id);
  if (state.status !== 'pending') {
    throw new GuardError(
      'SESSION_CLOSED',
      `guard: approval ${id} is already ${state.status}; nothing was changed`,
    );
  }
  if (!(await mayReview(ctx, state, reviewer.login))) {
    throw new GuardError(
      'FORBIDDEN',
      `guard: ${reviewer.login} is not among the reviewers of approval ${id} (${state.reviewers.join(', ') || 'none configured'}); the vote was not counted`,
    );
  }
  const row = await loadRow(ctx.db, id);
  const login = reviewer.login.toLowerCase();
  const selfApproval = [row.actor, row.triggering_actor].some(
    (who) => who !== null && who.toLowerCase() === login,
  );
  if (selfApproval && !row.allow_self_approval && decision === 'approve') {
    throw new GuardError(
      'SELF_APPROVAL',
      `guard: ${reviewer.login} started this run and cannot approve it; another reviewer must approve`,
    );
  }

  const decided = await ctx.db.transaction(async (tx) => {
    const inserted = await tx.query(
      `insert into approval_votes (approval_id, reviewer, decision, channel, comment, at) values ($1, $2, $3, $4, $5, $6) on conflict do nothing`,
      [id, login, decision, input.channel, comment, ctx.now()],
    );
    if (inserted.rowCount === 0) {
      throw new GuardError(
        'BAD_INPUT',
        `guard: ${reviewer.login} has already voted on approval ${id}; a reviewer counts once`,
      );
    }
    await recordEvent(tx, row.session_id, 'approval.vote', {
      approval: id,
      step: row.step_id,
      reviewer: login,
      decision,
      channel: input.channel,
      comment,
    });
    const counts = await tx.query<{ approvals: number; denials: number }>(
      `select count(*) filter (where decision = 'approve')::int as approvals, count(*) filter (where decision = 'deny')::int as denials
       from approval_votes where approval_id = $1`,
      [id],
    );
    const { approvals = 0, denials = 0 } = counts.rows[0] ?? {};
    // One denial by an authorized reviewer ends the request; approval needs `required` distinct reviewers.
    const status: ApprovalStatus | undefined =
      denials > 0 ? 'denied' : approvals >= row.required ? 'approved' : undefined;
    if (!status) return false;
    const reason = status === 'denied' ? `denied by ${login}${comment ? `: ${comment}` : ''}` : null;
    await tx.query(
      `update approvals set status = $2, decided_at = $4, reason = $3 where id = $1 and status = 'pending'`,
      [id, status, reason, ctx.now()],
    );
    await recordEvent(tx, row.session_id, `approval.${status}`, { approval: id, step: row.step_id });
    return true;
  });
  await ctx.waiters.announce(id);
  const after = await getApproval(ctx, id);
  if (decided) await ctx.approvalEvents.emit('decided', { approval: after });
  return after;
}

/** What a reviewer's queue shows of an approval: its summary, plus how many approvals it has so far. */
export type PendingApproval = Pick<
  ApprovalState,
  | 'id'
  | 'kind'
  | 'repository'
  | 'runId'
  | 'runAttempt'
  | 'actor'
  | 'title'
  | 'body'
  | 'digest'
  | 'required'
  | 'expiresAt'
> & { approvals: number };

/** Pending approvals this reviewer may decide (expired ones are left out). */
export async function listPendingApprovals(
  ctx: ServerContext,
  reviewer: Reviewer,
): Promise<PendingApproval[]> {
  const { rows } = await ctx.db.query<ApprovalRow & { approvals: number }>(
    `select a.*, (select count(*)::int from approval_votes v where v.approval_id = a.id and v.decision = 'approve') as approvals
       from approvals a where a.status = 'pending' and a.expires_at > $1 order by a.created_at`,
    [ctx.now()],
  );
  const mine: PendingApproval[] = [];
  for (const row of rows) {
    if (!(await mayReview(ctx, toState(row, []), reviewer.login))) continue;
    mine.push({
      id: row.id,
      kind: row.kind,
      repository: row.repository,
      runId: row.run_id,
      runAttempt: row.run_attempt,
      actor: row.actor,
      title: row.title,
      body: row.body,
      digest: row.digest,
      required: row.required,
      approvals: row.approvals,
      expiresAt: row.expires_at.toISOString(),
    });
  }
  return mine;
}

/**
 * Users match by login (case-insensitive). Team entries (`@org/team`) are asked of the reviewer directory
 * (the GitHub App resolves membership); without one, a team entry matches nobody: fail closed.
 */
export async function mayReview(
  ctx: ServerContext,
  approval: Pick<ApprovalState, 'reviewers' | 'repository' | 'context'>,
  login: string,
): Promise<boolean> {
  // A minimum repository permission from policy applies on every channel; unconfirmed means not held.
  const minimum = approval.context.minPermission as Permission | undefined;
  if (minimum && !(await holds(ctx, approval.repository, login, minimum))) return false;
  // No reviewers listed: anyone with write access to the repository, which only GitHub can tell.
  if (approval.reviewers.length === 0) return holds(ctx, approval.repository, login, 'write');
  const wanted = login.toLowerCase();
  for (const entry of approval.reviewers) {
    const name = entry.replace(/^@/, '');
    if (!name.includes('/')) {
      if (name.toLowerCase() === wanted) return true;
      continue;
    }
    const [org, team] = name.split('/');
    if (org && team && ctx.reviewerDirectory && (await ctx.reviewerDirectory.isTeamMember(org, team, login)))
      return true;
  }
  return false;
}

type Permission = 'read' | 'triage' | 'write' | 'maintain' | 'admin';

async function holds(
  ctx: ServerContext,
  repository: string,
  login: string,
  minimum: Permission,
): Promise<boolean> {
  if (!ctx.reviewerDirectory) return false;
  try {
    return await ctx.reviewerDirectory.hasPermission(repository, login, minimum);
  } catch {
    return false;
  }
}

async function loadRow(db: Queryable, id: string): Promise<ApprovalRow> {
  if (!/^[0-9a-f]{8}$/.test(id))
    throw new GuardError('NOT_FOUND', `guard: '${id}' is not an approval id (8 hex characters)`);
  const { rows } = await db.query<ApprovalRow>('select * from approvals where id = $1', [id]);
  const row = rows[0];
  if (!row) throw new GuardError('NOT_FOUND', `guard: approval ${id} does not exist`);
  return row;
}
