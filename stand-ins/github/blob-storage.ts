// Azure Blob storage as @azure/storage-blob's BlockBlobClient uses it for artifacts: SAS-signed URLs,
// Put Block (`?comp=block&blockid=`), Put Block List (`?comp=blocklist`, XML), single-shot Put Blob, and
// GET/HEAD downloads. Path-style URLs (`/<account>/<container>/<blob>`), as the SDK expects for an IP host.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AZURE_VERSION, azureError } from './responses.js';
import type { RouteRequest, RouteResponse, Router } from './router.js';
import type { GitHubState, SasGrant } from './state.js';

export const BLOB_ACCOUNT = 'productionresultssa0';
export const BLOB_CONTAINER = 'actions-results';

/** A SAS URL for `blobPath` like the results service hands out (permissions `cw` upload, `r` download). */
export function signBlobUrl(
  state: GitHubState,
  baseUrl: string,
  blobPath: string,
  grant: Omit<SasGrant, 'blobPath' | 'expiresAt'> & { ttlSeconds: number },
): string {
  const sig = randomBytes(32).toString('base64');
  const expiresAt = new Date(Date.now() + grant.ttlSeconds * 1000);
  state.sas.set(sig, {
    blobPath,
    permissions: grant.permissions,
    expiresAt,
    ...(grant.contentDisposition === undefined ? {} : { contentDisposition: grant.contentDisposition }),
    ...(grant.contentType === undefined ? {} : { contentType: grant.contentType }),
  });
  const query = new URLSearchParams({
    sv: AZURE_VERSION,
    spr: 'https',
    se: expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    sr: 'b',
    sp: grant.permissions,
  });
  if (grant.contentDisposition !== undefined) query.set('rscd', grant.contentDisposition);
  if (grant.contentType !== undefined) query.set('rsct', grant.contentType);
  query.set('sig', sig);
  const path = blobPath.split('/').map(encodeURIComponent).join('/');
  return `${baseUrl}/${BLOB_ACCOUNT}/${BLOB_CONTAINER}/${path}?${query.toString()}`;
}

export function addBlobRoutes(router: Router, state: GitHubState): void {
  const pattern = `/${BLOB_ACCOUNT}/:container/*blob`;
  router.add('PUT', pattern, (request) =>
    withSas(state, request, 'w', (blobPath) => put(state, request, blobPath)),
  );
  router.add('GET', pattern, (request) =>
    withSas(state, request, 'r', (blobPath, grant) => get(state, request, blobPath, grant)),
  );
}

function withSas(
  state: GitHubState,
  request: RouteRequest,
  permission: 'r' | 'w',
  handle: (blobPath: string, grant: SasGrant) => RouteResponse,
): RouteResponse {
  const sig = request.query.get('sig');
  const grant = sig === null ? undefined : state.sas.get(sig);
  const blobPath = request.params['blob'] ?? '';
  if (request.params['container'] !== BLOB_CONTAINER || grant === undefined || grant.blobPath !== blobPath) {
    return azureError(
      403,
      'AuthenticationFailed',
      'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.',
    );
  }
  if (grant.expiresAt.getTime() < Date.now()) {
    return azureError(403, 'AuthenticationFailed', 'Signed expiry time has to be after signed start time.');
  }
  if (!grant.permissions.includes(permission) && !(permission === 'w' && grant.permissions.includes('c'))) {
    return azureError(
      403,
      'AuthorizationPermissionMismatch',
      'This request is not authorized to perform this operation using this permission.',
    );
  }
  return handle(blobPath, grant);
}

function put(state: GitHubState, request: RouteRequest, blobPath: string): RouteResponse {
  const comp = request.query.get('comp');
  const blob = state.blobs.get(blobPath) ?? { blocks: new Map<string, Buffer>() };
  state.blobs.set(blobPath, blob);
  if (comp === 'block') {
    const blockId = request.query.get('blockid');
    if (blockId === null || blockId === '')
      return azureError(
        400,
        'InvalidQueryParameterValue',
        'Value for one of the query parameters specified in the request URI is invalid.',
      );
    blob.blocks.set(blockId, request.body);
    return created({
      'x-ms-content-crc64': crc64Placeholder(request.body),
      'x-ms-request-server-encrypted': 'true',
    });
  }
  if (comp === 'blocklist') {
    const ids = parseBlockList(request.body.toString('utf8'));
    const parts: Buffer[] = [];
    for (const id of ids) {
      const block = blob.blocks.get(id);
      if (block === undefined)
        return azureError(400, 'InvalidBlockList', 'The specified block list is invalid.');
      parts.push(block);
    }
    commit(blob, Buffer.concat(parts), header(request, 'x-ms-blob-content-type'));
    blob.blocks.clear();
    return created({
      etag: blob.etag ?? '',
      'last-modified': (blob.lastModified ?? new Date()).toUTCString(),
      'x-ms-request-server-encrypted': 'true',
    });
  }
  if (comp === null) {
    if (header(request, 'x-ms-blob-type') !== 'BlockBlob') {
      return azureError(
        400,
        'MissingRequiredHeader',
        "An HTTP header that's mandatory for this request is not specified. (x-ms-blob-type)",
      );
    }
    commit(blob, request.body, header(request, 'x-ms-blob-content-type') ?? header(request, 'content-type'));
    return created({
      etag: blob.etag ?? '',
      'last-modified': (blob.lastModified ?? new Date()).toUTCString(),
      'x-ms-request-server-encrypted': 'true',
    });
  }
  return azureError(400, 'UnsupportedQueryParameter', `The stand-in does not emulate comp=${comp}.`);
}

function get(state: GitHubState, request: RouteRequest, blobPath: string, grant: SasGrant): RouteResponse {
  const blob = state.blobs.get(blobPath);
  if (blob?.committed === undefined)
    return azureError(404, 'BlobNotFound', 'The specified blob does not exist.');
  const headers: Record<string, string> = {
    'content-type': grant.contentType ?? blob.contentType ?? 'application/octet-stream',
    etag: blob.etag ?? '',
    'last-modified': (blob.lastModified ?? new Date()).toUTCString(),
    'accept-ranges': 'bytes',
    'x-ms-blob-type': 'BlockBlob',
    'x-ms-request-id': randomUUID(),
    'x-ms-version': AZURE_VERSION,
  };
  if (grant.contentDisposition !== undefined) headers['content-disposition'] = grant.contentDisposition;
  const range = /^bytes=(\d+)-(\d*)$/.exec(header(request, 'range') ?? header(request, 'x-ms-range') ?? '');
  if (range !== null) {
    const start = Number(range[1]);
    const end =
      range[2] === '' || range[2] === undefined
        ? blob.committed.length - 1
        : Math.min(Number(range[2]), blob.committed.length - 1);
    headers['content-range'] = `bytes ${start}-${end}/${blob.committed.length}`;
    return { status: 206, headers, body: blob.committed.subarray(start, end + 1) };
  }
  return { status: 200, headers, body: blob.committed };
}

function commit(
  blob: { committed?: Buffer; contentType?: string; etag?: string; lastModified?: Date },
  data: Buffer,
  contentType: string | undefined,
): void {
  blob.committed = data;
  if (contentType !== undefined) blob.contentType = contentType;
  blob.etag = `"0x${createHash('sha1').update(data).digest('hex').slice(0, 15).toUpperCase()}"`;
  blob.lastModified = new Date();
}

/** Block ids from `<BlockList><Latest>..</Latest><Uncommitted>..</Uncommitted></BlockList>`, in order. */
export function parseBlockList(xml: string): string[] {
  const ids: string[] = [];
  for (const match of xml.matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g))
    ids.push(match[2] ?? '');
  return ids;
}

function created(extra: Record<string, string>): RouteResponse {
  return {
    status: 201,
    headers: {
      'x-ms-request-id': randomUUID(),
      'x-ms-version': AZURE_VERSION,
      date: new Date().toUTCString(),
      ...extra,
    },
    body: '',
  };
}

function header(request: RouteRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Azure returns a CRC64 of the block; the SDK does not check it unless asked, so a digest stands in. */
function crc64Placeholder(data: Buffer): string {
  return createHash('sha256').update(data).digest().subarray(0, 8).toString('base64');
}
