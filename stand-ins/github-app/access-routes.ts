// Who someone is to an organization and a repository: team membership (needs the App's members:read on
// the organization) and a collaborator's permission, both answered the way the REST API does.
import { json, restError, restHeaders } from '../github/index.js';
import type { GitHubStandIn } from '../github/index.js';
import { isInstallation, type AppAuthenticator } from './app-auth.js';
import type { GitHubAppState, RepositoryRole } from './app-state.js';

/** The legacy `permission` field folds maintain into write and triage into read; `role_name` keeps them. */
const LEGACY: Record<RepositoryRole | 'none', string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
  none: 'none',
};

export function addAccessRoutes(github: GitHubStandIn, state: GitHubAppState, auth: AppAuthenticator): void {
  github.route('GET', '/orgs/:org/teams/:team/memberships/:username', (request) => {
    const installation = auth.requireInstallation(request);
    if (!isInstallation(installation)) return installation;
    const org = request.params.org ?? '';
    if (installation.account.toLowerCase() !== org.toLowerCase())
      return restError(403, 'Resource not accessible by integration');
    const members = state.teams.get(`${org}/${request.params.team ?? ''}`.toLowerCase());
    const login = (request.params.username ?? '').toLowerCase();
    if (!members?.has(login)) return restError(404, 'Not Found');
    return json(
      200,
      {
        url: `${github.apiUrl}/teams/1/memberships/${login}`,
        role: 'member',
        state: 'active',
      },
      restHeaders(),
    );
  });

  github.route('GET', '/repos/:owner/:repo/collaborators/:username/permission', (request) => {
    const repository = `${request.params.owner}/${request.params.repo}`;
    const installation = auth.requireRepository(request, repository);
    if (!isInstallation(installation)) return installation;
    const login = request.params.username ?? '';
    const role = state.permissions.get(repository.toLowerCase())?.get(login.toLowerCase()) ?? 'none';
    return json(
      200,
      { permission: LEGACY[role], role_name: role, user: { login, type: 'User' } },
      restHeaders(),
    );
  });
}
