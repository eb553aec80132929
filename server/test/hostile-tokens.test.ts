// Hostile token exchanges: each refused before a session exists, each with its own code, each recorded as a
// security event, none echoing token content back.
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardServerClient } from '../../client/server-api.js';
import { sha256Hex } from '../../lib/digest.js';
import { GuardError } from '../../lib/errors.js';
import { startStack, type Stack } from '../../test/support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const now = () => Math.floor(Date.now() / 1000);
const valid = () => ({ ...stack.github.claims(), aud: 'guard' });
const sign = (claims: Record<string, unknown>, options?: Parameters<Stack['github']['signToken']>[1]) =>
  stack.github.signToken(claims, options);

function tamper(token: string, part: 0 | 1, edit: (json: Record<string, unknown>) => void): string {
  const parts = token.split('.');
  const json = JSON.parse(Buffer.from(parts[part] ?? '', 'base64url').toString()) as Record<string, unknown>;
  edit(json);
  parts[part] = Buffer.from(JSON.stringify(json)).toString('base64url');
  return parts.join('.');
}

const cases: { name: string; code: string; token: () => Promise<string> }[] = [
  { name: 'expired', code: 'TOKEN_EXPIRED', token: () => sign({ ...valid(), exp: now() - 120 }) },
  { name: 'not yet valid', code: 'TOKEN_NOT_YET_VALID', token: () => sign({ ...valid(), nbf: now() + 600 }) },
  {
    name: 'issued in the future',
    code: 'TOKEN_ISSUED_IN_FUTURE',
    token: () => sign({ ...valid(), iat: now() + 600, nbf: now() - 10 }),
  },
  {
    name: 'issued too long ago (exp still ahead)',
    code: 'TOKEN_TOO_OLD',
    token: () => sign({ ...valid(), iat: now() - 3600, nbf: now() - 3600, exp: now() + 600 }),
  },
  {
    name: 'wrong issuer',
    code: 'TOKEN_ISSUER_UNTRUSTED',
    token: () => sign({ ...valid(), iss: 'https://token.actions.githubusercontent.com.evil.example' }),
  },
  { name: 'no issuer', code: 'TOKEN_ISSUER_UNTRUSTED', token: () => sign({ ...valid(), iss: undefined }) },
  {
    name: 'wrong audience',
    code: 'TOKEN_AUDIENCE_MISMATCH',
    token: () => sign({ ...valid(), aud: 'sts.amazonaws.com' }),
  },
  {
    name: 'missing audience',
    code: 'TOKEN_AUDIENCE_MISSING',
    token: () => sign({ ...valid(), aud: undefined }),
  },
  { name: 'alg none', code: 'TOKEN_ALG_NOT_ALLOWED', token: () => sign(valid(), { alg: 'none' }) },
  {
    name: 'HS256 signed with the public key',
    code: 'TOKEN_ALG_NOT_ALLOWED',
    token: () => sign(valid(), { alg: 'HS256' }),
  },
  {
    name: 'ES256 from a key of its own',
    code: 'TOKEN_ALG_NOT_ALLOWED',
    token: async () =>
      sign(valid(), { alg: 'ES256', privateKey: (await generateKeyPair('ES256')).privateKey }),
  },
  {
    name: 'unknown kid',
    code: 'TOKEN_KEY_UNKNOWN',
    token: () => sign(valid(), { kid: 'not-a-published-key' }),
  },
  {
    name: "an attacker's key under the issuer's kid",
    code: 'TOKEN_SIGNATURE_INVALID',
    token: async () => sign(valid(), { privateKey: (await generateKeyPair('RS256')).privateKey }),
  },
  {
    name: 'tampered payload',
    code: 'TOKEN_SIGNATURE_INVALID',
    token: async () => tamper(await sign(valid()), 1, (p) => (p.repository = 'octo-org/octo-repo2')),
  },
  {
    name: 'tampered header',
    code: 'TOKEN_SIGNATURE_INVALID',
    token: async () => tamper(await sign(valid()), 0, (h) => (h.typ = 'at+jwt')),
  },
  {
    name: 'signature stripped',
    code: 'TOKEN_SIGNATURE_INVALID',
    token: async () => `${(await sign(valid())).split('.').slice(0, 2).join('.')}.`,
  },
  { name: 'not a JWT', code: 'TOKEN_MALFORMED', token: async () => 'definitely-not-a-jwt' },
  { name: 'garbage segments', code: 'TOKEN_MALFORMED', token: async () => 'a.b.c' },
  { name: 'missing jti', code: 'TOKEN_CLAIMS_MISSING', token: () => sign({ ...valid(), jti: undefined }) },
  {
    name: 'missing repository_id',
    code: 'TOKEN_CLAIMS_MISSING',
    token: () => sign({ ...valid(), repository_id: undefined }),
  },
  {
    name: 'another repository',
    code: 'POLICY_DENIED',
    token: () =>
      sign({
        ...stack.github.claims({ repository: 'mallory/octo-repo', repository_owner: 'mallory' }),
        aud: 'guard',
      }),
  },
  {
    name: 'the right name but another repository id',
    code: 'POLICY_DENIED',
    token: () => sign({ ...stack.github.claims({ repository_id: '1' }), aud: 'guard' }),
  },
  {
    name: "a fork's pull request",
    code: 'POLICY_FORK_DENIED',
    token: () =>
      sign({
        ...stack.github.claims({
          event_name: 'pull_request',
          ref: 'refs/pull/7/merge',
          environment: undefined,
        }),
        aud: 'guard',
      }),
  },
  {
    name: 'pull_request_target',
    code: 'POLICY_FORK_DENIED',
    token: () =>
      sign({
        ...stack.github.claims({ event_name: 'pull_request_target', environment: undefined }),
        aud: 'guard',
      }),
  },
  { name: 'no token at all', code: 'TOKEN_MISSING', token: async () => '' },
];

describe('hostile tokens', () => {
  it.each(cases)('$name: refused with $code and recorded', async ({ code, token }) => {
    const sent = await token();
    const error = await new GuardServerClient(stack.server.url)
      .openSession(sent, 'deploy')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuardError);
    expect((error as GuardError).code).toBe(code);
    // Nothing of the token comes back: not its signature, not its payload.
    const signature = sent.split('.')[2];
    if (signature && signature.length > 16) expect((error as GuardError).message).not.toContain(signature);
    if (code !== 'TOKEN_MISSING') {
      const { rows } = await stack.server.ctx.db.query<{ body: { code: string } }>(
        `select body from events where type = 'security.refused' order by id desc limit 1`,
      );
      expect(rows[0]?.body.code).toBe(code);
    }
    const sessions = await stack.server.ctx.db.query(`select 1 from sessions where claims->>'jti' = $1`, [
      sent.split('.')[1] ?? '',
    ]);
    expect(sessions.rowCount).toBe(0);
  });

  it('has at least 20 distinct hostile cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it('refuses a replayed token (TOKEN_REPLAYED) even after the first session closed', async () => {
    const token = await sign(valid());
    const first = await new GuardServerClient(stack.server.url).openSession(token, 'deploy');
    const run = `${first.identity.run_id}/${first.identity.run_attempt}/deploy`;
    await new GuardServerClient(stack.server.url, first.session.credential, run).closeSession();
    await expect(new GuardServerClient(stack.server.url).openSession(token, 'deploy')).rejects.toMatchObject({
      code: 'TOKEN_REPLAYED',
    });
  });

  it('refuses a session credential from another run (SESSION_WRONG_RUN), a revoked one, and an unknown one', async () => {
    const opened = await new GuardServerClient(stack.server.url).openSession(await sign(valid()), 'deploy');
    const script = 'echo hi';
    const step = { name: 's', kind: 'shell' as const, script, scriptSha256: sha256Hex(script) };
    const otherRun = new GuardServerClient(stack.server.url, opened.session.credential, `999/1/deploy`);
    await expect(otherRun.registerStep(step)).rejects.toMatchObject({ code: 'SESSION_WRONG_RUN' });
    const { revokeSession } = await import('../sessions.js');
    expect(await revokeSession(stack.server.ctx.db, opened.session.id, 'test')).toBe(true);
    const own = new GuardServerClient(
      stack.server.url,
      opened.session.credential,
      `${opened.identity.run_id}/${opened.identity.run_attempt}/deploy`,
    );
    await expect(own.registerStep(step)).rejects.toThrow(/revoked/);
    await expect(
      new GuardServerClient(stack.server.url, 'gs_unknown', 'x/1/deploy').registerStep(step),
    ).rejects.toMatchObject({ code: 'SESSION_INVALID' });
  });
});

describe('issuer keys', () => {
  // A stack of its own: the JWKS cooldown must not have been started by the cases above.
  let fresh: Stack;
  beforeAll(async () => {
    fresh = await startStack({ config: { jwksCooldownMs: 1000 } });
  });
  afterAll(async () => {
    await fresh?.close();
  });

  it('re-fetches the JWKS for a rotated key, but a flood of unknown kids does not hammer the issuer', async () => {
    const jwksFetches = () =>
      fresh.github.requests.filter((request) => request.path.endsWith('/jwks')).length;
    const claims = () => ({ ...fresh.github.claims(), aud: 'guard' });
    await new GuardServerClient(fresh.server.url).openSession(
      await fresh.github.signToken(claims()),
      'deploy',
    );
    const before = jwksFetches();
    await fresh.github.rotateKey();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expect(
      new GuardServerClient(fresh.server.url).openSession(await fresh.github.signToken(claims()), 'deploy'),
    ).resolves.toBeTruthy();
    expect(jwksFetches()).toBe(before + 1);
    for (let i = 0; i < 5; i++) {
      const bogus = await fresh.github.signToken(claims(), { kid: `bogus-${i}` });
      await expect(
        new GuardServerClient(fresh.server.url).openSession(bogus, 'deploy'),
      ).rejects.toMatchObject({ code: 'TOKEN_KEY_UNKNOWN' });
    }
    expect(jwksFetches()).toBe(before + 1);
  });
});
