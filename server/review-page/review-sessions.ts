// Review page sessions: a reviewer trades their credential once for an opaque token kept in an HttpOnly
// cookie. The database holds only the token's digest; the CSRF token is derived from the token itself, so it
// needs no storage and a database reader can forge neither.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../../lib/digest.js';
import { GuardError } from '../../lib/errors.js';
import type { ServerContext } from '../context.js';
import { recordEvent } from '../events.js';
import { authenticateReviewer } from '../reviewers.js';

/** Eight hours: a working day, after which the reviewer pastes their credential again. */
export const REVIEW_SESSION_TTL_MS = 8 * 3600_000;

export interface ReviewSession {
  login: string;
  /** The cookie's value; kept in memory for this request only (it keys the CSRF token). */
  token: string;
  expiresAt: Date;
}

export async function openReviewSession(
  ctx: ServerContext,
  credential: unknown,
  ttlMs: number = REVIEW_SESSION_TTL_MS,
): Promise<ReviewSession> {
  const presented = typeof credential === 'string' ? credential.trim() : '';
  if (!/^gr_[A-Za-z0-9_-]{20,200}$/.test(presented)) {
    throw new GuardError(
      'FORBIDDEN',
      'guard: that is not a reviewer credential (it starts with gr_); the platform team issues one with `guard reviewer add LOGIN`',
    );
  }
  const reviewer = await authenticateReviewer(ctx.db, `Bearer ${presented}`);
  const token = randomBytes(32).toString('base64url');
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await ctx.db.query('delete from review_sessions where expires_at <= $1', [now]);
  await ctx.db.query(
    `insert into review_sessions (token_sha256, login, credential_sha256, created_at, expires_at)
     values ($1, $2, $3, $4, $5)`,
    [sha256Hex(token), reviewer.login, sha256Hex(presented), now, expiresAt],
  );
  await recordEvent(ctx.db, null, 'review-page.login', { reviewer: reviewer.login });
  return { login: reviewer.login, token, expiresAt };
}

/**
 * The session a cookie names, or undefined when it is unknown, expired, or its reviewer was re-keyed
 * since (the join on the credential digest ends sessions opened with a replaced credential).
 */
export async function findReviewSession(
  ctx: ServerContext,
  token: string | undefined,
): Promise<ReviewSession | undefined> {
  if (!token) return undefined;
  const { rows } = await ctx.db.query<{ login: string; expires_at: Date }>(
    `select s.login, s.expires_at from review_sessions s
       join reviewers r on r.login = s.login and r.credential_sha256 = s.credential_sha256
      where s.token_sha256 = $1 and s.expires_at > $2`,
    [sha256Hex(token), ctx.now()],
  );
  const row = rows[0];
  return row ? { login: row.login, token, expiresAt: row.expires_at } : undefined;
}

export async function endReviewSession(ctx: ServerContext, session: ReviewSession): Promise<void> {
  await ctx.db.query('delete from review_sessions where token_sha256 = $1', [sha256Hex(session.token)]);
  await recordEvent(ctx.db, null, 'review-page.logout', { reviewer: session.login });
}

/** The CSRF token the page sends back in a header: an HMAC keyed by the session token. */
export function csrfTokenFor(session: Pick<ReviewSession, 'token'>): string {
  return createHmac('sha256', session.token).update('guard review page csrf v1').digest('base64url');
}

export function csrfMatches(session: Pick<ReviewSession, 'token'>, presented: string | undefined): boolean {
  const expected = Buffer.from(csrfTokenFor(session));
  const given = Buffer.from(presented ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
