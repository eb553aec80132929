// The callback of a custom deployment protection rule: the App approves or rejects the deployment of a
// run's environment. GitHub answers 204; the stand-in remembers each review for tests.
import { restError } from '../github/index.js';
import type { GitHubStandIn } from '../github/index.js';
import { isInstallation, type AppAuthenticator } from './app-auth.js';
import type { GitHubAppState } from './app-state.js';
import { isRouteResponse, jsonBody, validationFailed } from './request-body.js';

export function addDeploymentRoutes(
  github: GitHubStandIn,
  state: GitHubAppState,
  auth: AppAuthenticator,
): void {
  github.route('POST', '/repos/:owner/:repo/actions/runs/:run/deployment_protection_rule', (request) => {
    const repository = `${request.params.owner}/${request.params.repo}`;
    const installation = auth.requireRepository(request, repository);
    if (!isInstallation(installation)) return installation;
    const body = jsonBody(request);
    if (isRouteResponse(body)) return body;
    if (typeof body.environment_name !== 'string' || !body.environment_name)
      return validationFailed('DeploymentProtectionRule', 'environment_name');
    if (body.state !== 'approved' && body.state !== 'rejected')
      return validationFailed('DeploymentProtectionRule', 'state', 'invalid');
    const runId = request.params.run ?? '';
    if (!/^\d+$/.test(runId)) return restError(404, 'Not Found');
    state.deploymentReviews.push({
      repository,
      runId,
      environment_name: body.environment_name,
      state: body.state,
      comment: typeof body.comment === 'string' ? body.comment : '',
      installation: installation.id,
      at: new Date().toISOString(),
    });
    return { status: 204 };
  });
}
