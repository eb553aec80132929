// Check runs as the Checks API keeps them: only an App creates or updates them (and only its own), a
// completed run needs a conclusion, and actions (the buttons) obey GitHub's limits: at most 3, label 20,
// description 40 and identifier 20 characters.
import { json, restError, restHeaders } from '../github/index.js';
import type { GitHubStandIn, RouteResponse } from '../github/index.js';
import { isInstallation, type AppAuthenticator } from './app-auth.js';
import type { GitHubAppState, StoredCheckRun } from './app-state.js';
import { isRouteResponse, jsonBody, validationFailed } from './request-body.js';

const CONCLUSIONS = new Set([
  'action_required',
  'cancelled',
  'failure',
  'neutral',
  'success',
  'skipped',
  'stale',
  'timed_out',
]);

export function addCheckRunRoutes(
  github: GitHubStandIn,
  state: GitHubAppState,
  auth: AppAuthenticator,
): void {
  const view = (run: StoredCheckRun) => ({
    id: run.id,
    head_sha: run.head_sha,
    external_id: run.external_id,
    url: `${github.apiUrl}/repos/${run.repository}/check-runs/${run.id}`,
    html_url: `${github.serverUrl}/${run.repository}/runs/${run.id}`,
    details_url: run.details_url,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: {
      title: run.output.title ?? null,
      summary: run.output.summary ?? null,
      text: run.output.text ?? null,
    },
    name: run.name,
    app: { id: run.appId },
  });

  github.route('POST', '/repos/:owner/:repo/check-runs', (request) => {
    const repository = `${request.params.owner}/${request.params.repo}`;
    const installation = auth.requireRepository(request, repository);
    if (!isInstallation(installation)) return installation;
    const body = jsonBody(request);
    if (isRouteResponse(body)) return body;
    if (typeof body.name !== 'string' || !body.name) return validationFailed('CheckRun', 'name');
    if (typeof body.head_sha !== 'string' || !/^[0-9a-f]{40}$/.test(body.head_sha))
      return validationFailed('CheckRun', 'head_sha', 'invalid');
    const now = new Date().toISOString();
    const run: StoredCheckRun = {
      id: state.nextCheckRunId(),
      repository,
      appId: auth.appId,
      name: body.name,
      head_sha: body.head_sha,
      status: 'queued',
      conclusion: null,
      external_id: null,
      details_url: null,
      output: {},
      actions: [],
      started_at: now,
      completed_at: null,
      history: [],
    };
    const refused = apply(run, body);
    if (refused) return refused;
    state.checkRuns.set(run.id, run);
    return json(201, view(run), restHeaders());
  });

  github.route('PATCH', '/repos/:owner/:repo/check-runs/:id', (request) => {
    const repository = `${request.params.owner}/${request.params.repo}`;
    const installation = auth.requireRepository(request, repository);
    if (!isInstallation(installation)) return installation;
    const run = state.checkRuns.get(Number(request.params.id));
    if (!run || run.repository.toLowerCase() !== repository.toLowerCase()) return restError(404, 'Not Found');
    if (run.appId !== auth.appId)
      return restError(403, 'Invalid app_id `' + auth.appId + '` - check run belongs to another app');
    const body = jsonBody(request);
    if (isRouteResponse(body)) return body;
    const refused = apply(run, body);
    return refused ?? json(200, view(run), restHeaders());
  });

  github.route('GET', '/repos/:owner/:repo/check-runs/:id', (request) => {
    const repository = `${request.params.owner}/${request.params.repo}`;
    const installation = auth.requireRepository(request, repository);
    if (!isInstallation(installation)) return installation;
    const run = state.checkRuns.get(Number(request.params.id));
    if (!run || run.repository.toLowerCase() !== repository.toLowerCase()) return restError(404, 'Not Found');
    return json(200, view(run), restHeaders());
  });
}

/** Validates an update against GitHub's rules first, then applies all of it (never half). */
function apply(run: StoredCheckRun, body: Record<string, unknown>): RouteResponse | undefined {
  const status = typeof body.status === 'string' ? body.status : undefined;
  const conclusion = typeof body.conclusion === 'string' ? body.conclusion : undefined;
  if (status !== undefined && !['queued', 'in_progress', 'completed'].includes(status))
    return validationFailed('CheckRun', 'status', 'invalid');
  if (conclusion !== undefined && !CONCLUSIONS.has(conclusion))
    return validationFailed('CheckRun', 'conclusion', 'invalid');
  // GitHub: providing a conclusion sets the status to completed; "completed" without one is refused.
  const completing = status === 'completed' || conclusion !== undefined;
  if (completing && conclusion === undefined && run.conclusion === null)
    return validationFailed('CheckRun', 'conclusion');
  const actions = body.actions;
  if (actions !== undefined) {
    if (!Array.isArray(actions) || actions.length > 3)
      return validationFailed('CheckRun', 'actions', 'invalid');
    for (const action of actions as Record<string, unknown>[]) {
      const ok =
        typeof action.label === 'string' &&
        action.label.length > 0 &&
        action.label.length <= 20 &&
        typeof action.description === 'string' &&
        action.description.length <= 40 &&
        typeof action.identifier === 'string' &&
        action.identifier.length > 0 &&
        action.identifier.length <= 20;
      if (!ok) return validationFailed('CheckRun', 'actions', 'invalid');
    }
  }
  const output = body.output as Record<string, unknown> | undefined;
  if (output !== undefined) {
    if (typeof output !== 'object' || output === null)
      return validationFailed('CheckRun', 'output', 'invalid');
    if (typeof output.title !== 'string' || typeof output.summary !== 'string')
      return validationFailed('CheckRun', 'output', 'missing_field');
    if (output.summary.length > 65535 || (typeof output.text === 'string' && output.text.length > 65535))
      return validationFailed('CheckRun', 'output', 'too_long');
  }
  if (typeof body.name === 'string' && body.name) run.name = body.name;
  if (typeof body.external_id === 'string') run.external_id = body.external_id;
  if (typeof body.details_url === 'string') run.details_url = body.details_url;
  if (conclusion !== undefined) run.conclusion = conclusion;
  if (completing) {
    run.status = 'completed';
    run.completed_at = typeof body.completed_at === 'string' ? body.completed_at : new Date().toISOString();
  } else if (status !== undefined) run.status = status;
  if (output !== undefined)
    run.output = {
      title: output.title as string,
      summary: output.summary as string,
      ...(typeof output.text === 'string' ? { text: output.text } : {}),
    };
  if (actions !== undefined) run.actions = actions as StoredCheckRun['actions'];
  run.history.push(body);
  return undefined;
}
