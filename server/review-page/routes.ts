// The review page's routes. GET /review renders the sign-in or the queue; the POSTs (sign in, sign out,
// decide) take JSON from the page itself only. Decisions go through decideApproval like every other channel,
// so reviewer lists, self-approval and double votes are enforced in one place.
import { GuardError } from '../../lib/errors.js';
import { decideApproval, type ApprovalState } from '../approvals.js';
import type { ServerContext } from '../context.js';
import { recordEvent } from '../events.js';
import type { ApiRequest, ApiResponse, Router } from '../http/router.js';
import { loginView } from './login-view.js';
import { renderPage } from './page-shell.js';
import { loadQueue } from './queue.js';
import { queueView } from './queue-view.js';
import {
  CSRF_HEADER,
  REVIEW_COOKIE,
  REVIEW_PATH,
  assertPageRequest,
  clearedCookie,
  cookieIsSecure,
  readCookie,
  sessionCookie,
} from './request-guard.js';
import {
  csrfMatches,
  csrfTokenFor,
  endReviewSession,
  findReviewSession,
  openReviewSession,
  type ReviewSession,
} from './review-sessions.js';
import { SignInThrottle } from './sign-in-throttle.js';

export interface ReviewRouteOptions {
  sessionTtlMs: number;
  refreshSeconds: number;
}

export function addReviewPageRoutes(ctx: ServerContext, router: Router, options: ReviewRouteOptions): void {
  const secure = cookieIsSecure(ctx.config.publicUrl);
  const cookieOf = (request: ApiRequest) => readCookie(request.headers.cookie, REVIEW_COOKIE);

  router.add('GET', REVIEW_PATH, async (request) => {
    const token = cookieOf(request);
    const session = await findReviewSession(ctx, token);
    if (!session) {
      const page = renderPage({
        title: 'guard: sign in to review',
        main: loginView(
          token
            ? 'Your review session has ended (expired or signed out); paste your credential again.'
            : undefined,
        ),
        ...(token ? { extraHeaders: { 'set-cookie': clearedCookie(secure) } } : {}),
      });
      return { status: 200, body: page.body, headers: page.headers };
    }
    const items = await loadQueue(ctx, { login: session.login });
    const page = renderPage({
      title: items.length ? `(${items.length}) guard review queue` : 'guard review queue',
      main: queueView(items, ctx.now()),
      login: session.login,
      sessionEnds: `${session.expiresAt.toISOString().slice(11, 16)} UTC`,
      csrf: csrfTokenFor(session),
      refreshSeconds: options.refreshSeconds,
    });
    return { status: 200, body: page.body, headers: page.headers };
  });

  const throttle = new SignInThrottle();
  router.add('POST', `${REVIEW_PATH}/login`, async (request) => {
    assertPageRequest(request.headers, ctx.config.publicUrl);
    // Behind a reverse proxy every client has the proxy's address; the forwarded-for chain the proxy
    // appends to tells clients apart. A client that forges the header only gets a bucket of its own (the
    // proxy appends its real address), so it can dodge the brake but not lock out another reviewer.
    const forwarded = request.headers['x-forwarded-for'];
    const address = `${request.remoteAddress ?? 'unknown'}${forwarded ? ` (forwarded for ${forwarded})` : ''}`;
    const waitMs = throttle.retryAfterMs(address, ctx.now().getTime());
    if (waitMs > 0) {
      throw new GuardError(
        'RATE_LIMITED',
        `guard: too many failed sign-ins from this address; try again in ${Math.ceil(waitMs / 60_000)} min, or ask the platform team for a new credential (guard reviewer add LOGIN)`,
      );
    }
    let session: ReviewSession;
    try {
      session = await openReviewSession(ctx, field(request, 'credential'), options.sessionTtlMs);
    } catch (error) {
      throttle.failed(address, ctx.now().getTime());
      await recordEvent(ctx.db, null, 'security.refused', {
        stage: 'review-login',
        code: error instanceof GuardError ? error.code : 'INTERNAL',
        address,
      }).catch(() => undefined);
      throw error;
    }
    throttle.succeeded(address);
    return {
      status: 200,
      body: { login: session.login, expiresAt: session.expiresAt.toISOString() },
      headers: { 'set-cookie': sessionCookie(session.token, options.sessionTtlMs / 1000, secure) },
    };
  });

  router.add('POST', `${REVIEW_PATH}/logout`, async (request) => {
    const session = await pageSession(ctx, request);
    await endReviewSession(ctx, session);
    return { status: 200, body: { signedOut: true }, headers: { 'set-cookie': clearedCookie(secure) } };
  });

  router.add(
    'POST',
    `${REVIEW_PATH}/approvals/:id/decision`,
    async (request, params): Promise<ApiResponse> => {
      const session = await pageSession(ctx, request);
      const decision = field(request, 'decision');
      const comment = field(request, 'comment');
      if (decision === 'deny' && (typeof comment !== 'string' || !comment.trim())) {
        throw new GuardError(
          'BAD_INPUT',
          'guard: a denial needs a reason; write it in the comment so the workflow author knows what to change',
        );
      }
      const state = await decideApproval(
        ctx,
        params.id ?? '',
        { login: session.login },
        { decision, comment, channel: 'review-page' },
      );
      return { status: 200, body: outcome(state) };
    },
  );
}

/** The session of a state-changing request: same origin, JSON, a live session, and its CSRF token. */
async function pageSession(ctx: ServerContext, request: ApiRequest): Promise<ReviewSession> {
  assertPageRequest(request.headers, ctx.config.publicUrl);
  const session = await findReviewSession(ctx, readCookie(request.headers.cookie, REVIEW_COOKIE));
  if (!session) {
    throw new GuardError(
      'FORBIDDEN',
      'guard: your review session has ended (expired or signed out); reload the page and sign in again',
    );
  }
  if (!csrfMatches(session, request.headers[CSRF_HEADER])) {
    throw new GuardError(
      'FORBIDDEN',
      'guard: the request did not carry this session’s CSRF token; reload the review page and try again',
    );
  }
  return session;
}

function field(request: ApiRequest, name: string): unknown {
  const body = request.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

/** What the page tells the reviewer their vote did. */
function outcome(state: ApprovalState): {
  status: ApprovalState['status'];
  approvals: number;
  required: number;
  message: string;
} {
  const approvals = state.votes.filter((vote) => vote.decision === 'approve').length;
  const subject = state.kind === 'sql' ? 'statement' : state.kind;
  const message =
    state.status === 'approved'
      ? `Approved: the ${subject} is released and will run.`
      : state.status === 'denied'
        ? `Denied: the ${subject} will not run; the author sees your reason.`
        : `Your approval counted (${approvals} of ${state.required}); waiting for other reviewers.`;
  return { status: state.status, approvals, required: state.required, message };
}
