// OIDC discovery + JWKS (token.actions.githubusercontent.com) and the runner's ID-token endpoint
// (what ACTIONS_ID_TOKEN_REQUEST_URL points at): bearer-authenticated GET returning `{ value: <jwt> }`.
import type { JobClaims } from '../../lib/claims.js';
import type { ClaimOverrides } from './claims.js';
import type { SigningKey } from './oidc.js';
import { discoveryDocument } from './oidc.js';
import { json } from './responses.js';
import type { Router } from './router.js';
import type { GitHubState } from './state.js';

export interface IdTokenDeps {
  state: GitHubState;
  issuer: string;
  keys: () => SigningKey[];
  /** Builds a job's claims for one token (fresh iat/exp/jti), with `aud` when the caller asked for one. */
  claimsFor: (overrides: ClaimOverrides) => JobClaims;
  sign: (claims: JobClaims) => Promise<string>;
}

export const ID_TOKEN_PATH = '/_apis/distributedtask/hubs/Actions/plans/:plan/jobs/:job/idtoken';

export function addIdTokenRoutes(router: Router, deps: IdTokenDeps): void {
  router.add('GET', '/.well-known/openid-configuration', () =>
    json(200, discoveryDocument(deps.issuer), { 'cache-control': 'public, max-age=3600' }),
  );
  router.add('GET', '/.well-known/jwks', () =>
    json(200, { keys: deps.keys().map((k) => k.publicJwk) }, { 'cache-control': 'public, max-age=3600' }),
  );
  router.add('GET', ID_TOKEN_PATH, async (request) => {
    const token = bearer(request.headers.authorization);
    const job = token === undefined ? undefined : deps.state.jobs.get(token);
    if (
      job === undefined ||
      !job.idTokenRequestUrl.includes(`/plans/${request.params['plan']}/jobs/${request.params['job']}/`)
    ) {
      // The pipelines service answers an unauthenticated call with a VSS-style 401 body.
      return json(401, {
        $id: '1',
        innerException: null,
        message: 'TF400813: The user is not authorized to access this resource.',
        typeName:
          'Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server',
        typeKey: 'UnauthorizedRequestException',
        errorCode: 0,
        eventId: 3000,
      });
    }
    const audience = request.query.get('audience');
    const claims = deps.claimsFor({ ...job.overrides, ...(audience === null ? {} : { aud: audience }) });
    job.idTokensIssued++;
    const value = job.issueIdToken === undefined ? await deps.sign(claims) : await job.issueIdToken(claims);
    return json(200, { value });
  });
}

export function bearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
