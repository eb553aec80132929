// Guard sessions: one per job, opened by exchanging the job's OIDC token, bound to its run, attempt and
// job, and carried by a short-lived bearer credential of which only the digest is stored.
import type { JobClaims } from '../lib/claims.js';
import { newCredential, newId, sha256Hex } from '../lib/digest.js';
import { GuardError } from '../lib/errors.js';
import type { EffectivePolicy } from '../policies/types.js';
import type { ServerContext } from './context.js';
import type { Database } from './storage/database.js';
import { recordEvent } from './events.js';
import { verifyJobToken } from './oidc/verify-token.js';
import { resolveJobPolicy } from './policy-source.js';
import { sealEvidence, type Sealed } from './audit/seal-evidence.js';
import { ensureKeySet } from './audit/signing-key-store.js';
import { deploymentRecord, linkDeploymentApproval } from './deployment-link.js';
import type { DeploymentRecord } from '../audit/manifest.js';

export interface SessionRow {
  id: string;
  claims: JobClaims;
  repository: string;
  run_id: string;
  run_attempt: string;
  job: string;
  policy: EffectivePolicy;
  status: string;
  expires_at: Date;
  created_at: Date;
}

export interface OpenedSession {
  id: string;
  credential: string;
  expiresAt: string;
  policy: EffectivePolicy;
  claims: JobClaims;
  /** The deployment gate approval that let this job start, for its evidence; null when there is none. */
  deployment: DeploymentRecord | null;
}

const JOB_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export async function openSession(
  ctx: ServerContext,
  input: { token?: unknown; job?: unknown },
): Promise<OpenedSession> {
  if (typeof input.token !== 'string' || input.token === '') {
    throw new GuardError(
      'TOKEN_MISSING',
      'guard: no OIDC token was sent; the workflow needs `permissions: id-token: write`',
    );
  }
  if (typeof input.job !== 'string' || !JOB_NAME.test(input.job)) {
    throw new GuardError('BAD_INPUT', 'guard: the job id (GITHUB_JOB) is missing or malformed');
  }
  let claims: JobClaims;
  try {
    claims = await verifyJobToken(input.token, {
      issuers: ctx.issuers,
      audience: ctx.config.audience,
      now: ctx.now,
    });
  } catch (error) {
    await recordRefusal(ctx, 'token', error);
    throw error;
  }
  const facts = ctx.jobFacts ? await ctx.jobFacts(claims) : {};
  const policy = resolveJobPolicy(ctx.policies, claims, facts);
  if (!policy.ok) {
    // A policy that governs the job but does not allow its pull-request event is a refusal of its own kind:
    // the fix is a policy flag, not a new match.
    const pullRequest =
      /^pull_request/.test(claims.event_name) &&
      policy.unmatched.length > 0 &&
      policy.unmatched.every((u) => u.claims.join() === 'event_name');
    const refusal = new GuardError(pullRequest ? 'POLICY_FORK_DENIED' : 'POLICY_DENIED', policy.reason);
    await recordRefusal(ctx, 'policy', refusal, claims);
    throw refusal;
  }
  const credential = newCredential('gs');
  const id = newId();
  const expiresAt = new Date(ctx.now().getTime() + ctx.config.sessionTtlSec * 1000);
  const deployment = await ctx.db
    .transaction(async (tx) => {
      // The token's jti is spent here, in the same transaction as the session: a replay on any replica
      // hits the primary key and opens nothing.
      const jti = claims.jti ?? '';
      const spent = await tx.query(
        'insert into used_tokens (jti, expires_at) values ($1, to_timestamp($2)) on conflict do nothing',
        [jti, claims.exp ?? 0],
      );
      if (spent.rowCount === 0) {
        throw new GuardError(
          'TOKEN_REPLAYED',
          'guard: this OIDC token was already exchanged; request a fresh token for each exchange',
        );
      }
      await tx.query(
        `insert into sessions (id, credential_sha256, claims, repository, repository_id, run_id, run_attempt, job, policy, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          id,
          sha256Hex(credential),
          JSON.stringify(claims),
          claims.repository,
          claims.repository_id,
          claims.run_id,
          claims.run_attempt,
          input.job,
          JSON.stringify(policy.policy),
          expiresAt,
        ],
      );
      await recordEvent(tx, id, 'session.opened', {
        repository: claims.repository,
        run_id: claims.run_id,
        run_attempt: claims.run_attempt,
        job: input.job,
        actor: claims.actor,
        policy: policy.policy.name,
      });
      const linked = await linkDeploymentApproval(tx, id, claims);
      if (linked === undefined) return null;
      await recordEvent(tx, id, 'deployment.linked', { approval: linked, environment: claims.environment });
      return deploymentRecord(tx, id);
    })
    .catch(async (error: unknown) => {
      if (error instanceof GuardError && error.code === 'TOKEN_REPLAYED')
        await recordRefusal(ctx, 'replay', error, claims);
      throw error;
    });
  ctx.log(
    `session ${id} opened for ${claims.repository} run ${claims.run_id}/${claims.run_attempt} job ${input.job}`,
  );
  return {
    id,
    credential,
    expiresAt: expiresAt.toISOString(),
    policy: policy.policy,
    claims,
    deployment,
  };
}

/**
 * The credential must come from the run it was issued to: every job-side call names its run in
 * `x-guard-run` (run_id/run_attempt/job), so a credential carried into another run or job (a cache, an
 * artifact, a later attempt) is refused even before it expires.
 */
export async function authenticateSession(
  ctx: ServerContext,
  authorization: string | undefined,
  run: string | undefined,
): Promise<SessionRow> {
  const credential = bearer(authorization);
  if (!credential?.startsWith('gs_')) {
    throw new GuardError(
      'SESSION_INVALID',
      'guard: this call needs the session credential (GUARD_SESSION_TOKEN) as a bearer token',
    );
  }
  const { rows } = await ctx.db.query<SessionRow>('select * from sessions where credential_sha256 = $1', [
    sha256Hex(credential),
  ]);
  const session = rows[0];
  if (!session)
    throw new GuardError(
      'SESSION_INVALID',
      'guard: the session credential is not known to this server (revoked, or from another server)',
    );
  if (session.status === 'revoked')
    throw new GuardError(
      'SESSION_INVALID',
      `guard: session ${session.id} was revoked by the platform team; ask them why, then re-run the job`,
    );
  if (session.status !== 'open')
    throw new GuardError(
      'SESSION_CLOSED',
      `guard: session ${session.id} is closed; a closed session runs no more steps`,
    );
  if (run !== `${session.run_id}/${session.run_attempt}/${session.job}`) {
    await recordEvent(ctx.db, session.id, 'security.refused', {
      stage: 'session',
      code: 'SESSION_WRONG_RUN',
      presented_run: run ?? null,
    }).catch(() => {});
    throw new GuardError(
      'SESSION_WRONG_RUN',
      'guard: this session credential belongs to another run or job; each job opens its own session',
    );
  }
  if (session.expires_at.getTime() <= ctx.now().getTime()) {
    throw new GuardError(
      'SESSION_INVALID',
      `guard: session ${session.id} has expired; re-run the job to open a new one`,
    );
  }
  await refreshExpiry(ctx, session);
  return session;
}

/**
 * Sliding expiry: the credential lives `sessionTtlSec` past the job's last call, never longer than
 * `sessionMaxSec` after it was issued. Written only when less than half the idle time is left.
 */
async function refreshExpiry(ctx: ServerContext, session: SessionRow): Promise<void> {
  const now = ctx.now().getTime();
  const ttl = ctx.config.sessionTtlSec * 1000;
  if (session.expires_at.getTime() - now > ttl / 2) return;
  const next = new Date(
    Math.min(now + ttl, session.created_at.getTime() + (ctx.config.sessionMaxSec ?? 24 * 3600) * 1000),
  );
  if (next.getTime() <= session.expires_at.getTime()) return;
  await ctx.db.query('update sessions set expires_at = $2 where id = $1', [session.id, next]);
  session.expires_at = next;
}

/** Revokes a session at once: its credential stops working on every replica and nothing waits on it. */
export async function revokeSession(db: Database, id: string, reason: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx.query(
      `update sessions set status = 'revoked', closed_at = now() where id = $1 and status = 'open'`,
      [id],
    );
    if (updated.rowCount === 0) return false;
    await tx.query(
      `update approvals set status = 'expired', decided_at = now(), reason = 'session revoked' where session_id = $1 and status = 'pending'`,
      [id],
    );
    await recordEvent(tx, id, 'session.revoked', { reason });
    return true;
  });
}

/**
 * Closes the session (revoking its credential) and, when the job sends its manifest, seals the evidence:
 * checked against the server's record, signed, and its digest appended to the ledger, in one transaction.
 */
export async function closeSession(
  ctx: ServerContext,
  session: SessionRow,
  input: { manifest?: unknown },
): Promise<{ closed: true; sealed: Sealed | null }> {
  if (input.manifest !== undefined && typeof input.manifest !== 'string') {
    throw new GuardError('BAD_INPUT', 'guard: manifest must be the text of manifest.json');
  }
  const manifest = input.manifest;
  const keys = manifest === undefined ? undefined : await ensureKeySet(ctx.db, ctx.secrets);
  return ctx.db.transaction(async (tx) => {
    const sealed =
      manifest === undefined || !keys ? null : await sealEvidence(ctx, tx, keys, session, manifest);
    await tx.query(
      `update sessions set status = 'closed', closed_at = $3, manifest_sha256 = $2 where id = $1`,
      [session.id, sealed?.manifestSha256 ?? null, ctx.now()],
    );
    // Anything still waiting for a reviewer can no longer run.
    await tx.query(
      `update approvals set status = 'expired', decided_at = $2, reason = 'session closed' where session_id = $1 and status = 'pending'`,
      [session.id, ctx.now()],
    );
    await recordEvent(tx, session.id, 'session.closed', { manifest_sha256: sealed?.manifestSha256 ?? null });
    return { closed: true as const, sealed };
  });
}

export function bearer(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}

async function recordRefusal(
  ctx: ServerContext,
  stage: string,
  error: unknown,
  claims?: JobClaims,
): Promise<void> {
  const code = error instanceof GuardError ? error.code : 'INTERNAL';
  // Only identifying claims, never the token: the record must not help anyone replay or forge it.
  const who = claims
    ? { repository: claims.repository, run_id: claims.run_id, actor: claims.actor, ref: claims.ref }
    : {};
  await recordEvent(ctx.db, null, 'security.refused', { stage, code, ...who }).catch(() => {});
  ctx.log(`refused (${stage}): ${code}${claims ? ` ${claims.repository} run ${claims.run_id}` : ''}`);
}
