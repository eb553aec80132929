// The OIDC issuer half: discovery and JWKS as a verifier fetches them, the runner's token endpoint as
// @actions/core calls it, and hostile tokens that a correct verifier (jose here) must refuse.
import { createRemoteJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubStandIn } from '../index.js';
import type { GitHubStandIn } from '../index.js';

let standIn: GitHubStandIn;

beforeAll(async () => {
  standIn = await startGitHubStandIn();
});
afterAll(async () => {
  await standIn.close();
});

const verify = (token: string, audience = 'guard') =>
  jwtVerify(token, createRemoteJWKSet(new URL(`${standIn.issuer}/.well-known/jwks`)), {
    issuer: standIn.issuer,
    audience,
  });

describe('discovery and JWKS', () => {
  it('publishes the discovery document with this issuer and RS256 keys with kid', async () => {
    const doc = (await (await fetch(`${standIn.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(doc['issuer']).toBe(standIn.issuer);
    expect(doc['jwks_uri']).toBe(`${standIn.issuer}/.well-known/jwks`);
    expect(doc['id_token_signing_alg_values_supported']).toEqual(['RS256']);
    expect(doc['claims_supported']).toEqual(
      expect.arrayContaining(['repository_id', 'job_workflow_ref', 'runner_environment']),
    );
    const jwks = (await (await fetch(String(doc['jwks_uri']))).json()) as {
      keys: Array<Record<string, unknown>>;
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: standIn.keys()[0]?.kid });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});

describe('runner token endpoint', () => {
  it('returns { value } for the job bearer token, with the requested audience', async () => {
    const job = await standIn.registerJob({ claims: { run_id: '777', environment: 'staging' } });
    const res = await fetch(
      `${job.idTokenRequestUrl}&audience=${encodeURIComponent('https://guard.example.com')}`,
      {
        headers: { authorization: `Bearer ${job.idTokenRequestToken}` },
      },
    );
    expect(res.status).toBe(200);
    const { value } = (await res.json()) as { value: string };
    const { payload } = await verify(value, 'https://guard.example.com');
    expect(payload).toMatchObject({
      run_id: '777',
      environment: 'staging',
      sub: 'repo:octo-org/octo-repo:environment:staging',
    });
    expect(job.idTokensIssued).toBe(1);
  });

  it('defaults aud to the owner URL like GitHub', async () => {
    const job = await standIn.registerJob();
    const res = await fetch(job.idTokenRequestUrl, {
      headers: { authorization: `Bearer ${job.idTokenRequestToken}` },
    });
    const { value } = (await res.json()) as { value: string };
    expect((await verify(value, 'https://github.com/octo-org')).payload.aud).toBe(
      'https://github.com/octo-org',
    );
  });

  it('answers 401 to a missing or wrong bearer token', async () => {
    const job = await standIn.registerJob();
    expect((await fetch(job.idTokenRequestUrl)).status).toBe(401);
    const wrong = await fetch(job.idTokenRequestUrl, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    const other = await standIn.registerJob();
    const crossed = await fetch(job.idTokenRequestUrl, {
      headers: { authorization: `Bearer ${other.idTokenRequestToken}` },
    });
    expect(crossed.status).toBe(401);
  });
});

describe('claims and hostile tokens', () => {
  it('derives sub from environment, pull_request or ref as GitHub does', () => {
    expect(standIn.claims().sub).toBe('repo:octo-org/octo-repo:environment:prod');
    expect(standIn.claims({ environment: undefined, event_name: 'pull_request' }).sub).toBe(
      'repo:octo-org/octo-repo:pull_request',
    );
    const c = standIn.claims({ environment: undefined, repository: 'acme/shop', ref: 'refs/tags/v1' });
    expect(c).toMatchObject({
      sub: 'repo:acme/shop:ref:refs/tags/v1',
      repository_owner: 'acme',
      ref_type: 'tag',
      aud: 'https://github.com/acme',
    });
    expect(c).not.toHaveProperty('environment');
    expect(c.job_workflow_ref).toBe('acme/shop/.github/workflows/deploy.yml@refs/tags/v1');
  });

  it('signs valid tokens that verify', async () => {
    const token = await standIn.signToken(standIn.claims({ aud: 'guard' }));
    await expect(verify(token)).resolves.toBeDefined();
  });

  it('makes tokens a verifier must refuse: none, HS256 with the public key, unknown kid, foreign key, expired, tampered', async () => {
    const claims = standIn.claims({ aud: 'guard' });
    const none = await standIn.signToken(claims, { alg: 'none' });
    expect(none.endsWith('.')).toBe(true);
    await expect(verify(none)).rejects.toThrow();

    const hs = await standIn.signToken(claims, { alg: 'HS256' });
    expect(decodeProtectedHeader(hs).alg).toBe('HS256');
    await expect(verify(hs)).rejects.toThrow();

    await expect(verify(await standIn.signToken(claims, { kid: 'unknown-kid' }))).rejects.toThrow(
      /no applicable key/i,
    );

    const foreign = await generateKeyPair('RS256');
    await expect(verify(await standIn.signToken(claims, { privateKey: foreign.privateKey }))).rejects.toThrow(
      /signature/i,
    );

    await expect(verify(await standIn.signToken(claims, { expiresIn: -60 }))).rejects.toThrow(/exp/);

    const [h, p, s] = (await standIn.signToken(claims)).split('.');
    const changed = Buffer.from(JSON.stringify({ ...claims, repository: 'evil/repo' })).toString('base64url');
    expect(p).not.toBe(changed);
    await expect(verify(`${h}.${changed}.${s}`)).rejects.toThrow(/signature/i);
  });

  it('keeps the old key in the JWKS across a rotation', async () => {
    const old = await standIn.signToken(standIn.claims({ aud: 'guard' }));
    await standIn.rotateKey();
    expect(standIn.keys()).toHaveLength(2);
    await expect(verify(old)).resolves.toBeDefined();
    await expect(verify(await standIn.signToken(standIn.claims({ aud: 'guard' })))).resolves.toBeDefined();
  });

  it('lets a job receive a hostile token through the real endpoint', async () => {
    const job = await standIn.registerJob({
      issueIdToken: (claims) => standIn.signToken(claims, { alg: 'none' }),
    });
    const res = await fetch(job.idTokenRequestUrl, {
      headers: { authorization: `Bearer ${job.idTokenRequestToken}` },
    });
    const { value } = (await res.json()) as { value: string };
    expect(decodeProtectedHeader(value).alg).toBe('none');
  });

  it('records every call', () => {
    expect(
      standIn.requests.some(
        (r) => r.method === 'GET' && r.path.includes('/idtoken?api-version=2.0') && r.status === 401,
      ),
    ).toBe(true);
  });
});
