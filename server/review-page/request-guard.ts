// What a state-changing request to the review page must show before anything is done: it comes from the
// page itself (same origin, JSON, so no HTML form on another site can send it) and carries the session's
// CSRF token. Pure functions over headers, so they are tested without a server.
import { GuardError } from '../../lib/errors.js';

export const REVIEW_COOKIE = 'guard_review';
/** The cookie is sent to the review page only, never to the job-facing API under /v1. */
export const REVIEW_PATH = '/review';
export const CSRF_HEADER = 'x-guard-csrf';

type Headers = Record<string, string | undefined>;

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** HttpOnly (scripts cannot read it), SameSite=Strict (other sites cannot make the browser send it). */
export function sessionCookie(token: string, maxAgeSec: number, secure: boolean): string {
  return [
    `${REVIEW_COOKIE}=${token}`,
    `Path=${REVIEW_PATH}`,
    `Max-Age=${Math.max(0, Math.floor(maxAgeSec))}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}

/** The Secure attribute needs HTTPS; it is set when the platform team gave an https public URL. */
export function cookieIsSecure(publicUrl: string | undefined): boolean {
  return publicUrl?.startsWith('https://') ?? false;
}

/**
 * Whether a request was sent by a page of this server. Browsers send Origin on every fetch() POST and
 * Sec-Fetch-Site when they know it; a request with neither is refused (fail closed).
 */
export function isSameOrigin(headers: Headers, publicUrl: string | undefined): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = headers.origin;
  if (!origin || origin === 'null') return false;
  let presented: URL;
  try {
    presented = new URL(origin);
  } catch {
    return false;
  }
  if (publicUrl) return presented.origin === new URL(publicUrl).origin;
  return presented.host === headers.host;
}

/** Refuses a POST that is not a same-origin JSON request; the CSRF token is checked by the caller. */
export function assertPageRequest(headers: Headers, publicUrl: string | undefined): void {
  if (!isSameOrigin(headers, publicUrl)) {
    throw new GuardError(
      'FORBIDDEN',
      'guard: the review page accepts changes only from its own pages (cross-origin request refused); open the review page on this server and try again',
    );
  }
  const type = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new GuardError('BAD_INPUT', 'guard: the review page accepts JSON requests only');
  }
}
