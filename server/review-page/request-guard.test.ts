import { describe, expect, it } from 'vitest';
import {
  assertPageRequest,
  clearedCookie,
  cookieIsSecure,
  isSameOrigin,
  readCookie,
  sessionCookie,
} from './request-guard.js';

describe('cookies', () => {
  it('reads the named cookie among others, and nothing from a look-alike name', () => {
    expect(readCookie('a=1; guard_review=tok-en_1; b=2', 'guard_review')).toBe('tok-en_1');
    expect(readCookie('xguard_review=nope; guard_review_old=nope', 'guard_review')).toBeUndefined();
    expect(readCookie('guard_review=', 'guard_review')).toBeUndefined();
    expect(readCookie(undefined, 'guard_review')).toBeUndefined();
  });

  it('is HttpOnly, SameSite=Strict and scoped to the page; Secure only with an https public URL', () => {
    expect(sessionCookie('t', 28_800, false)).toBe(
      'guard_review=t; Path=/review; Max-Age=28800; HttpOnly; SameSite=Strict',
    );
    expect(sessionCookie('t', 60, cookieIsSecure('https://guard.example.com'))).toMatch(/; Secure$/);
    expect(cookieIsSecure('http://guard.internal')).toBe(false);
    expect(cookieIsSecure(undefined)).toBe(false);
    expect(clearedCookie(true)).toBe(
      'guard_review=; Path=/review; Max-Age=0; HttpOnly; SameSite=Strict; Secure',
    );
  });
});

describe('same origin', () => {
  const host = '127.0.0.1:8080';
  it('accepts the page itself: Origin matching the Host, or the configured public URL', () => {
    expect(isSameOrigin({ host, origin: 'http://127.0.0.1:8080' }, undefined)).toBe(true);
    expect(
      isSameOrigin({ host, origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-origin' }, undefined),
    ).toBe(true);
    expect(
      isSameOrigin(
        { host: 'internal:8080', origin: 'https://guard.example.com' },
        'https://guard.example.com/',
      ),
    ).toBe(true);
  });

  it('refuses other sites, sibling sites, opaque and missing origins, and a scheme downgrade', () => {
    for (const headers of [
      { host, origin: 'http://evil.example' },
      { host, origin: 'null' },
      { host },
      { host, origin: 'not a url' },
      { host, origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-site' },
      { host, origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'cross-site' },
    ]) {
      expect(isSameOrigin(headers, undefined), JSON.stringify(headers)).toBe(false);
    }
    expect(
      isSameOrigin(
        { host: 'guard.example.com', origin: 'http://guard.example.com' },
        'https://guard.example.com',
      ),
    ).toBe(false);
  });

  it('accepts JSON only, so a cross-site HTML form can never be a page request', () => {
    const origin = 'http://127.0.0.1:8080';
    expect(() =>
      assertPageRequest({ host, origin, 'content-type': 'application/json; charset=utf-8' }, undefined),
    ).not.toThrow();
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      undefined,
    ]) {
      expect(() => assertPageRequest({ host, origin, 'content-type': type }, undefined)).toThrow(
        /JSON requests only/,
      );
    }
    expect(() =>
      assertPageRequest(
        { host, origin: 'http://evil.example', 'content-type': 'application/json' },
        undefined,
      ),
    ).toThrow(/cross-origin request refused/);
  });
});
