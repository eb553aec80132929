// Who may call a REST route for a repository, the way GitHub answers: an unknown token is 401 "Bad
// credentials"; a private repository the caller cannot see is 404 (GitHub does not confirm it exists).
import { restError } from './responses.js';
import type { RouteRequest, RouteResponse } from './router.js';
import type { GitHubState, TokenGrant } from './state.js';
import { bearer } from './id-token-routes.js';

export type RestCaller = { grant: TokenGrant | undefined };

export function authorizeRepository(
  state: GitHubState,
  request: RouteRequest,
  repository: string,
): RestCaller | RouteResponse {
  const token = bearer(request.headers.authorization);
  if (token === undefined) {
    return visibility(state, repository) === 'public' ? { grant: undefined } : restError(404, 'Not Found');
  }
  const grant = state.tokens.get(token);
  if (grant === undefined) return restError(401, 'Bad credentials');
  const allowed =
    grant.repositories === undefined ||
    grant.repositories.some((r) => r.toLowerCase() === repository.toLowerCase());
  if (!allowed && visibility(state, repository) !== 'public') return restError(404, 'Not Found');
  return { grant };
}

export function isResponse(value: RestCaller | RouteResponse): value is RouteResponse {
  return 'status' in value;
}

/** A repository's visibility as the jobs registered for it claim; unknown repositories count as private. */
function visibility(state: GitHubState, repository: string): string {
  for (const job of state.jobs.values()) {
    if (job.claims.repository.toLowerCase() === repository.toLowerCase())
      return job.claims.repository_visibility ?? 'private';
  }
  return 'private';
}
