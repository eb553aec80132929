// The artifact results service (v4 artifacts) as @actions/artifact v6 calls it: Twirp JSON POSTs to
// /twirp/github.actions.results.api.v1.ArtifactService/<Method>, Bearer ACTIONS_RUNTIME_TOKEN, proto
// field names in requests, int64 as strings. Backend ids in a request must be the token's own (its `scp`).
import { createHash } from 'node:crypto';
import { signBlobUrl } from './blob-storage.js';
import { bearer } from './id-token-routes.js';
import { json, twirpError } from './responses.js';
import type { RouteRequest, RouteResponse, Router } from './router.js';
import type { GitHubState, JobRegistration, StoredArtifact } from './state.js';

const SERVICE = 'github.actions.results.api.v1.ArtifactService';

type Body = Record<string, unknown>;
type Method = (job: JobRegistration, body: Body) => RouteResponse;

export function addArtifactServiceRoutes(router: Router, state: GitHubState, baseUrl: () => string): void {
  const methods: Record<string, Method> = {
    CreateArtifact: (job, body) => createArtifact(state, baseUrl(), job, body),
    FinalizeArtifact: (job, body) => finalizeArtifact(state, job, body),
    ListArtifacts: (job, body) => listArtifacts(state, job, body),
    GetSignedArtifactURL: (job, body) => signedUrl(state, baseUrl(), job, body),
    DeleteArtifact: (job, body) => deleteArtifact(state, job, body),
  };
  router.add('POST', `/twirp/${SERVICE}/:method`, (request) => {
    const method = methods[request.params['method'] ?? ''];
    if (method === undefined) return twirpError('bad_route', `no handler for path "${request.path}"`);
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return twirpError(
        'bad_route',
        `unexpected Content-Type: "${String(request.headers['content-type'] ?? '')}"`,
      );
    }
    const token = bearer(request.headers.authorization);
    const job = token === undefined ? undefined : state.runtimeTokens.get(token);
    if (job === undefined)
      return twirpError(
        'unauthenticated',
        'Authorization header is missing or the runtime token is not valid',
      );
    const body = parse(request);
    if (body === undefined) return twirpError('malformed', 'the request body could not be decoded as JSON');
    return method(job, body);
  });
}

function parse(request: RouteRequest): Body | undefined {
  try {
    const value: unknown = JSON.parse(request.body.toString('utf8') || '{}');
    return typeof value === 'object' && value !== null ? (value as Body) : undefined;
  } catch {
    return undefined;
  }
}

function text(body: Body, key: string): string {
  const value = body[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** A wrapper type (`google.protobuf.StringValue` / `Int64Value`) in proto JSON is the bare value. */
function wrapped(body: Body, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return text(value as Body, 'value');
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function checkScope(job: JobRegistration, body: Body, needJob: boolean): RouteResponse | undefined {
  if (text(body, 'workflow_run_backend_id') !== job.workflowRunBackendId) {
    return twirpError('permission_denied', 'workflow_run_backend_id does not match the runtime token');
  }
  if (needJob && text(body, 'workflow_job_run_backend_id') !== job.workflowJobRunBackendId) {
    return twirpError('permission_denied', 'workflow_job_run_backend_id does not match the runtime token');
  }
  return undefined;
}

function findArtifact(
  state: GitHubState,
  runBackendId: string,
  name: string,
  finalized: boolean,
): StoredArtifact | undefined {
  return state.artifacts.find(
    (a) => a.runBackendId === runBackendId && a.name === name && !a.deleted && a.finalized === finalized,
  );
}

function createArtifact(
  state: GitHubState,
  baseUrl: string,
  job: JobRegistration,
  body: Body,
): RouteResponse {
  const denied = checkScope(job, body, true);
  if (denied !== undefined) return denied;
  const name = text(body, 'name');
  if (name === '') return twirpError('invalid_argument', 'name is required');
  const version = Number(body['version'] ?? 0);
  if (version < 4)
    return twirpError(
      'invalid_argument',
      `artifact version ${version} is not supported by the results service`,
    );
  if (findArtifact(state, job.workflowRunBackendId, name, true) !== undefined) {
    return twirpError(
      'already_exists',
      `an artifact with this name already exists on the workflow run: ${name}`,
    );
  }
  const now = new Date();
  const expires =
    typeof body['expires_at'] === 'string'
      ? new Date(body['expires_at'])
      : new Date(now.getTime() + 90 * 86_400_000);
  const contentType = wrapped(body, 'mime_type') ?? 'application/zip';
  const fileName = contentType === 'application/zip' && !name.endsWith('.zip') ? `${name}.zip` : name;
  const blobPath = `${job.workflowRunBackendId}/${job.workflowJobRunBackendId}/${fileName}`;
  // A second Create before Finalize (a retried upload) replaces the pending one.
  const pending = findArtifact(state, job.workflowRunBackendId, name, false);
  if (pending !== undefined) pending.deleted = true;
  state.artifacts.push({
    id: state.nextArtifactId(),
    name,
    size: 0,
    digest: '',
    zip: Buffer.alloc(0),
    runBackendId: job.workflowRunBackendId,
    jobBackendId: job.workflowJobRunBackendId,
    repository: job.claims.repository,
    repositoryId: job.claims.repository_id,
    runId: job.claims.run_id,
    runAttempt: job.claims.run_attempt,
    headBranch: job.claims.ref.replace(/^refs\/heads\//, ''),
    headSha: job.claims.sha,
    visibility: job.claims.repository_visibility ?? 'private',
    blobPath,
    createdAt: now,
    updatedAt: now,
    expiresAt: expires,
    finalized: false,
    deleted: false,
    contentType,
  });
  const signedUploadUrl = signBlobUrl(state, baseUrl, blobPath, { permissions: 'cw', ttlSeconds: 6 * 3600 });
  return json(200, { ok: true, signed_upload_url: signedUploadUrl });
}

function finalizeArtifact(state: GitHubState, job: JobRegistration, body: Body): RouteResponse {
  const denied = checkScope(job, body, true);
  if (denied !== undefined) return denied;
  const name = text(body, 'name');
  const artifact = findArtifact(state, job.workflowRunBackendId, name, false);
  if (artifact === undefined || artifact.jobBackendId !== job.workflowJobRunBackendId) {
    return twirpError('not_found', `artifact ${name} was not created by this job or is already finalized`);
  }
  const blob = state.blobs.get(artifact.blobPath)?.committed;
  if (blob === undefined)
    return twirpError('failed_precondition', `no blob was committed for artifact ${name}`);
  const size = Number(text(body, 'size'));
  if (size !== blob.length)
    return twirpError('invalid_argument', `size ${size} does not match the uploaded ${blob.length} bytes`);
  const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
  const claimed = wrapped(body, 'hash');
  if (claimed !== undefined && claimed !== digest)
    return twirpError('invalid_argument', `hash ${claimed} does not match the uploaded content (${digest})`);
  Object.assign(artifact, { finalized: true, size: blob.length, zip: blob, digest, updatedAt: new Date() });
  return json(200, { ok: true, artifact_id: String(artifact.id) });
}

function listArtifacts(state: GitHubState, job: JobRegistration, body: Body): RouteResponse {
  const denied = checkScope(job, body, false);
  if (denied !== undefined) return denied;
  const nameFilter = wrapped(body, 'name_filter');
  const idFilter = wrapped(body, 'id_filter');
  const artifacts = state.artifacts
    .filter((a) => a.runBackendId === job.workflowRunBackendId && a.finalized && !a.deleted)
    .filter((a) => nameFilter === undefined || a.name === nameFilter)
    .filter((a) => idFilter === undefined || String(a.id) === idFilter)
    .map((a) => ({
      workflow_run_backend_id: a.runBackendId,
      workflow_job_run_backend_id: a.jobBackendId,
      database_id: String(a.id),
      name: a.name,
      size: String(a.size),
      created_at: a.createdAt.toISOString(),
      digest: a.digest,
    }));
  return json(200, { artifacts });
}

function signedUrl(state: GitHubState, baseUrl: string, job: JobRegistration, body: Body): RouteResponse {
  const denied = checkScope(job, body, false);
  if (denied !== undefined) return denied;
  const artifact = findArtifact(state, text(body, 'workflow_run_backend_id'), text(body, 'name'), true);
  if (artifact === undefined) return twirpError('not_found', `artifact ${text(body, 'name')} not found`);
  return json(200, { signed_url: downloadUrl(state, baseUrl, artifact) });
}

function deleteArtifact(state: GitHubState, job: JobRegistration, body: Body): RouteResponse {
  const denied = checkScope(job, body, false);
  if (denied !== undefined) return denied;
  const artifact = findArtifact(state, job.workflowRunBackendId, text(body, 'name'), true);
  if (artifact === undefined) return twirpError('not_found', `artifact ${text(body, 'name')} not found`);
  artifact.deleted = true;
  return json(200, { ok: true, artifact_id: String(artifact.id) });
}

/** A short-lived read URL, with the content type and file name the download client uses. */
export function downloadUrl(
  state: GitHubState,
  baseUrl: string,
  artifact: StoredArtifact,
  ttlSeconds = 600,
): string {
  const fileName = artifact.blobPath.split('/').pop() ?? `${artifact.name}.zip`;
  return signBlobUrl(state, baseUrl, artifact.blobPath, {
    permissions: 'r',
    ttlSeconds,
    contentType: artifact.contentType,
    contentDisposition: `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  });
}
