// The OIDC issuer half of the stand-in: RS256 keys generated at start, GitHub's discovery document and
// JWKS shapes, and a signer that can also produce the hostile tokens a verifier must refuse.
import { createHmac } from 'node:crypto';
import { SignJWT, base64url, calculateJwkThumbprint, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import type { CryptoKey, JWK, JWTHeaderParameters } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
  /** SPKI PEM of the public key: what an HS256 key-confusion attack uses as the HMAC secret. */
  publicPem: string;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', {
    modulusLength: 2048,
    extractable: true,
  });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  // GitHub's JWKS entries carry kty, alg, use, kid, n, e (and x5t/x5c); x5t is optional and omitted here
  // because these keys have no certificate to take a thumbprint of.
  const publicJwk: JWK = { kty: jwk.kty, alg: 'RS256', use: 'sig', kid, n: jwk.n, e: jwk.e };
  return { kid, privateKey, publicKey, publicJwk, publicPem: await exportSPKI(publicKey) };
}

/** GitHub's `/.well-known/openid-configuration`, with this issuer's URLs. */
export function discoveryDocument(issuer: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks`,
    subject_types_supported: ['public', 'pairwise'],
    response_types_supported: ['id_token'],
    claims_supported: [
      'sub',
      'aud',
      'exp',
      'iat',
      'iss',
      'jti',
      'nbf',
      'ref',
      'sha',
      'repository',
      'repository_id',
      'repository_owner',
      'repository_owner_id',
      'enterprise',
      'enterprise_id',
      'run_id',
      'run_number',
      'run_attempt',
      'actor',
      'actor_id',
      'workflow',
      'workflow_ref',
      'workflow_sha',
      'head_ref',
      'base_ref',
      'event_name',
      'ref_type',
      'ref_protected',
      'environment',
      'environment_node_id',
      'job_workflow_ref',
      'job_workflow_sha',
      'repository_visibility',
      'runner_environment',
      'issuer_scope',
      'check_run_id',
    ],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid'],
  };
}

export interface SignOptions {
  /** Default RS256. `none` yields an unsigned token; `HS*` uses `secret`, else the public key PEM. */
  alg?: string;
  /** Header `kid`; default the signing key's. Pass an unknown one to test key lookup failures. */
  kid?: string;
  /** Sign with another key (e.g. one the JWKS does not publish). */
  privateKey?: CryptoKey;
  /** HMAC secret for HS* algorithms. */
  secret?: Uint8Array;
  /** Extra or replacement header parameters (typ, x5t, jku, crit...). */
  header?: Record<string, unknown>;
  /** Sets `exp` to now + this many seconds (negative for an expired token). Otherwise claims are signed as given. */
  expiresIn?: number;
  /** Clock for `expiresIn`, seconds since the epoch. */
  now?: number;
}

export async function signJwt(
  key: SigningKey,
  claims: Record<string, unknown>,
  options: SignOptions = {},
): Promise<string> {
  const alg = options.alg ?? 'RS256';
  const payload = { ...claims };
  if (options.expiresIn !== undefined) {
    payload['exp'] = (options.now ?? Math.floor(Date.now() / 1000)) + options.expiresIn;
  }
  const header: Record<string, unknown> = {
    alg,
    typ: 'JWT',
    ...(alg === 'none' ? {} : { kid: options.kid ?? key.kid }),
  };
  if (options.kid !== undefined) header['kid'] = options.kid;
  Object.assign(header, options.header ?? {});
  header['alg'] = alg;

  if (alg === 'none') return `${encodeSegment(header)}.${encodeSegment(payload)}.`;
  if (alg.startsWith('HS')) {
    // Done by hand: jose refuses to HMAC with an RSA public key, which is exactly the attack to test.
    const secret = options.secret ?? new TextEncoder().encode(key.publicPem);
    const input = `${encodeSegment(header)}.${encodeSegment(payload)}`;
    const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
    if (hash === undefined) throw new TypeError(`unsupported HMAC algorithm ${alg}`);
    const signature = createHmac(hash, secret).update(input).digest();
    return `${input}.${base64url.encode(signature)}`;
  }
  return new SignJWT(payload)
    .setProtectedHeader(header as unknown as JWTHeaderParameters)
    .sign(options.privateKey ?? key.privateKey);
}

function encodeSegment(value: unknown): string {
  return base64url.encode(JSON.stringify(value));
}
