// Issue and pull request comments (a pull request is an issue for comments): create, edit, list. Comments
// the App posts are authored by its bot user `<slug>[bot]`.
import { json, restError, restHeaders } from '../github/index.js';
import type { GitHubStandIn } from '../github/index.js';
import { isInstallation, type AppAuthenticator } from './app-auth.js';
import type { GitHubAppState, StoredComment } from './app-state.js';
import { isRouteResponse, jsonBody, validationFailed } from './request-body.js';

export function addCommentRoutes(
  github: GitHubStandIn,
  state: GitHubAppState,
  auth: AppAuthenticator,
  botLogin: string,
): void {
  const view = (comment: StoredComment) => ({
    id: comment.id,
    url: `${github.apiUrl}/repos/${comment.repository}/issues/comments/${comment.id}`,
    html_url: `${github.serverUrl}/${comment.repository}/pull/${comment.issue}#issuecomment-${comment.id}`,
    body: comment.body,
    user: { login: comment.user, type: comment.userType },
    created_at: comment.created_at,
    updated_at: comment.updated_at,
    performed_via_github_app: comment.appId === null ? null : { id: comment.appId },
  });

  github.route('POST', '/repos/:owner/:repo/issues/:number/comments', (request) => {
    const repository = `${request.params.owner}/${request.params.repo}`;
    const installation = auth.requireRepository(request, repository);
    if (!isInstallation(installation)) return installation;
    const body = jsonBody(request);
    if (isRouteResponse(body)) return body;
    if (typeof body.body !== 'string' || !body.body) return validationFailed('IssueComment', 'body');
    if (body.body.length > 65536) return validationFailed('IssueComment', 'body', 'too_long');
    const now = new Date().toISOString();
    const comment: StoredComment = {
      id: state.nextCommentId(),
      repository,
      issue: Number(request.params.number),
      body: body.body,
      user: botLogin,
      userType: 'Bot',
      appId: auth.appId,
      created_at: now,
      updated_at: now,
      history: [body.body],
    };
    state.comments.set(comment.id, comment);
    return json(201, view(comment), restHeaders());
  });

  github.route('PATCH', '/repos/:owner/:repo/issues/comments/:id', (request) => {
    const repository = `${request.params.owner}/${request.params.repo}`;
    const installation = auth.requireRepository(request, repository);
    if (!isInstallation(installation)) return installation;
    const comment = state.comments.get(Number(request.params.id));
    if (!comment || comment.repository.toLowerCase() !== repository.toLowerCase())
      return restError(404, 'Not Found');
    // An App may edit only what its bot wrote.
    if (comment.appId !== auth.appId) return restError(403, 'Resource not accessible by integration');
    const body = jsonBody(request);
    if (isRouteResponse(body)) return body;
    if (typeof body.body !== 'string' || !body.body) return validationFailed('IssueComment', 'body');
    comment.body = body.body;
    comment.updated_at = new Date().toISOString();
    comment.history.push(body.body);
    return json(200, view(comment), restHeaders());
  });

  github.route('GET', '/repos/:owner/:repo/issues/:number/comments', (request) => {
    const repository = `${request.params.owner}/${request.params.repo}`;
    const installation = auth.requireRepository(request, repository);
    if (!isInstallation(installation)) return installation;
    return json(200, state.commentsOn(repository, Number(request.params.number)).map(view), restHeaders());
  });
}
