// How GitHub authenticates a GitHub App: a JWT signed with the App's private key (RS256, `iss` = App id,
// at most 10 minutes long) for the /app endpoints, and installation access tokens for everything else.
import { importSPKI, jwtVerify, type CryptoKey } from 'jose';
import { restError } from '../github/index.js';
import type { RouteRequest, RouteResponse } from '../github/index.js';
import type { GitHubAppState, Installation } from './app-state.js';

export function bearerOf(request: RouteRequest): string | undefined {
  const header = request.headers.authorization;
  const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(typeof header === 'string' ? header : '');
  return match?.[1];
}

export class AppAuthenticator {
  #key: Promise<CryptoKey> | undefined;

  constructor(
    readonly appId: number,
    private readonly publicKeyPem: string,
    private readonly state: GitHubAppState,
  ) {}

  /** Undefined when the request carries a valid App JWT; otherwise GitHub's 401 answer. */
  async requireAppJwt(request: RouteRequest): Promise<RouteResponse | undefined> {
    const token = bearerOf(request);
    if (token === undefined || token.split('.').length !== 3)
      return restError(401, 'A JSON web token could not be decoded');
    this.#key ??= importSPKI(this.publicKeyPem, 'RS256');
    try {
      const { payload } = await jwtVerify(token, await this.#key, {
        algorithms: ['RS256'],
        clockTolerance: 60,
      });
      if (String(payload.iss) !== String(this.appId))
        return restError(401, "'Issuer' claim ('iss') must be an Integer");
      if (
        typeof payload.exp !== 'number' ||
        typeof payload.iat !== 'number' ||
        payload.exp - payload.iat > 600
      )
        return restError(
          401,
          "'Expiration time' claim ('exp') is too far in the future",
          'https://docs.github.com/apps/building-github-apps/authenticating-with-github-apps/',
        );
      return undefined;
    } catch {
      return restError(401, 'A JSON web token could not be decoded');
    }
  }

  /** The installation an installation token belongs to, or GitHub's 401. */
  requireInstallation(request: RouteRequest): Installation | RouteResponse {
    const token = bearerOf(request);
    const grant = token === undefined ? undefined : this.state.installationTokens.get(token);
    if (grant === undefined || grant.expiresAt.getTime() <= Date.now())
      return restError(401, 'Bad credentials');
    const installation = this.state.installations.get(grant.installation);
    return installation ?? restError(401, 'Bad credentials');
  }

  /** The installation, if it may reach `owner/repo`; GitHub answers 404 for a repository it cannot see. */
  requireRepository(request: RouteRequest, repository: string): Installation | RouteResponse {
    const installation = this.requireInstallation(request);
    if ('status' in installation) return installation;
    const reachable = installation.repositories.some((r) => r.toLowerCase() === repository.toLowerCase());
    return reachable ? installation : restError(404, 'Not Found');
  }
}

export function isInstallation(value: Installation | RouteResponse): value is Installation {
  return !('status' in value);
}
