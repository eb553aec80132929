// REST routes for workflow artifacts, shaped like GitHub's "Artifacts" REST docs: list for a run or a
// repository (paginated, `name` filter), get, delete, and the zip download that answers 302 to a short-lived
// signed blob URL.
import { downloadUrl } from './artifact-service.js';
import { json, restError, restHeaders } from './responses.js';
import { authorizeRepository, isResponse } from './rest-auth.js';
import type { RouteRequest, RouteResponse, Router } from './router.js';
import type { GitHubState, StoredArtifact } from './state.js';

export function addRestArtifactRoutes(router: Router, state: GitHubState, apiUrl: () => string): void {
  const visible = (request: RouteRequest): StoredArtifact[] | RouteResponse => {
    const repository = `${request.params['owner']}/${request.params['repo']}`;
    const caller = authorizeRepository(state, request, repository);
    if (isResponse(caller)) return caller;
    return state.artifacts.filter(
      (a) => a.finalized && !a.deleted && a.repository.toLowerCase() === repository.toLowerCase(),
    );
  };
  const one = (request: RouteRequest): StoredArtifact | RouteResponse => {
    const artifacts = visible(request);
    if (!Array.isArray(artifacts)) return artifacts;
    const artifact = artifacts.find((a) => String(a.id) === request.params['artifact_id']);
    return (
      artifact ??
      restError(404, 'Not Found', 'https://docs.github.com/rest/actions/artifacts#get-an-artifact')
    );
  };

  router.add('GET', '/repos/:owner/:repo/actions/runs/:run_id/artifacts', (request) => {
    const artifacts = visible(request);
    if (!Array.isArray(artifacts)) return artifacts;
    return page(
      request,
      apiUrl(),
      artifacts.filter((a) => a.runId === request.params['run_id']),
    );
  });
  router.add('GET', '/repos/:owner/:repo/actions/artifacts', (request) => {
    const artifacts = visible(request);
    if (!Array.isArray(artifacts)) return artifacts;
    return page(request, apiUrl(), artifacts);
  });
  router.add('GET', '/repos/:owner/:repo/actions/artifacts/:artifact_id', (request) => {
    const artifact = one(request);
    return 'status' in artifact ? artifact : json(200, artifactJson(apiUrl(), artifact), restHeaders());
  });
  router.add('DELETE', '/repos/:owner/:repo/actions/artifacts/:artifact_id', (request) => {
    const artifact = one(request);
    if ('status' in artifact) return artifact;
    artifact.deleted = true;
    return { status: 204, headers: restHeaders() };
  });
  router.add('GET', '/repos/:owner/:repo/actions/artifacts/:artifact_id/:archive_format', (request) => {
    if (request.params['archive_format'] !== 'zip') return restError(404, 'Not Found');
    const artifact = one(request);
    if ('status' in artifact) return artifact;
    if (artifact.expiresAt.getTime() < Date.now()) return restError(410, 'Artifact has expired');
    // GitHub's redirect URL is valid for one minute.
    return {
      status: 302,
      headers: { ...restHeaders(), location: downloadUrl(state, apiUrl(), artifact, 60) },
      body: '',
    };
  });
}

function page(request: RouteRequest, apiUrl: string, all: StoredArtifact[]): RouteResponse {
  const name = request.query.get('name');
  const matching = all.filter((a) => name === null || a.name === name).sort((a, b) => b.id - a.id);
  const perPage = Math.min(Math.max(Number(request.query.get('per_page') ?? 30) || 30, 1), 100);
  const pageNumber = Math.max(Number(request.query.get('page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(matching.length / perPage), 1);
  const items = matching.slice((pageNumber - 1) * perPage, pageNumber * perPage);
  const headers = restHeaders();
  const link = (n: number, rel: string): string => {
    const query = new URLSearchParams(request.query);
    query.set('per_page', String(perPage));
    query.set('page', String(n));
    return `<${apiUrl}${request.path}?${query.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (pageNumber > 1) links.push(link(pageNumber - 1, 'prev'), link(1, 'first'));
  if (pageNumber < last) links.push(link(pageNumber + 1, 'next'), link(last, 'last'));
  if (links.length > 0) headers['link'] = links.join(', ');
  return json(
    200,
    { total_count: matching.length, artifacts: items.map((a) => artifactJson(apiUrl, a)) },
    headers,
  );
}

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function artifactJson(apiUrl: string, a: StoredArtifact): Record<string, unknown> {
  const url = `${apiUrl}/repos/${a.repository}/actions/artifacts/${a.id}`;
  return {
    id: a.id,
    node_id: Buffer.from(`010:Artifact${a.id}`).toString('base64'),
    name: a.name,
    size_in_bytes: a.size,
    url,
    archive_download_url: `${url}/zip`,
    expired: a.expiresAt.getTime() < Date.now(),
    created_at: iso(a.createdAt),
    updated_at: iso(a.updatedAt),
    expires_at: iso(a.expiresAt),
    digest: a.digest,
    workflow_run: {
      id: Number(a.runId),
      repository_id: Number(a.repositoryId),
      head_repository_id: Number(a.repositoryId),
      head_branch: a.headBranch,
      head_sha: a.headSha,
    },
  };
}
