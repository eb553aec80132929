// The App's own endpoints (App JWT): which installation serves a repository or an account, and the
// exchange of the JWT for an installation access token (`ghs_`, one hour, limited to its repositories).
import { json, restError, restHeaders } from '../github/index.js';
import type { GitHubStandIn } from '../github/index.js';
import type { AppAuthenticator } from './app-auth.js';
import type { GitHubAppState, Installation } from './app-state.js';

export function addInstallationRoutes(
  github: GitHubStandIn,
  state: GitHubAppState,
  auth: AppAuthenticator,
  appSlug: string,
): void {
  const describe = (installation: Installation) => ({
    id: installation.id,
    account: { login: installation.account, type: installation.accountType },
    app_id: auth.appId,
    app_slug: appSlug,
    target_type: installation.accountType,
    repository_selection: 'selected',
    access_tokens_url: `${github.apiUrl}/app/installations/${installation.id}/access_tokens`,
    permissions: {
      checks: 'write',
      pull_requests: 'write',
      issues: 'write',
      members: 'read',
      metadata: 'read',
      actions: 'read',
      deployments: 'write',
    },
    events: ['issue_comment', 'check_run', 'pull_request_review', 'deployment_protection_rule'],
  });

  github.route('GET', '/app', async (request) => {
    const refused = await auth.requireAppJwt(request);
    if (refused) return refused;
    return json(200, { id: auth.appId, slug: appSlug, name: appSlug }, restHeaders());
  });

  github.route('GET', '/repos/:owner/:repo/installation', async (request) => {
    const refused = await auth.requireAppJwt(request);
    if (refused) return refused;
    const installation = state.installationFor(`${request.params.owner}/${request.params.repo}`);
    return installation ? json(200, describe(installation), restHeaders()) : restError(404, 'Not Found');
  });

  github.route('GET', '/orgs/:org/installation', async (request) => {
    const refused = await auth.requireAppJwt(request);
    if (refused) return refused;
    const installation = state.installationForAccount(request.params.org ?? '');
    return installation ? json(200, describe(installation), restHeaders()) : restError(404, 'Not Found');
  });

  github.route('POST', '/app/installations/:id/access_tokens', async (request) => {
    const refused = await auth.requireAppJwt(request);
    if (refused) return refused;
    const installation = state.installations.get(Number(request.params.id));
    if (!installation) return restError(404, 'Not Found');
    const token = github.createToken({ kind: 'installation', repositories: installation.repositories });
    const expiresAt = new Date(Date.now() + 3600_000);
    state.installationTokens.set(token, { installation: installation.id, expiresAt });
    return json(
      201,
      {
        token,
        expires_at: expiresAt.toISOString(),
        permissions: describe(installation).permissions,
        repository_selection: 'selected',
      },
      restHeaders(),
    );
  });
}
