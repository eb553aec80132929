// Which OIDC issuers the server trusts, and their signing keys. The issuer is chosen from the configured
// list by exact match on the token's `iss` before any network call, so a token cannot make the server
// fetch a URL of the attacker's choosing.
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { GuardError } from '../../lib/errors.js';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export interface IssuerKeys {
  issuer: string;
  keys: JWTVerifyGetKey;
}

interface DiscoveryDocument {
  issuer?: unknown;
  jwks_uri?: unknown;
}

export class TrustedIssuers {
  readonly #issuers: ReadonlySet<string>;
  readonly #resolved = new Map<string, Promise<IssuerKeys>>();

  /** `cooldownMs`: after fetching an issuer's JWKS, no new fetch for this long, however many unknown kids arrive. */
  constructor(
    issuers: readonly string[],
    private readonly cooldownMs = 30_000,
  ) {
    this.#issuers = new Set(issuers.map((issuer) => issuer.replace(/\/+$/, '')));
  }

  has(issuer: string): boolean {
    return this.#issuers.has(issuer);
  }

  list(): string[] {
    return [...this.#issuers];
  }

  /** Keys for a trusted issuer: discovery once, then jose's cached JWKS (re-fetched on unknown kid, with a cooldown). */
  keysFor(issuer: string): Promise<IssuerKeys> {
    if (!this.has(issuer)) {
      return Promise.reject(
        new GuardError('TOKEN_INVALID', `guard: the token's issuer is not trusted by this server`),
      );
    }
    let pending = this.#resolved.get(issuer);
    if (!pending) {
      pending = discover(issuer, this.cooldownMs);
      // A failed discovery is not cached: the next exchange tries again instead of failing until restart.
      pending.catch(() => this.#resolved.delete(issuer));
      this.#resolved.set(issuer, pending);
    }
    return pending;
  }
}

async function discover(issuer: string, cooldownMs: number): Promise<IssuerKeys> {
  const url = `${issuer}/.well-known/openid-configuration`;
  let document: DiscoveryDocument;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = (await response.json()) as DiscoveryDocument;
  } catch (error) {
    throw new GuardError(
      'SERVER_UNREACHABLE',
      `guard server: cannot load the OIDC discovery document of ${issuer}`,
      { cause: error },
    );
  }
  if (document.issuer !== issuer || typeof document.jwks_uri !== 'string') {
    throw new GuardError(
      'CONFIG_INVALID',
      `guard server: the discovery document of ${issuer} names another issuer or no jwks_uri`,
    );
  }
  const jwksUri = new URL(document.jwks_uri);
  return {
    issuer,
    keys: createRemoteJWKSet(jwksUri, {
      cooldownDuration: cooldownMs,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 10_000,
    }),
  };
}
