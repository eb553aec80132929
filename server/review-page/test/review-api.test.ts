// The review page over plain HTTP: the cookie, CSRF and origin rules a browser relies on, checked without
// one, so every refusal is pinned to the exact header that caused it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../lib/digest.js';
import { getApproval } from '../../approvals.js';
import { startReviewStack, type ReviewStack } from './review-stack.js';

let stack: ReviewStack;
let clock = Date.now();
beforeAll(async () => {
  stack = await startReviewStack({ now: () => new Date(clock) });
});
afterAll(async () => {
  await stack?.close();
});

interface Sent {
  cookie?: string;
  csrf?: string;
  origin?: string | null;
  contentType?: string;
  forwardedFor?: string;
  body?: unknown;
}

async function send(method: string, path: string, sent: Sent = {}) {
  const headers: Record<string, string> = {};
  if (sent.cookie) headers.cookie = sent.cookie;
  if (sent.csrf) headers['x-guard-csrf'] = sent.csrf;
  if (sent.forwardedFor) headers['x-forwarded-for'] = sent.forwardedFor;
  if (method === 'POST') {
    const origin = sent.origin === undefined ? stack.url : sent.origin;
    if (origin !== null) headers.origin = origin;
    headers['content-type'] = sent.contentType ?? 'application/json';
  }
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers,
    ...(sent.body !== undefined ? { body: JSON.stringify(sent.body) } : {}),
  });
  const text = await response.text();
  return { response, text, json: () => JSON.parse(text) as { error?: { code: string; message: string } } };
}

/** Signs in and returns the cookie pair and the page's CSRF token. */
async function signIn(login: string) {
  const credential = await stack.reviewerToken(login);
  const { response } = await send('POST', '/review/login', { body: { credential } });
  expect(response.status).toBe(200);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  const page = await send('GET', '/review', { cookie });
  const csrf = /<meta name="guard-csrf" content="([^"]+)"/.exec(page.text)?.[1] ?? '';
  return { credential, cookie, csrf, setCookie, page: page.text };
}

describe('the page', () => {
  it('is served with a nonce CSP, no framing and no referrer; the nonce changes per response', async () => {
    const first = await send('GET', '/review');
    const second = await send('GET', '/review');
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(first.response.headers.get('x-frame-options')).toBe('DENY');
    expect(first.response.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = first.response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'none'");
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(first.text).toContain(`<script nonce="${nonce}">`);
    expect(first.text).toContain(`<style nonce="${nonce}">`);
    expect(second.response.headers.get('content-security-policy')).not.toContain(nonce);
    // Nothing is loaded from elsewhere.
    expect(first.text).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(first.text).toContain('id="login-form"');
  });
});

describe('sign-in', () => {
  it('refuses an unknown or malformed credential and sets no cookie', async () => {
    for (const credential of [`gr_${'A'.repeat(43)}`, 'hunter2', `gs_${'A'.repeat(43)}`, 42]) {
      const { response, json } = await send('POST', '/review/login', { body: { credential } });
      expect(response.status).toBe(403);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(json().error?.code).toBe('FORBIDDEN');
    }
  });

  it('answers a good credential with an HttpOnly, SameSite=Strict cookie whose digest alone is stored', async () => {
    const { setCookie, cookie, credential, page } = await signIn('alice');
    expect(setCookie).toMatch(/; Path=\/review; Max-Age=28800; HttpOnly; SameSite=Strict$/);
    const token = cookie.split('=')[1] ?? '';
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(token).not.toContain(credential.slice(3));
    const { rows } = await stack.server.ctx.db.query<{ token_sha256: string; login: string }>(
      'select token_sha256, login from review_sessions where token_sha256 = $1',
      [sha256Hex(token)],
    );
    expect(rows).toEqual([{ token_sha256: sha256Hex(token), login: 'alice' }]);
    const stored = JSON.stringify((await stack.server.ctx.db.query('select * from review_sessions')).rows);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(credential);
    expect(page).toMatch(/Signed in as\s*<strong>alice<\/strong>/);
  });

  it('refuses a sign-in from another origin, without an Origin, or as a form post', async () => {
    const credential = await stack.reviewerToken('bob');
    for (const sent of [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { origin: null },
      { origin: stack.url.replace('127.0.0.1', 'localhost') },
    ]) {
      const { response } = await send('POST', '/review/login', { ...sent, body: { credential } });
      expect(response.status).toBe(403);
      expect(response.headers.get('set-cookie')).toBeNull();
    }
    const form = await send('POST', '/review/login', {
      contentType: 'text/plain',
      body: { credential },
    });
    expect(form.response.status).toBe(400);
  });
});

describe('decisions', () => {
  it('need the session cookie, its CSRF token and the same origin; then count on the review-page channel', async () => {
    const held = await stack.holdStep('./deploy.sh production');
    const alice = await signIn('alice');
    const bob = await signIn('bob');
    const path = `/review/approvals/${held.approvalId}/decision`;
    const body = { decision: 'approve', comment: 'ok' };
    const refusals: [Sent, number][] = [
      [{ body }, 403], // no cookie
      [{ body, cookie: alice.cookie }, 403], // no CSRF token
      [{ body, cookie: alice.cookie, csrf: bob.csrf }, 403], // another session's token
      [{ body, cookie: alice.cookie, csrf: alice.csrf, origin: 'http://evil.example' }, 403],
      [{ body, cookie: alice.cookie, csrf: alice.csrf, contentType: 'text/plain' }, 400],
      [{ body, cookie: 'guard_review=forged', csrf: alice.csrf }, 403],
    ];
    for (const [sent, status] of refusals) {
      const { response } = await send('POST', path, sent);
      expect(response.status, JSON.stringify(sent)).toBe(status);
    }
    expect((await getApproval(stack.server.ctx, held.approvalId)).votes).toEqual([]);

    const accepted = await send('POST', path, { body, cookie: alice.cookie, csrf: alice.csrf });
    expect(accepted.response.status).toBe(200);
    expect(JSON.parse(accepted.text)).toMatchObject({
      status: 'approved',
      message: 'Approved: the step is released and will run.',
    });
    const state = await getApproval(stack.server.ctx, held.approvalId);
    expect(state.votes).toMatchObject([{ reviewer: 'alice', channel: 'review-page', comment: 'ok' }]);
  });

  it('refuse a denial without a reason and record nothing', async () => {
    const held = await stack.holdStep('./deploy.sh staging');
    const bob = await signIn('bob');
    const path = `/review/approvals/${held.approvalId}/decision`;
    for (const comment of [undefined, '', '   ']) {
      const refused = await send('POST', path, {
        body: { decision: 'deny', comment },
        cookie: bob.cookie,
        csrf: bob.csrf,
      });
      expect(refused.response.status).toBe(400);
      expect(refused.json().error?.message).toMatch(/denial needs a reason/);
    }
    expect((await getApproval(stack.server.ctx, held.approvalId)).status).toBe('pending');
    const denied = await send('POST', path, {
      body: { decision: 'deny', comment: 'not in the freeze' },
      cookie: bob.cookie,
      csrf: bob.csrf,
    });
    expect(denied.response.status).toBe(200);
    expect(await getApproval(stack.server.ctx, held.approvalId)).toMatchObject({
      status: 'denied',
      reason: 'denied by bob: not in the freeze',
    });
  });
});

describe('session end', () => {
  it('sign-out clears the cookie and the stored session; the old cookie is refused after', async () => {
    const alice = await signIn('alice');
    const out = await send('POST', '/review/logout', { body: {}, cookie: alice.cookie, csrf: alice.csrf });
    expect(out.response.status).toBe(200);
    expect(out.response.headers.get('set-cookie')).toMatch(
      /^guard_review=; Path=\/review; Max-Age=0; HttpOnly/,
    );
    const after = await send('GET', '/review', { cookie: alice.cookie });
    expect(after.text).toContain('id="login-form"');
    expect(after.text).toContain('Your review session has ended');
    const held = await stack.holdStep('./deploy.sh again');
    const late = await send('POST', `/review/approvals/${held.approvalId}/decision`, {
      body: { decision: 'approve' },
      cookie: alice.cookie,
      csrf: alice.csrf,
    });
    expect(late.response.status).toBe(403);
    expect(late.json().error?.message).toMatch(/session has ended/);
  });

  it('sign-out needs the CSRF token, so another site cannot sign a reviewer out', async () => {
    const alice = await signIn('alice');
    const out = await send('POST', '/review/logout', { body: {}, cookie: alice.cookie });
    expect(out.response.status).toBe(403);
    expect((await send('GET', '/review', { cookie: alice.cookie })).text).toContain('Signed in as');
  });

  it('a session lapses after 8 hours', async () => {
    const alice = await signIn('alice');
    clock += 8 * 3600_000 - 60_000;
    expect((await send('GET', '/review', { cookie: alice.cookie })).text).toContain('Signed in as');
    clock += 61_000;
    expect((await send('GET', '/review', { cookie: alice.cookie })).text).toContain('id="login-form"');
  });

  it('re-keying a reviewer ends the sessions opened with the old credential', async () => {
    const bob = await signIn('bob');
    await stack.reviewerToken('bob');
    const page = await send('GET', '/review', { cookie: bob.cookie });
    expect(page.text).toContain('id="login-form"');
  });
});

// Last: it leaves this address throttled until the clock moves on, and moving the clock expires the
// stand-in's tokens for the tests above.
describe('sign-in throttle', () => {
  it('slows down an address after five failed sign-ins in 15 minutes, and records each refusal', async () => {
    const credential = await stack.reviewerToken('dave');
    for (let i = 0; i < 5; i++) {
      const { response } = await send('POST', '/review/login', {
        body: { credential: `gr_${'B'.repeat(43)}` },
      });
      expect(response.status).toBe(403);
    }
    // Even the right credential waits now; the message says how long and what else to do.
    const limited = await send('POST', '/review/login', { body: { credential } });
    expect(limited.response.status).toBe(429);
    expect(limited.response.headers.get('set-cookie')).toBeNull();
    expect(limited.json().error?.message).toMatch(/too many failed sign-ins .* try again in 15 min/);
    const { rows } = await stack.server.ctx.db.query<{ body: { stage: string; code: string } }>(
      `select body from events where type = 'security.refused' and body->>'stage' = 'review-login' order by id`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.at(-1)?.body.code).toBe('FORBIDDEN');
    // Another client behind the same reverse proxy is counted on its own.
    const other = await send('POST', '/review/login', { body: { credential }, forwardedFor: '203.0.113.9' });
    expect(other.response.status).toBe(200);
    clock += 15 * 60_000;
    expect((await send('POST', '/review/login', { body: { credential } })).response.status).toBe(200);
  });
});
