// The routes of the approval server's API. Every route but the token exchange and health needs a
// credential: the session's for the job's own calls, a reviewer's for decisions.
import { timingSafeEqual } from 'node:crypto';
import { KEYS_WELL_KNOWN_PATH } from '../audit/signing-keys.js';
import { GuardError } from '../lib/errors.js';
import { exportLedger } from './audit/ledger-store.js';
import { ensureKeySet, publicKeys } from './audit/signing-key-store.js';
import { decideApproval, getApproval, listPendingApprovals, waitForApproval } from './approvals.js';
import type { ServerContext } from './context.js';
import { Router, type ApiRequest } from './http/router.js';
import { authenticateReviewer } from './reviewers.js';
import { authenticateSession, bearer, closeSession, openSession } from './sessions.js';
import { finishStep, registerStep, requestSqlApproval, startStep } from './steps.js';

export function buildApi(ctx: ServerContext): Router {
  const router = new Router();
  const body = (request: ApiRequest): Record<string, unknown> =>
    typeof request.body === 'object' && request.body !== null
      ? (request.body as Record<string, unknown>)
      : {};

  router.add('GET', KEYS_WELL_KNOWN_PATH, async () => ({
    status: 200,
    body: publicKeys(await ensureKeySet(ctx.db, ctx.secrets)),
    headers: { 'cache-control': 'public, max-age=300' },
  }));

  // The ledger for SIEMs and `guard audit verify-ledger`: JSON lines, for holders of the audit token.
  router.add('GET', '/v1/audit/export', async (request) => {
    authenticateAuditor(ctx, request.headers.authorization);
    const since = request.query.get('since') ?? undefined;
    const repository = request.query.get('repository') ?? undefined;
    return {
      status: 200,
      body: await exportLedger(ctx.db, {
        ...(since ? { since } : {}),
        ...(repository ? { repository } : {}),
      }),
      headers: { 'content-type': 'application/x-ndjson' },
    };
  });

  router.add('GET', '/healthz', async () => ({ status: 200, body: { ok: true, database: ctx.db.kind } }));

  router.add('POST', '/v1/sessions', async (request) => {
    const opened = await openSession(ctx, body(request));
    return {
      status: 201,
      body: {
        session: { id: opened.id, credential: opened.credential, expiresAt: opened.expiresAt },
        policy: opened.policy,
        identity: opened.claims,
        deployment: opened.deployment,
      },
    };
  });

  router.add('POST', '/v1/session/close', async (request) => {
    const session = await authenticateSession(
      ctx,
      request.headers.authorization,
      request.headers['x-guard-run'],
    );
    const { sealed } = await closeSession(ctx, session, body(request));
    return { status: 200, body: { closed: true, ...(sealed ?? {}) } };
  });

  router.add('POST', '/v1/steps', async (request) => {
    const session = await authenticateSession(
      ctx,
      request.headers.authorization,
      request.headers['x-guard-run'],
    );
    return { status: 201, body: await registerStep(ctx, session, body(request)) };
  });

  router.add('POST', '/v1/steps/:id/start', async (request, params) => {
    const session = await authenticateSession(
      ctx,
      request.headers.authorization,
      request.headers['x-guard-run'],
    );
    return { status: 200, body: await startStep(ctx, session, params.id ?? '', body(request)) };
  });

  router.add('POST', '/v1/steps/:id/finish', async (request, params) => {
    const session = await authenticateSession(
      ctx,
      request.headers.authorization,
      request.headers['x-guard-run'],
    );
    await finishStep(ctx, session, params.id ?? '', body(request));
    return { status: 200, body: { finished: true } };
  });

  // A reviewer's queue: what waits for them, with the masked script they are asked to approve.
  router.add('GET', '/v1/approvals', async (request) => {
    const reviewer = await authenticateReviewer(ctx.db, request.headers.authorization);
    return { status: 200, body: { approvals: await listPendingApprovals(ctx, reviewer) } };
  });

  router.add('POST', '/v1/steps/:id/sql-approvals', async (request, params) => {
    const session = await authenticateSession(
      ctx,
      request.headers.authorization,
      request.headers['x-guard-run'],
    );
    return { status: 201, body: await requestSqlApproval(ctx, session, params.id ?? '', body(request)) };
  });

  router.add('GET', '/v1/approvals/:id', async (request, params) => {
    await authenticateEither(ctx, request);
    return { status: 200, body: await getApproval(ctx, params.id ?? '') };
  });

  // Long-poll: held open until the approval is decided or `timeout` seconds pass (at most max-wait).
  router.add('GET', '/v1/approvals/:id/wait', async (request, params) => {
    const session = await authenticateSession(
      ctx,
      request.headers.authorization,
      request.headers['x-guard-run'],
    );
    const state = await getApproval(ctx, params.id ?? '');
    if (state.sessionId !== session.id)
      throw new GuardError('NOT_FOUND', `guard: approval ${params.id} does not belong to this session`);
    const requested = Number(request.query.get('timeout') ?? ctx.config.maxWaitSec);
    const timeoutSec =
      Number.isFinite(requested) && requested > 0
        ? Math.min(requested, ctx.config.maxWaitSec)
        : ctx.config.maxWaitSec;
    return { status: 200, body: await waitForApproval(ctx, state.id, timeoutSec * 1000, request.signal) };
  });

  router.add('POST', '/v1/approvals/:id/decision', async (request, params) => {
    const reviewer = await authenticateReviewer(ctx.db, request.headers.authorization);
    const input = body(request);
    return {
      status: 200,
      body: await decideApproval(ctx, params.id ?? '', reviewer, {
        decision: input.decision,
        comment: input.comment,
        channel: 'api',
      }),
    };
  });

  return router;
}

async function authenticateEither(ctx: ServerContext, request: ApiRequest): Promise<void> {
  const authorization = request.headers.authorization ?? '';
  if (/^Bearer\s+gr_/i.test(authorization)) await authenticateReviewer(ctx.db, authorization);
  else await authenticateSession(ctx, authorization, request.headers['x-guard-run']);
}

function authenticateAuditor(ctx: ServerContext, authorization: string | undefined): void {
  const presented = Buffer.from(bearer(authorization) ?? '');
  const expected = Buffer.from(ctx.config.auditToken ?? '');
  if (expected.length === 0) {
    throw new GuardError(
      'FORBIDDEN',
      'guard: the ledger export is off; the platform team enables it with GUARD_AUDIT_TOKEN',
    );
  }
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    throw new GuardError(
      'FORBIDDEN',
      'guard: the ledger export needs the audit token (GUARD_AUDIT_TOKEN) as a bearer token',
    );
  }
}
