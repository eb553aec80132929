// Approval requests for held steps: who may decide, how many must agree, when it lapses. A decision is
// stored first and announced second, so a waiter that wakes always reads the final state.
import { newId } from '../lib/digest.js';
import { GuardError } from '../lib/errors.js';
import type { ApprovalRules } from '../policies/types.js';
import type { ServerContext } from './context.js';
import { recordEvent } from './events.js';
import type { Queryable } from './storage/database.js';

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired';

export interface ApprovalVote {
  reviewer: string;
  decision: 'approve' | 'deny';
  channel: string;
  comment: string | null;
  at: string;
}

export interface ApprovalState {
  id: string;
  stepId: string;
  sessionId: string;
  status: ApprovalStatus;
  required: number;
  reviewers: string[];
  expiresAt: string;
  scriptSha256: string;
  reason: string | null;
  votes: ApprovalVote[];
}

interface ApprovalRow {
  id: string;
  step_id: string;
  session_id: string;
  status: ApprovalStatus;
  required: number;
  reviewers: string[];
  allow_self_approval: boolean;
  script_sha256: string;
  expires_at: Date;
  reason: string | null;
}

export async function createApproval(
  tx: Queryable,
  ctx: ServerContext,
  input: { stepId: string; sessionId: string; rules: ApprovalRules; scriptSha256: string },
): Promise<string> {
  const id = newId(4);
  const expiresAt = new Date(ctx.now().getTime() + input.rules.expireAfterMs);
  await tx.query(
    `insert into approvals (id, step_id, session_id, required, reviewers, allow_self_approval, script_sha256, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      id,
      input.stepId,
      input.sessionId,
      input.rules.min,
      JSON.stringify(input.rules.reviewers),
      input.rules.allowSelfApproval,
      input.scriptSha256,
      expiresAt,
    ],
  );
  return id;
}

export async function getApproval(ctx: ServerContext, id: string): Promise<ApprovalState> {
  const row = await loadRow(ctx.db, id);
  if (row.status === 'pending' && row.expires_at.getTime() <= ctx.now().getTime()) {
    // Expiry is applied when first observed; the conditional update makes it happen once.
    const expired = await ctx.db.query(
      `update approvals set status = 'expired', decided_at = now(), reason = 'expired' where id = $1 and status = 'pending'`,
      [id],
    );
    if (expired.rowCount > 0) {
      await recordEvent(ctx.db, row.session_id, 'approval.expired', { approval: id, step: row.step_id });
      await ctx.waiters.announce(id);
    }
    return getApproval(ctx, id);
  }
  const votes = await ctx.db.query<{
    reviewer: string;
    decision: 'approve' | 'deny';
    channel: string;
    comment: string | null;
    at: Date;
  }>(
    'select reviewer, decision, channel, comment, at from approval_votes where approval_id = $1 order by at, reviewer',
    [id],
  );
  return {
    id: row.id,
    stepId: row.step_id,
    sessionId: row.session_id,
    status: row.status,
    required: row.required,
    reviewers: row.reviewers,
    expiresAt: row.expires_at.toISOString(),
    scriptSha256: row.script_sha256,
    reason: row.reason,
    votes: votes.rows.map((vote) => ({ ...vote, at: vote.at.toISOString() })),
  };
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

export async function decideApproval(
  ctx: ServerContext,
  id: string,
  reviewer: Reviewer,
  input: { decision: unknown; comment?: unknown; channel: string },
): Promise<ApprovalState> {
  if (input.decision !== 'approve' && input.decision !== 'deny') {
    throw new GuardError('BAD_INPUT', "guard: decision must be 'approve' or 'deny'");
  }
  const decision = input.decision;
  const comment = typeof input.comment === 'string' ? input.comment.slice(0, 2000) : null;
  const state = await getApproval(ctx, id);
  if (state.status !== 'pending') {
    throw new GuardError(
      'SESSION_CLOSED',
      `guard: approval ${id} is already ${state.status}; nothing was changed`,
    );
  }
  const session = await ctx.db.query<{ claims: { actor?: string; triggering_actor?: string } }>(
    'select claims from sessions where id = $1',
    [state.sessionId],
  );
  const claims = session.rows[0]?.claims ?? {};
  const row = await loadRow(ctx.db, id);
  if (!mayReview(row.reviewers, reviewer.login)) {
    throw new GuardError(
      'FORBIDDEN',
      `guard: ${reviewer.login} is not among the reviewers of approval ${id} (${row.reviewers.join(', ')}); the vote was not counted`,
    );
  }
  const selfApproval = [claims.actor, claims.triggering_actor].some(
    (login) => login !== undefined && login.toLowerCase() === reviewer.login.toLowerCase(),
  );
  if (selfApproval && !row.allow_self_approval && decision === 'approve') {
    throw new GuardError(
      'SELF_APPROVAL',
      `guard: ${reviewer.login} started this run and cannot approve its own step; another reviewer must approve`,
    );
  }

  await ctx.db.transaction(async (tx) => {
    const inserted = await tx.query(
      `insert into approval_votes (approval_id, reviewer, decision, channel, comment) values ($1, $2, $3, $4, $5) on conflict do nothing`,
      [id, reviewer.login.toLowerCase(), decision, input.channel, comment],
    );
    if (inserted.rowCount === 0) {
      throw new GuardError(
        'BAD_INPUT',
        `guard: ${reviewer.login} has already voted on approval ${id}; a reviewer counts once`,
      );
    }
    await recordEvent(tx, state.sessionId, 'approval.vote', {
      approval: id,
      step: state.stepId,
      reviewer: reviewer.login,
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
    if (status) {
      const reason =
        status === 'denied' ? `denied by ${reviewer.login}${comment ? `: ${comment}` : ''}` : null;
      await tx.query(
        `update approvals set status = $2, decided_at = now(), reason = $3 where id = $1 and status = 'pending'`,
        [id, status, reason],
      );
      await recordEvent(tx, state.sessionId, `approval.${status}`, { approval: id, step: state.stepId });
    }
  });
  await ctx.waiters.announce(id);
  return getApproval(ctx, id);
}

export interface PendingApproval {
  id: string;
  repository: string;
  runId: string;
  runAttempt: string;
  job: string;
  actor: string;
  step: {
    name: string;
    kind: string;
    target: string | null;
    scriptSha256: string;
    script: string;
    reason: string;
  };
  required: number;
  approvals: number;
  expiresAt: string;
}

/** Pending approvals this reviewer may decide (expired ones are left out). */
export async function listPendingApprovals(
  ctx: ServerContext,
  reviewer: Reviewer,
): Promise<PendingApproval[]> {
  const { rows } = await ctx.db.query<{
    id: string;
    reviewers: string[];
    required: number;
    expires_at: Date;
    repository: string;
    run_id: string;
    run_attempt: string;
    job: string;
    actor: string;
    name: string;
    kind: string;
    target: string | null;
    script_sha256: string;
    script_masked: string;
    reason: string;
    approvals: number;
  }>(
    `select a.id, a.reviewers, a.required, a.expires_at, s.repository, s.run_id, s.run_attempt, s.job, s.claims->>'actor' as actor,
            t.name, t.kind, t.target, t.script_sha256, t.script_masked, t.reason,
            (select count(*)::int from approval_votes v where v.approval_id = a.id and v.decision = 'approve') as approvals
       from approvals a join steps t on t.id = a.step_id join sessions s on s.id = a.session_id
      where a.status = 'pending' and a.expires_at > $1
      order by a.created_at`,
    [ctx.now()],
  );
  return rows
    .filter((row) => mayReview(row.reviewers, reviewer.login))
    .map((row) => ({
      id: row.id,
      repository: row.repository,
      runId: row.run_id,
      runAttempt: row.run_attempt,
      job: row.job,
      actor: row.actor,
      step: {
        name: row.name,
        kind: row.kind,
        target: row.target,
        scriptSha256: row.script_sha256,
        script: row.script_masked,
        reason: row.reason,
      },
      required: row.required,
      approvals: row.approvals,
      expiresAt: row.expires_at.toISOString(),
    }));
}

/** Users match by login (case-insensitive). Team entries (`@org/team`) need the GitHub App to resolve membership. */
export function mayReview(reviewers: readonly string[], login: string): boolean {
  const wanted = login.toLowerCase();
  return reviewers.some((entry) => !entry.includes('/') && entry.replace(/^@/, '').toLowerCase() === wanted);
}

async function loadRow(db: Queryable, id: string): Promise<ApprovalRow> {
  if (!/^[0-9a-f]{8}$/.test(id))
    throw new GuardError('NOT_FOUND', `guard: '${id}' is not an approval id (8 hex characters)`);
  const { rows } = await db.query<ApprovalRow>('select * from approvals where id = $1', [id]);
  const row = rows[0];
  if (!row) throw new GuardError('NOT_FOUND', `guard: approval ${id} does not exist`);
  return row;
}
