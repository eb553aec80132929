import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  addReviewer,
  startServer
} from "./chunk-OKIRXRDC.js";
import "./chunk-ILLGFAFE.js";
import "./chunk-UGHC5I7I.js";
import {
  SignJWT,
  base64url_exports,
  calculateJwkThumbprint,
  exportJWK,
  exportSPKI,
  generateKeyPair
} from "./chunk-7VDHGFYH.js";
import {
  formatVerification,
  loadTrustedKeys,
  verifyBundle
} from "./chunk-5OTVPEAJ.js";
import "./chunk-SGP4MHZA.js";
import {
  KEYS_WELL_KNOWN_PATH
} from "./chunk-74IGE3EL.js";
import "./chunk-VAKW74VB.js";
import {
  loadPolicyDir,
  require_dist
} from "./chunk-IZR5YBT4.js";
import "./chunk-E43K4DWN.js";
import "./chunk-QV6IKAJV.js";
import "./chunk-RKGZ6QM4.js";
import "./chunk-JSM7MKT6.js";
import "./chunk-QYAVXIQQ.js";
import "./chunk-KIAGOMB5.js";
import "./chunk-A5XFMG5Z.js";
import "./chunk-LROATGUR.js";
import "./chunk-UASNS3YF.js";
import "./chunk-P6WCDXRM.js";
import "./chunk-USEWQYAI.js";
import "./chunk-RLLPX6DD.js";
import "./chunk-DOSGDTZ2.js";
import "./chunk-RUVNZ2BJ.js";
import "./chunk-V4X7F4OT.js";
import "./chunk-CJTZJTWV.js";
import {
  GuardServerClient
} from "./chunk-RZN5DC6H.js";
import "./chunk-PPEQLLQ3.js";
import "./chunk-TF3SHLX6.js";
import {
  describeError
} from "./chunk-I2IPMUGB.js";
import {
  __toESM
} from "./chunk-VTIIOCZ3.js";

// demo/run-demo.ts
import { access as access2, chmod, cp, mkdir as mkdir2, mkdtemp as mkdtemp2, rm as rm2, writeFile as writeFile2 } from "node:fs/promises";
import { tmpdir as tmpdir2 } from "node:os";
import { dirname, join as join4, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// stand-ins/github/index.ts
import { randomUUID as randomUUID4 } from "node:crypto";

// stand-ins/github/artifact-service.ts
import { createHash as createHash2 } from "node:crypto";

// stand-ins/github/blob-storage.ts
import { createHash, randomBytes, randomUUID as randomUUID2 } from "node:crypto";

// stand-ins/github/responses.ts
import { randomUUID } from "node:crypto";
function json(status, body, headers = {}) {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(body)
  };
}
function restError(status, message, documentationUrl = "https://docs.github.com/rest") {
  return json(
    status,
    { message, documentation_url: documentationUrl, status: String(status) },
    restHeaders()
  );
}
function restHeaders() {
  return {
    "x-github-request-id": randomUUID().replace(/-/g, "").slice(0, 20).toUpperCase(),
    "x-github-api-version-selected": "2022-11-28",
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4999",
    "x-ratelimit-used": "1",
    "x-ratelimit-resource": "core",
    "x-ratelimit-reset": String(Math.floor(Date.now() / 1e3) + 3600)
  };
}
var TWIRP_STATUS = {
  invalid_argument: 400,
  malformed: 400,
  bad_route: 404,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  already_exists: 409,
  failed_precondition: 412,
  internal: 500
};
function twirpError(code, msg) {
  return json(TWIRP_STATUS[code], { code, msg });
}
function azureError(status, code, message) {
  const requestId = randomUUID();
  const body = `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}
RequestId:${requestId}
Time:${(/* @__PURE__ */ new Date()).toISOString()}</Message></Error>`;
  return {
    status,
    headers: {
      "content-type": "application/xml",
      "x-ms-error-code": code,
      "x-ms-request-id": requestId,
      "x-ms-version": AZURE_VERSION
    },
    body
  };
}
var AZURE_VERSION = "2026-04-06";

// stand-ins/github/blob-storage.ts
var BLOB_ACCOUNT = "productionresultssa0";
var BLOB_CONTAINER = "actions-results";
function signBlobUrl(state, baseUrl, blobPath, grant) {
  const sig = randomBytes(32).toString("base64");
  const expiresAt = new Date(Date.now() + grant.ttlSeconds * 1e3);
  state.sas.set(sig, {
    blobPath,
    permissions: grant.permissions,
    expiresAt,
    ...grant.contentDisposition === void 0 ? {} : { contentDisposition: grant.contentDisposition },
    ...grant.contentType === void 0 ? {} : { contentType: grant.contentType }
  });
  const query = new URLSearchParams({
    sv: AZURE_VERSION,
    spr: "https",
    se: expiresAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
    sr: "b",
    sp: grant.permissions
  });
  if (grant.contentDisposition !== void 0) query.set("rscd", grant.contentDisposition);
  if (grant.contentType !== void 0) query.set("rsct", grant.contentType);
  query.set("sig", sig);
  const path = blobPath.split("/").map(encodeURIComponent).join("/");
  return `${baseUrl}/${BLOB_ACCOUNT}/${BLOB_CONTAINER}/${path}?${query.toString()}`;
}
function addBlobRoutes(router, state) {
  const pattern = `/${BLOB_ACCOUNT}/:container/*blob`;
  router.add(
    "PUT",
    pattern,
    (request) => withSas(state, request, "w", (blobPath) => put(state, request, blobPath))
  );
  router.add(
    "GET",
    pattern,
    (request) => withSas(state, request, "r", (blobPath, grant) => get(state, request, blobPath, grant))
  );
}
function withSas(state, request, permission, handle2) {
  const sig = request.query.get("sig");
  const grant = sig === null ? void 0 : state.sas.get(sig);
  const blobPath = request.params["blob"] ?? "";
  if (request.params["container"] !== BLOB_CONTAINER || grant === void 0 || grant.blobPath !== blobPath) {
    return azureError(
      403,
      "AuthenticationFailed",
      "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature."
    );
  }
  if (grant.expiresAt.getTime() < Date.now()) {
    return azureError(403, "AuthenticationFailed", "Signed expiry time has to be after signed start time.");
  }
  if (!grant.permissions.includes(permission) && !(permission === "w" && grant.permissions.includes("c"))) {
    return azureError(
      403,
      "AuthorizationPermissionMismatch",
      "This request is not authorized to perform this operation using this permission."
    );
  }
  return handle2(blobPath, grant);
}
function put(state, request, blobPath) {
  const comp = request.query.get("comp");
  const blob = state.blobs.get(blobPath) ?? { blocks: /* @__PURE__ */ new Map() };
  state.blobs.set(blobPath, blob);
  if (comp === "block") {
    const blockId = request.query.get("blockid");
    if (blockId === null || blockId === "")
      return azureError(
        400,
        "InvalidQueryParameterValue",
        "Value for one of the query parameters specified in the request URI is invalid."
      );
    blob.blocks.set(blockId, request.body);
    return created({
      "x-ms-content-crc64": crc64Placeholder(request.body),
      "x-ms-request-server-encrypted": "true"
    });
  }
  if (comp === "blocklist") {
    const ids = parseBlockList(request.body.toString("utf8"));
    const parts = [];
    for (const id of ids) {
      const block = blob.blocks.get(id);
      if (block === void 0)
        return azureError(400, "InvalidBlockList", "The specified block list is invalid.");
      parts.push(block);
    }
    commit(blob, Buffer.concat(parts), header(request, "x-ms-blob-content-type"));
    blob.blocks.clear();
    return created({
      etag: blob.etag ?? "",
      "last-modified": (blob.lastModified ?? /* @__PURE__ */ new Date()).toUTCString(),
      "x-ms-request-server-encrypted": "true"
    });
  }
  if (comp === null) {
    if (header(request, "x-ms-blob-type") !== "BlockBlob") {
      return azureError(
        400,
        "MissingRequiredHeader",
        "An HTTP header that's mandatory for this request is not specified. (x-ms-blob-type)"
      );
    }
    commit(blob, request.body, header(request, "x-ms-blob-content-type") ?? header(request, "content-type"));
    return created({
      etag: blob.etag ?? "",
      "last-modified": (blob.lastModified ?? /* @__PURE__ */ new Date()).toUTCString(),
      "x-ms-request-server-encrypted": "true"
    });
  }
  return azureError(400, "UnsupportedQueryParameter", `The stand-in does not emulate comp=${comp}.`);
}
function get(state, request, blobPath, grant) {
  const blob = state.blobs.get(blobPath);
  if (blob?.committed === void 0)
    return azureError(404, "BlobNotFound", "The specified blob does not exist.");
  const headers = {
    "content-type": grant.contentType ?? blob.contentType ?? "application/octet-stream",
    etag: blob.etag ?? "",
    "last-modified": (blob.lastModified ?? /* @__PURE__ */ new Date()).toUTCString(),
    "accept-ranges": "bytes",
    "x-ms-blob-type": "BlockBlob",
    "x-ms-request-id": randomUUID2(),
    "x-ms-version": AZURE_VERSION
  };
  if (grant.contentDisposition !== void 0) headers["content-disposition"] = grant.contentDisposition;
  const range = /^bytes=(\d+)-(\d*)$/.exec(header(request, "range") ?? header(request, "x-ms-range") ?? "");
  if (range !== null) {
    const start = Number(range[1]);
    const end = range[2] === "" || range[2] === void 0 ? blob.committed.length - 1 : Math.min(Number(range[2]), blob.committed.length - 1);
    headers["content-range"] = `bytes ${start}-${end}/${blob.committed.length}`;
    return { status: 206, headers, body: blob.committed.subarray(start, end + 1) };
  }
  return { status: 200, headers, body: blob.committed };
}
function commit(blob, data, contentType) {
  blob.committed = data;
  if (contentType !== void 0) blob.contentType = contentType;
  blob.etag = `"0x${createHash("sha1").update(data).digest("hex").slice(0, 15).toUpperCase()}"`;
  blob.lastModified = /* @__PURE__ */ new Date();
}
function parseBlockList(xml) {
  const ids = [];
  for (const match of xml.matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g))
    ids.push(match[2] ?? "");
  return ids;
}
function created(extra) {
  return {
    status: 201,
    headers: {
      "x-ms-request-id": randomUUID2(),
      "x-ms-version": AZURE_VERSION,
      date: (/* @__PURE__ */ new Date()).toUTCString(),
      ...extra
    },
    body: ""
  };
}
function header(request, name) {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
function crc64Placeholder(data) {
  return createHash("sha256").update(data).digest().subarray(0, 8).toString("base64");
}

// stand-ins/github/oidc.ts
import { createHmac } from "node:crypto";
async function createSigningKey() {
  const { privateKey, publicKey } = await generateKeyPair("RS256", {
    modulusLength: 2048,
    extractable: true
  });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const publicJwk = { kty: jwk.kty, alg: "RS256", use: "sig", kid, n: jwk.n, e: jwk.e };
  return { kid, privateKey, publicKey, publicJwk, publicPem: await exportSPKI(publicKey) };
}
function discoveryDocument(issuer) {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks`,
    subject_types_supported: ["public", "pairwise"],
    response_types_supported: ["id_token"],
    claims_supported: [
      "sub",
      "aud",
      "exp",
      "iat",
      "iss",
      "jti",
      "nbf",
      "ref",
      "sha",
      "repository",
      "repository_id",
      "repository_owner",
      "repository_owner_id",
      "enterprise",
      "enterprise_id",
      "run_id",
      "run_number",
      "run_attempt",
      "actor",
      "actor_id",
      "workflow",
      "workflow_ref",
      "workflow_sha",
      "head_ref",
      "base_ref",
      "event_name",
      "ref_type",
      "ref_protected",
      "environment",
      "environment_node_id",
      "job_workflow_ref",
      "job_workflow_sha",
      "repository_visibility",
      "runner_environment",
      "issuer_scope",
      "check_run_id"
    ],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: ["openid"]
  };
}
async function signJwt(key, claims, options = {}) {
  const alg = options.alg ?? "RS256";
  const payload = { ...claims };
  if (options.expiresIn !== void 0) {
    payload["exp"] = (options.now ?? Math.floor(Date.now() / 1e3)) + options.expiresIn;
  }
  const header2 = {
    alg,
    typ: "JWT",
    ...alg === "none" ? {} : { kid: options.kid ?? key.kid }
  };
  if (options.kid !== void 0) header2["kid"] = options.kid;
  Object.assign(header2, options.header ?? {});
  header2["alg"] = alg;
  if (alg === "none") return `${encodeSegment(header2)}.${encodeSegment(payload)}.`;
  if (alg.startsWith("HS")) {
    const secret = options.secret ?? new TextEncoder().encode(key.publicPem);
    const input = `${encodeSegment(header2)}.${encodeSegment(payload)}`;
    const hash = { HS256: "sha256", HS384: "sha384", HS512: "sha512" }[alg];
    if (hash === void 0) throw new TypeError(`unsupported HMAC algorithm ${alg}`);
    const signature = createHmac(hash, secret).update(input).digest();
    return `${input}.${base64url_exports.encode(signature)}`;
  }
  return new SignJWT(payload).setProtectedHeader(header2).sign(options.privateKey ?? key.privateKey);
}
function encodeSegment(value) {
  return base64url_exports.encode(JSON.stringify(value));
}

// stand-ins/github/id-token-routes.ts
var ID_TOKEN_PATH = "/_apis/distributedtask/hubs/Actions/plans/:plan/jobs/:job/idtoken";
function addIdTokenRoutes(router, deps) {
  router.add(
    "GET",
    "/.well-known/openid-configuration",
    () => json(200, discoveryDocument(deps.issuer), { "cache-control": "public, max-age=3600" })
  );
  router.add(
    "GET",
    "/.well-known/jwks",
    () => json(200, { keys: deps.keys().map((k) => k.publicJwk) }, { "cache-control": "public, max-age=3600" })
  );
  router.add("GET", ID_TOKEN_PATH, async (request) => {
    const token = bearer(request.headers.authorization);
    const job = token === void 0 ? void 0 : deps.state.jobs.get(token);
    if (job === void 0 || !job.idTokenRequestUrl.includes(`/plans/${request.params["plan"]}/jobs/${request.params["job"]}/`)) {
      return json(401, {
        $id: "1",
        innerException: null,
        message: "TF400813: The user is not authorized to access this resource.",
        typeName: "Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server",
        typeKey: "UnauthorizedRequestException",
        errorCode: 0,
        eventId: 3e3
      });
    }
    const audience = request.query.get("audience");
    const claims = deps.claimsFor({ ...job.overrides, ...audience === null ? {} : { aud: audience } });
    job.idTokensIssued++;
    const value = job.issueIdToken === void 0 ? await deps.sign(claims) : await job.issueIdToken(claims);
    return json(200, { value });
  });
}
function bearer(header2) {
  if (header2 === void 0) return void 0;
  const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(header2);
  return match?.[1];
}

// stand-ins/github/artifact-service.ts
var SERVICE = "github.actions.results.api.v1.ArtifactService";
function addArtifactServiceRoutes(router, state, baseUrl) {
  const methods = {
    CreateArtifact: (job, body) => createArtifact(state, baseUrl(), job, body),
    FinalizeArtifact: (job, body) => finalizeArtifact(state, job, body),
    ListArtifacts: (job, body) => listArtifacts(state, job, body),
    GetSignedArtifactURL: (job, body) => signedUrl(state, baseUrl(), job, body),
    DeleteArtifact: (job, body) => deleteArtifact(state, job, body)
  };
  router.add("POST", `/twirp/${SERVICE}/:method`, (request) => {
    const method = methods[request.params["method"] ?? ""];
    if (method === void 0) return twirpError("bad_route", `no handler for path "${request.path}"`);
    if (!String(request.headers["content-type"] ?? "").startsWith("application/json")) {
      return twirpError(
        "bad_route",
        `unexpected Content-Type: "${String(request.headers["content-type"] ?? "")}"`
      );
    }
    const token = bearer(request.headers.authorization);
    const job = token === void 0 ? void 0 : state.runtimeTokens.get(token);
    if (job === void 0)
      return twirpError(
        "unauthenticated",
        "Authorization header is missing or the runtime token is not valid"
      );
    const body = parse(request);
    if (body === void 0) return twirpError("malformed", "the request body could not be decoded as JSON");
    return method(job, body);
  });
}
function parse(request) {
  try {
    const value = JSON.parse(request.body.toString("utf8") || "{}");
    return typeof value === "object" && value !== null ? value : void 0;
  } catch {
    return void 0;
  }
}
function text(body, key) {
  const value = body[key];
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}
function wrapped(body, key) {
  const value = body[key];
  if (value === void 0 || value === null) return void 0;
  if (typeof value === "object") return text(value, "value");
  return typeof value === "string" || typeof value === "number" ? String(value) : void 0;
}
function checkScope(job, body, needJob) {
  if (text(body, "workflow_run_backend_id") !== job.workflowRunBackendId) {
    return twirpError("permission_denied", "workflow_run_backend_id does not match the runtime token");
  }
  if (needJob && text(body, "workflow_job_run_backend_id") !== job.workflowJobRunBackendId) {
    return twirpError("permission_denied", "workflow_job_run_backend_id does not match the runtime token");
  }
  return void 0;
}
function findArtifact(state, runBackendId, name, finalized) {
  return state.artifacts.find(
    (a) => a.runBackendId === runBackendId && a.name === name && !a.deleted && a.finalized === finalized
  );
}
function createArtifact(state, baseUrl, job, body) {
  const denied = checkScope(job, body, true);
  if (denied !== void 0) return denied;
  const name = text(body, "name");
  if (name === "") return twirpError("invalid_argument", "name is required");
  const version = Number(body["version"] ?? 0);
  if (version < 4)
    return twirpError(
      "invalid_argument",
      `artifact version ${version} is not supported by the results service`
    );
  if (findArtifact(state, job.workflowRunBackendId, name, true) !== void 0) {
    return twirpError(
      "already_exists",
      `an artifact with this name already exists on the workflow run: ${name}`
    );
  }
  const now = /* @__PURE__ */ new Date();
  const expires = typeof body["expires_at"] === "string" ? new Date(body["expires_at"]) : new Date(now.getTime() + 90 * 864e5);
  const contentType = wrapped(body, "mime_type") ?? "application/zip";
  const fileName = contentType === "application/zip" && !name.endsWith(".zip") ? `${name}.zip` : name;
  const blobPath = `${job.workflowRunBackendId}/${job.workflowJobRunBackendId}/${fileName}`;
  const pending = findArtifact(state, job.workflowRunBackendId, name, false);
  if (pending !== void 0) pending.deleted = true;
  state.artifacts.push({
    id: state.nextArtifactId(),
    name,
    size: 0,
    digest: "",
    zip: Buffer.alloc(0),
    runBackendId: job.workflowRunBackendId,
    jobBackendId: job.workflowJobRunBackendId,
    repository: job.claims.repository,
    repositoryId: job.claims.repository_id,
    runId: job.claims.run_id,
    runAttempt: job.claims.run_attempt,
    headBranch: job.claims.ref.replace(/^refs\/heads\//, ""),
    headSha: job.claims.sha,
    visibility: job.claims.repository_visibility ?? "private",
    blobPath,
    createdAt: now,
    updatedAt: now,
    expiresAt: expires,
    finalized: false,
    deleted: false,
    contentType
  });
  const signedUploadUrl = signBlobUrl(state, baseUrl, blobPath, { permissions: "cw", ttlSeconds: 6 * 3600 });
  return json(200, { ok: true, signed_upload_url: signedUploadUrl });
}
function finalizeArtifact(state, job, body) {
  const denied = checkScope(job, body, true);
  if (denied !== void 0) return denied;
  const name = text(body, "name");
  const artifact = findArtifact(state, job.workflowRunBackendId, name, false);
  if (artifact === void 0 || artifact.jobBackendId !== job.workflowJobRunBackendId) {
    return twirpError("not_found", `artifact ${name} was not created by this job or is already finalized`);
  }
  const blob = state.blobs.get(artifact.blobPath)?.committed;
  if (blob === void 0)
    return twirpError("failed_precondition", `no blob was committed for artifact ${name}`);
  const size = Number(text(body, "size"));
  if (size !== blob.length)
    return twirpError("invalid_argument", `size ${size} does not match the uploaded ${blob.length} bytes`);
  const digest = `sha256:${createHash2("sha256").update(blob).digest("hex")}`;
  const claimed = wrapped(body, "hash");
  if (claimed !== void 0 && claimed !== digest)
    return twirpError("invalid_argument", `hash ${claimed} does not match the uploaded content (${digest})`);
  Object.assign(artifact, { finalized: true, size: blob.length, zip: blob, digest, updatedAt: /* @__PURE__ */ new Date() });
  return json(200, { ok: true, artifact_id: String(artifact.id) });
}
function listArtifacts(state, job, body) {
  const denied = checkScope(job, body, false);
  if (denied !== void 0) return denied;
  const nameFilter = wrapped(body, "name_filter");
  const idFilter = wrapped(body, "id_filter");
  const artifacts = state.artifacts.filter((a) => a.runBackendId === job.workflowRunBackendId && a.finalized && !a.deleted).filter((a) => nameFilter === void 0 || a.name === nameFilter).filter((a) => idFilter === void 0 || String(a.id) === idFilter).map((a) => ({
    workflow_run_backend_id: a.runBackendId,
    workflow_job_run_backend_id: a.jobBackendId,
    database_id: String(a.id),
    name: a.name,
    size: String(a.size),
    created_at: a.createdAt.toISOString(),
    digest: a.digest
  }));
  return json(200, { artifacts });
}
function signedUrl(state, baseUrl, job, body) {
  const denied = checkScope(job, body, false);
  if (denied !== void 0) return denied;
  const artifact = findArtifact(state, text(body, "workflow_run_backend_id"), text(body, "name"), true);
  if (artifact === void 0) return twirpError("not_found", `artifact ${text(body, "name")} not found`);
  return json(200, { signed_url: downloadUrl(state, baseUrl, artifact) });
}
function deleteArtifact(state, job, body) {
  const denied = checkScope(job, body, false);
  if (denied !== void 0) return denied;
  const artifact = findArtifact(state, job.workflowRunBackendId, text(body, "name"), true);
  if (artifact === void 0) return twirpError("not_found", `artifact ${text(body, "name")} not found`);
  artifact.deleted = true;
  return json(200, { ok: true, artifact_id: String(artifact.id) });
}
function downloadUrl(state, baseUrl, artifact, ttlSeconds = 600) {
  const fileName = artifact.blobPath.split("/").pop() ?? `${artifact.name}.zip`;
  return signBlobUrl(state, baseUrl, artifact.blobPath, {
    permissions: "r",
    ttlSeconds,
    contentType: artifact.contentType,
    contentDisposition: `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
  });
}

// stand-ins/github/rest-auth.ts
function authorizeRepository(state, request, repository2) {
  const token = bearer(request.headers.authorization);
  if (token === void 0) {
    return visibility(state, repository2) === "public" ? { grant: void 0 } : restError(404, "Not Found");
  }
  const grant = state.tokens.get(token);
  if (grant === void 0) return restError(401, "Bad credentials");
  const allowed = grant.repositories === void 0 || grant.repositories.some((r) => r.toLowerCase() === repository2.toLowerCase());
  if (!allowed && visibility(state, repository2) !== "public") return restError(404, "Not Found");
  return { grant };
}
function isResponse(value) {
  return "status" in value;
}
function visibility(state, repository2) {
  for (const job of state.jobs.values()) {
    if (job.claims.repository.toLowerCase() === repository2.toLowerCase())
      return job.claims.repository_visibility ?? "private";
  }
  return "private";
}

// stand-ins/github/rest-artifacts.ts
function addRestArtifactRoutes(router, state, apiUrl) {
  const visible = (request) => {
    const repository2 = `${request.params["owner"]}/${request.params["repo"]}`;
    const caller = authorizeRepository(state, request, repository2);
    if (isResponse(caller)) return caller;
    return state.artifacts.filter(
      (a) => a.finalized && !a.deleted && a.repository.toLowerCase() === repository2.toLowerCase()
    );
  };
  const one = (request) => {
    const artifacts = visible(request);
    if (!Array.isArray(artifacts)) return artifacts;
    const artifact = artifacts.find((a) => String(a.id) === request.params["artifact_id"]);
    return artifact ?? restError(404, "Not Found", "https://docs.github.com/rest/actions/artifacts#get-an-artifact");
  };
  router.add("GET", "/repos/:owner/:repo/actions/runs/:run_id/artifacts", (request) => {
    const artifacts = visible(request);
    if (!Array.isArray(artifacts)) return artifacts;
    return page(
      request,
      apiUrl(),
      artifacts.filter((a) => a.runId === request.params["run_id"])
    );
  });
  router.add("GET", "/repos/:owner/:repo/actions/artifacts", (request) => {
    const artifacts = visible(request);
    if (!Array.isArray(artifacts)) return artifacts;
    return page(request, apiUrl(), artifacts);
  });
  router.add("GET", "/repos/:owner/:repo/actions/artifacts/:artifact_id", (request) => {
    const artifact = one(request);
    return "status" in artifact ? artifact : json(200, artifactJson(apiUrl(), artifact), restHeaders());
  });
  router.add("DELETE", "/repos/:owner/:repo/actions/artifacts/:artifact_id", (request) => {
    const artifact = one(request);
    if ("status" in artifact) return artifact;
    artifact.deleted = true;
    return { status: 204, headers: restHeaders() };
  });
  router.add("GET", "/repos/:owner/:repo/actions/artifacts/:artifact_id/:archive_format", (request) => {
    if (request.params["archive_format"] !== "zip") return restError(404, "Not Found");
    const artifact = one(request);
    if ("status" in artifact) return artifact;
    if (artifact.expiresAt.getTime() < Date.now()) return restError(410, "Artifact has expired");
    return {
      status: 302,
      headers: { ...restHeaders(), location: downloadUrl(state, apiUrl(), artifact, 60) },
      body: ""
    };
  });
}
function page(request, apiUrl, all) {
  const name = request.query.get("name");
  const matching = all.filter((a) => name === null || a.name === name).sort((a, b) => b.id - a.id);
  const perPage = Math.min(Math.max(Number(request.query.get("per_page") ?? 30) || 30, 1), 100);
  const pageNumber = Math.max(Number(request.query.get("page") ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(matching.length / perPage), 1);
  const items = matching.slice((pageNumber - 1) * perPage, pageNumber * perPage);
  const headers = restHeaders();
  const link = (n, rel) => {
    const query = new URLSearchParams(request.query);
    query.set("per_page", String(perPage));
    query.set("page", String(n));
    return `<${apiUrl}${request.path}?${query.toString()}>; rel="${rel}"`;
  };
  const links = [];
  if (pageNumber > 1) links.push(link(pageNumber - 1, "prev"), link(1, "first"));
  if (pageNumber < last) links.push(link(pageNumber + 1, "next"), link(last, "last"));
  if (links.length > 0) headers["link"] = links.join(", ");
  return json(
    200,
    { total_count: matching.length, artifacts: items.map((a) => artifactJson(apiUrl, a)) },
    headers
  );
}
function iso(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
function artifactJson(apiUrl, a) {
  const url = `${apiUrl}/repos/${a.repository}/actions/artifacts/${a.id}`;
  return {
    id: a.id,
    node_id: Buffer.from(`010:Artifact${a.id}`).toString("base64"),
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
      head_sha: a.headSha
    }
  };
}

// stand-ins/github/claims.ts
var DEFAULT_CLAIMS = {
  repository: "octo-org/octo-repo",
  repository_id: "892345671",
  repository_owner: "octo-org",
  repository_owner_id: "65432198",
  repository_visibility: "private",
  run_id: "10984327651",
  run_number: "42",
  run_attempt: "1",
  ref: "refs/heads/main",
  ref_type: "branch",
  ref_protected: "true",
  sha: "d6fde92930d4715a2b49857d24b940956b26d2d3",
  actor: "octocat",
  actor_id: "583231",
  triggering_actor: "octocat",
  workflow: "Deploy",
  event_name: "push",
  environment: "prod",
  head_ref: "",
  base_ref: "",
  runner_environment: "github-hosted"
};
var DEFAULT_WORKFLOW_PATH = ".github/workflows/deploy.yml";
function buildClaims(issuer, base, overrides, timing, jti) {
  const explicit = new Set(Object.keys(overrides).filter((k) => overrides[k] !== void 0));
  const merged = { ...DEFAULT_CLAIMS, ...base, ...overrides };
  const baseExplicit = new Set(Object.keys(base).filter((k) => base[k] !== void 0));
  const isSet = (k) => explicit.has(k) || baseExplicit.has(k);
  const repository2 = String(merged["repository"]);
  if (!isSet("repository_owner")) merged["repository_owner"] = repository2.split("/")[0] ?? repository2;
  const owner2 = String(merged["repository_owner"]);
  const ref = String(merged["ref"]);
  const sha = String(merged["sha"]);
  const workflowRef = `${repository2}/${DEFAULT_WORKFLOW_PATH}@${ref}`;
  if (!isSet("workflow_ref")) merged["workflow_ref"] = workflowRef;
  if (!isSet("job_workflow_ref")) merged["job_workflow_ref"] = merged["workflow_ref"];
  if (!isSet("workflow_sha")) merged["workflow_sha"] = sha;
  if (!isSet("job_workflow_sha")) merged["job_workflow_sha"] = merged["workflow_sha"];
  if (!isSet("ref_type")) merged["ref_type"] = ref.startsWith("refs/tags/") ? "tag" : "branch";
  if (!isSet("triggering_actor")) merged["triggering_actor"] = merged["actor"];
  if (!isSet("sub")) merged["sub"] = subjectFor(merged);
  if (!isSet("aud")) merged["aud"] = `https://github.com/${owner2}`;
  if (!isSet("jti")) merged["jti"] = jti;
  if (!isSet("iss")) merged["iss"] = issuer;
  if (!isSet("iat")) merged["iat"] = timing.now;
  const iat = Number(merged["iat"]);
  if (!isSet("nbf")) merged["nbf"] = iat - timing.notBeforeSkewSeconds;
  if (!isSet("exp")) merged["exp"] = iat + timing.lifetimeSeconds;
  for (const [k, v] of Object.entries(base))
    if (v === void 0 && overrides[k] === void 0) delete merged[k];
  for (const [k, v] of Object.entries(overrides)) if (v === void 0) delete merged[k];
  return merged;
}
function subjectFor(claims) {
  const repo = `repo:${String(claims["repository"])}`;
  const environment = claims["environment"];
  if (typeof environment === "string" && environment !== "") return `${repo}:environment:${environment}`;
  const event = claims["event_name"];
  if (event === "pull_request" || event === "pull_request_target") return `${repo}:pull_request`;
  return `${repo}:ref:${String(claims["ref"])}`;
}

// stand-ins/github/http-server.ts
import { createServer } from "node:http";
async function startHttpServer(router, requests) {
  const sockets = /* @__PURE__ */ new Set();
  const server = createServer((req, res) => {
    handle(router, requests, req, res).catch((error) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: `stand-in failure: ${String(error)}` }));
      } else {
        res.destroy();
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((resolve2, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve2());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("stand-in server has no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve2) => {
      server.close(() => resolve2());
      for (const socket of sockets) socket.destroy();
    })
  };
}
async function handle(router, requests, req, res) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const method = (req.method ?? "GET").toUpperCase();
  const rawPath = req.url ?? "/";
  const url = new URL(rawPath, "http://stand-in");
  const record2 = {
    method,
    path: rawPath,
    headers: req.headers,
    body: describeBody(req.headers, body)
  };
  requests.push(record2);
  const match = router.match(method, url.pathname);
  const response = match.kind === "found" ? await match.handler({
    method,
    path: url.pathname,
    url,
    params: match.params,
    query: url.searchParams,
    headers: req.headers,
    body
  }) : match.kind === "method-not-allowed" ? {
    ...restError(404, "Not Found"),
    headers: { "content-type": "application/json; charset=utf-8", allow: match.allowed.join(", ") }
  } : restError(404, "Not Found");
  record2.status = response.status;
  const payload = response.body === void 0 ? void 0 : typeof response.body === "string" || Buffer.isBuffer(response.body) ? response.body : JSON.stringify(response.body);
  const headers = { ...response.headers ?? {} };
  if (payload !== void 0 && !hasHeader(headers, "content-length"))
    headers["content-length"] = Buffer.byteLength(payload);
  if (payload !== void 0 && typeof response.body === "object" && !Buffer.isBuffer(response.body) && !hasHeader(headers, "content-type")) {
    headers["content-type"] = "application/json; charset=utf-8";
  }
  res.writeHead(response.status, headers);
  res.end(method === "HEAD" ? void 0 : payload);
}
function hasHeader(headers, name) {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}
function describeBody(headers, body) {
  if (body.length === 0) return "";
  const type = String(headers["content-type"] ?? "");
  if (/json|xml|text|x-www-form-urlencoded/i.test(type)) return body.toString("utf8");
  return `<${body.length} bytes>`;
}

// stand-ins/github/router.ts
var Router = class {
  #routes = [];
  /**
   * Adds a route. `pattern` segments: literal, `:name` (one segment) or `*name` (the rest of the path,
   * last only). Later routes win over earlier ones with the same shape, so a test can override a default.
   */
  add(method, pattern, handler) {
    if (!pattern.startsWith("/")) throw new TypeError(`route pattern must start with '/': ${pattern}`);
    const segments = pattern.split("/").slice(1);
    const rest = segments.findIndex((s) => s.startsWith("*"));
    if (rest !== -1 && rest !== segments.length - 1) {
      throw new TypeError(`'*' may only be the last segment of a route pattern: ${pattern}`);
    }
    this.#routes.unshift({ method: method.toUpperCase(), segments, handler });
  }
  match(method, path) {
    const parts = path.split("/").slice(1);
    const allowed = /* @__PURE__ */ new Set();
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (params === void 0) continue;
      if (route.method === method.toUpperCase() || method.toUpperCase() === "HEAD" && route.method === "GET") {
        return { kind: "found", handler: route.handler, params };
      }
      allowed.add(route.method);
    }
    return allowed.size > 0 ? { kind: "method-not-allowed", allowed: [...allowed] } : { kind: "not-found" };
  }
};
function matchSegments(pattern, parts) {
  const params = {};
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i] ?? "";
    if (segment.startsWith("*")) {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join("") === "") return void 0;
      params[segment.slice(1)] = rest.map(decode).join("/");
      return params;
    }
    const part = parts[i];
    if (part === void 0) return void 0;
    if (segment.startsWith(":")) {
      if (part === "") return void 0;
      params[segment.slice(1)] = decode(part);
    } else if (segment !== part) {
      return void 0;
    }
  }
  return parts.length === pattern.length ? params : void 0;
}
function decode(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// stand-ins/github/state.ts
import { randomBytes as randomBytes2, randomUUID as randomUUID3 } from "node:crypto";
var GitHubState = class {
  jobs = /* @__PURE__ */ new Map();
  // by idTokenRequestToken
  runtimeTokens = /* @__PURE__ */ new Map();
  tokens = /* @__PURE__ */ new Map();
  blobs = /* @__PURE__ */ new Map();
  sas = /* @__PURE__ */ new Map();
  // by sig
  artifacts = [];
  #runBackendIds = /* @__PURE__ */ new Map();
  #nextArtifactId = 1843000001;
  runBackendIdFor(claims) {
    const key = `${claims.repository_id}/${claims.run_id}/${claims.run_attempt}`;
    let id = this.#runBackendIds.get(key);
    if (id === void 0) {
      id = randomUUID3();
      this.#runBackendIds.set(key, id);
    }
    return id;
  }
  nextArtifactId() {
    return this.#nextArtifactId++;
  }
};
function newGitHubToken(prefix = "ghs_") {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = randomBytes2(36);
  let out = prefix;
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

// stand-ins/github/index.ts
async function startGitHubStandIn(options = {}) {
  const router = new Router();
  const requests = [];
  const state = new GitHubState();
  let keys = [await createSigningKey()];
  const now = options.now ?? (() => Math.floor(Date.now() / 1e3));
  const defaults = options.claims ?? {};
  const timing = () => ({
    now: now(),
    lifetimeSeconds: options.tokenLifetimeSeconds ?? 300,
    notBeforeSkewSeconds: options.notBeforeSkewSeconds ?? 300
  });
  const server = await startHttpServer(router, requests);
  const issuer = server.url;
  const currentKey = () => {
    const key = keys[0];
    if (key === void 0) throw new Error("stand-in has no signing key");
    return key;
  };
  const claims = (overrides = {}) => buildClaims(issuer, defaults, overrides, timing(), randomUUID4());
  const signToken = (payload, signOptions = {}) => signJwt(currentKey(), payload, { now: now(), ...signOptions });
  addIdTokenRoutes(router, { state, issuer, keys: () => keys, claimsFor: claims, sign: (c) => signToken(c) });
  addArtifactServiceRoutes(router, state, () => server.url);
  addBlobRoutes(router, state);
  addRestArtifactRoutes(router, state, () => server.url);
  const standIn = {
    url: server.url,
    issuer,
    apiUrl: server.url,
    resultsUrl: `${server.url}/`,
    serverUrl: options.serverUrl ?? "https://github.com",
    requests,
    state,
    keys: () => [...keys],
    claims,
    signToken,
    async rotateKey(rotateOptions = {}) {
      const key = await createSigningKey();
      keys = rotateOptions.dropOld === true ? [key] : [key, ...keys];
      return key;
    },
    async registerJob(jobOptions = {}) {
      const overrides = jobOptions.claims ?? {};
      const jobClaims = claims(overrides);
      for (const k of ["jti", "iat", "nbf", "exp"]) delete jobClaims[k];
      const runBackendId = state.runBackendIdFor(jobClaims);
      const jobBackendId = randomUUID4();
      const planId = randomUUID4();
      const issued = now();
      const runtimeToken = await signJwt(currentKey(), {
        nameid: "dddddddd-dddd-dddd-dddd-dddddddddddd",
        scp: `Actions.ExampleScope Actions.Results:${runBackendId}:${jobBackendId}`,
        IdentityTypeClaim: "System:ServiceIdentity",
        ac: JSON.stringify([{ Scope: jobClaims.ref, Permission: 3 }]),
        orchid: `${planId}.${jobBackendId}`,
        iss: "vstoken.actions.githubusercontent.com",
        aud: `vso:${planId}`,
        nbf: issued - 60,
        exp: issued + 6 * 3600
      });
      const githubToken = newGitHubToken();
      state.tokens.set(githubToken, { kind: "github-token", repositories: [jobClaims.repository] });
      const job = {
        claims: jobClaims,
        overrides,
        idTokenRequestUrl: `${server.url}/_apis/distributedtask/hubs/Actions/plans/${planId}/jobs/${jobBackendId}/idtoken?api-version=2.0`,
        idTokenRequestToken: runtimeToken,
        runtimeToken,
        resultsUrl: `${server.url}/`,
        githubToken,
        workflowRunBackendId: runBackendId,
        workflowJobRunBackendId: jobBackendId,
        idTokensIssued: 0,
        ...jobOptions.issueIdToken === void 0 ? {} : { issueIdToken: jobOptions.issueIdToken }
      };
      state.jobs.set(runtimeToken, job);
      state.runtimeTokens.set(runtimeToken, job);
      return job;
    },
    createToken(grant = {}) {
      const kind = grant.kind ?? "personal";
      const token = newGitHubToken(kind === "personal" ? "ghp_" : "ghs_");
      state.tokens.set(token, {
        kind,
        ...grant.repositories === void 0 ? {} : { repositories: grant.repositories }
      });
      return token;
    },
    artifacts: () => state.artifacts.filter((a) => a.finalized && !a.deleted).map((a) => ({
      id: a.id,
      name: a.name,
      size: a.size,
      digest: a.digest,
      zip: a.zip,
      runBackendId: a.runBackendId,
      jobBackendId: a.jobBackendId,
      repository: a.repository,
      runId: a.runId,
      runAttempt: a.runAttempt,
      createdAt: a.createdAt,
      expiresAt: a.expiresAt
    })),
    route: (method, pattern, handler) => router.add(method, pattern, handler),
    close: () => server.close()
  };
  return standIn;
}

// stand-ins/runner/index.ts
import { randomUUID as randomUUID5 } from "node:crypto";
import { mkdir, mkdtemp, readFile as readFile2, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join3 } from "node:path";

// stand-ins/runner/action-metadata.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFile } from "node:fs/promises";
import { join } from "node:path";

// stand-ins/runner/expressions.ts
function evaluateTemplate(template, contexts) {
  return template.replace(
    /\$\{\{(.*?)\}\}/g,
    (_, expression) => toText(evaluate(expression.trim(), contexts))
  );
}
function evaluateCondition(condition, contexts) {
  const expression = condition.trim().replace(/^\$\{\{(.*)\}\}$/s, "$1").trim();
  return Boolean(evaluate(expression, contexts));
}
function evaluate(expression, contexts) {
  if (expression.startsWith("!")) return !evaluate(expression.slice(1).trim(), contexts);
  switch (expression) {
    case "always()":
      return true;
    case "success()":
      return contexts.job.status === "success";
    case "failure()":
      return contexts.job.status === "failure";
    case "cancelled()":
      return contexts.job.status === "cancelled";
  }
  if (/^'.*'$/s.test(expression)) return expression.slice(1, -1).replace(/''/g, "'");
  const match = /^(github|runner|env)\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(expression);
  if (match === null) {
    throw new TypeError(
      `the runner stand-in cannot evaluate the expression '${expression}'; use a context read such as github.token`
    );
  }
  const [, context = "", key = ""] = match;
  const source = contexts[context];
  return source[key] ?? "";
}
function toText(value) {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value ?? "");
}

// stand-ins/runner/action-metadata.ts
var NODE_RUNTIMES = /* @__PURE__ */ new Set(["node12", "node16", "node20", "node24"]);
async function loadActionMetadata(actionDir) {
  let text2;
  try {
    text2 = await readFile(join(actionDir, "action.yml"), "utf8");
  } catch {
    text2 = await readFile(join(actionDir, "action.yaml"), "utf8");
  }
  const doc = (0, import_yaml.parse)(text2);
  const runs = doc?.runs;
  if (runs === void 0 || typeof runs.main !== "string" || !NODE_RUNTIMES.has(runs.using)) {
    throw new TypeError(
      `${actionDir}/action.yml: the runner stand-in runs node actions only (runs.using node20/node24 with runs.main)`
    );
  }
  const inputs = {};
  for (const [name, spec] of Object.entries(doc?.inputs ?? {})) {
    const input = { ...spec ?? {} };
    if (input.default !== void 0 && input.default !== null) input.default = String(input.default);
    inputs[name] = input;
  }
  return { name: String(doc?.name ?? ""), inputs, outputs: doc?.outputs ?? {}, runs };
}
function inputVariableName(name) {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}
function inputEnvironment(metadata, given, contexts) {
  const env = {};
  const warnings = [];
  const declared = Object.keys(metadata.inputs);
  const unexpected = Object.keys(given).filter(
    (name) => !declared.some((d) => d.toLowerCase() === name.toLowerCase())
  );
  if (unexpected.length > 0) {
    warnings.push(
      `Unexpected input(s) ${unexpected.map((n) => `'${n}'`).join(", ")}, valid inputs are [${declared.map((n) => `'${n}'`).join(", ")}]`
    );
  }
  for (const [name, spec] of Object.entries(metadata.inputs)) {
    if (spec.default !== void 0) env[inputVariableName(name)] = evaluateTemplate(spec.default, contexts);
  }
  for (const [name, value] of Object.entries(given)) {
    env[inputVariableName(name)] = value;
    const spec = Object.entries(metadata.inputs).find(([d]) => d.toLowerCase() === name.toLowerCase())?.[1];
    if (spec?.deprecationMessage !== void 0) {
      warnings.push(`Input '${name}' has been deprecated with message: ${spec.deprecationMessage}`);
    }
  }
  return { env, warnings };
}

// stand-ins/runner/event-payloads.ts
function owner(claims) {
  const login = String(claims["repository_owner"]);
  return {
    login,
    id: Number(claims["repository_owner_id"]),
    node_id: `O_${Buffer.from(login).toString("base64url")}`,
    type: "Organization",
    html_url: `https://github.com/${login}`,
    site_admin: false
  };
}
function repository(claims) {
  const fullName = String(claims["repository"]);
  const [, name = fullName] = fullName.split("/");
  return {
    id: Number(claims["repository_id"]),
    node_id: `R_${Buffer.from(fullName).toString("base64url")}`,
    name,
    full_name: fullName,
    private: claims["repository_visibility"] !== "public",
    visibility: claims["repository_visibility"] ?? "private",
    owner: owner(claims),
    html_url: `https://github.com/${fullName}`,
    url: `https://api.github.com/repos/${fullName}`,
    default_branch: "main"
  };
}
function sender(claims) {
  const login = String(claims["actor"]);
  return {
    login,
    id: Number(claims["actor_id"] ?? 1),
    type: "User",
    html_url: `https://github.com/${login}`,
    site_admin: false
  };
}
function defaultEventPayload(eventName, claims) {
  const repo = repository(claims);
  const base = {
    repository: repo,
    organization: { login: claims["repository_owner"], id: Number(claims["repository_owner_id"]) },
    sender: sender(claims)
  };
  const sha = String(claims["sha"]);
  if (eventName === "pull_request" || eventName === "pull_request_target") {
    const number = Number(/^refs\/pull\/(\d+)\//.exec(String(claims["ref"]))?.[1] ?? 1);
    return {
      action: "opened",
      number,
      pull_request: {
        number,
        state: "open",
        title: "Deploy the new checkout flow",
        user: sender(claims),
        html_url: `https://github.com/${String(claims["repository"])}/pull/${number}`,
        head: { ref: claims["head_ref"] || "feature", sha, repo },
        base: { ref: claims["base_ref"] || "main", sha: "0000000000000000000000000000000000000000", repo },
        merged: false,
        draft: false
      },
      ...base
    };
  }
  if (eventName === "workflow_dispatch") {
    return { inputs: {}, ref: claims["ref"], workflow: `.github/workflows/deploy.yml`, ...base };
  }
  return {
    ref: claims["ref"],
    before: "0000000000000000000000000000000000000000",
    after: sha,
    created: false,
    deleted: false,
    forced: false,
    compare: `https://github.com/${String(claims["repository"])}/commit/${sha.slice(0, 12)}`,
    commits: [],
    head_commit: {
      id: sha,
      tree_id: sha,
      message: "Deploy the new checkout flow",
      timestamp: "2025-06-02T12:00:00Z",
      author: { name: "Monalisa Octocat", email: "octocat@github.com", username: String(claims["actor"]) },
      committer: { name: "GitHub", email: "noreply@github.com", username: "web-flow" }
    },
    pusher: { name: String(claims["actor"]), email: "octocat@github.com" },
    ...base
  };
}
function scalar(value) {
  return typeof value === "string" || typeof value === "number" ? String(value) : void 0;
}
function record(value) {
  return typeof value === "object" && value !== null ? value : void 0;
}
function claimsFromEvent(eventName, payload) {
  const claims = { event_name: eventName };
  const set = (key, value) => {
    const text2 = scalar(value);
    if (text2 !== void 0) claims[key] = text2;
  };
  const repo = record(payload["repository"]);
  if (repo !== void 0) {
    set("repository", repo["full_name"]);
    set("repository_id", repo["id"]);
    const repoOwner = record(repo["owner"]);
    set("repository_owner", repoOwner?.["login"]);
    set("repository_owner_id", repoOwner?.["id"]);
    if (typeof repo["visibility"] === "string") claims.repository_visibility = repo["visibility"];
    else if (typeof repo["private"] === "boolean")
      claims.repository_visibility = repo["private"] ? "private" : "public";
  }
  const who = record(payload["sender"]);
  set("actor", who?.["login"]);
  set("actor_id", who?.["id"]);
  const pr = record(payload["pull_request"]);
  if ((eventName === "pull_request" || eventName === "pull_request_target") && pr !== void 0) {
    const head = record(pr["head"]);
    claims.head_ref = scalar(head?.["ref"]) ?? "";
    claims.base_ref = scalar(record(pr["base"])?.["ref"]) ?? "";
    if (eventName === "pull_request") {
      claims.ref = `refs/pull/${scalar(pr["number"]) ?? "0"}/merge`;
      const merge = scalar(pr["merge_commit_sha"]);
      claims.sha = merge !== void 0 && merge !== "" ? merge : scalar(head?.["sha"]) ?? "";
    } else {
      claims.ref = `refs/heads/${claims.base_ref}`;
    }
  } else if (eventName === "push") {
    set("ref", payload["ref"]);
    set("sha", payload["after"]);
  } else {
    set("ref", payload["ref"]);
  }
  return claims;
}

// stand-ins/runner/file-commands.ts
var FileCommandError = class extends Error {
  name = "FileCommandError";
};
function parseKeyValueFile(text2) {
  const values = /* @__PURE__ */ new Map();
  let index = 0;
  const readLine = () => {
    if (index >= text2.length) return void 0;
    const start = index;
    const lf = text2.indexOf("\n", index);
    if (lf < 0) {
      index = text2.length;
      return { line: text2.slice(start), newline: "" };
    }
    index = lf + 1;
    return { line: text2.slice(start, lf), newline: "\n" };
  };
  for (let next = readLine(); next !== void 0; next = readLine()) {
    const { line } = next;
    if (line === "") continue;
    const equals = line.indexOf("=");
    const heredoc = line.indexOf("<<");
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals);
      if (name === "") throw new FileCommandError(`Invalid format '${line}'. Name must not be empty`);
      values.set(name, line.slice(equals + 1));
    } else if (heredoc >= 0 && (equals < 0 || heredoc < equals)) {
      const name = line.slice(0, heredoc);
      const delimiter2 = line.slice(heredoc + 2);
      if (name === "" || delimiter2 === "") {
        throw new FileCommandError(
          `Invalid format '${line}'. Name must not be empty and delimiter must not be empty`
        );
      }
      const start = index;
      let end = index;
      let value = readLine();
      while (value?.line !== delimiter2) {
        if (value === void 0)
          throw new FileCommandError(`Invalid value. Matching delimiter not found '${delimiter2}'`);
        end = index - value.newline.length;
        value = readLine();
      }
      values.set(name, end > start ? text2.slice(start, end) : "");
    } else {
      throw new FileCommandError(`Invalid format '${line}'`);
    }
  }
  return values;
}
function parsePathFile(text2) {
  return text2.split("\n").filter((line) => line !== "");
}
function addToPrependPath(prependPath, added) {
  const next = [...prependPath];
  for (const entry of added) {
    const at = next.indexOf(entry);
    if (at >= 0) next.splice(at, 1);
    next.push(entry);
  }
  return next;
}
function pathValue(prependPath, basePath) {
  const parts = [...prependPath].reverse();
  if (basePath !== void 0 && basePath !== "") parts.push(basePath);
  return parts.join(":");
}

// stand-ins/runner/runner-env.ts
function refName(ref) {
  return ref.replace(/^refs\/(heads|tags|pull)\//, "");
}
function runnerEnvironment(claims, layout, endpoints, jobId, debug) {
  const env = {
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_RUN_ID: claims.run_id,
    GITHUB_RUN_ATTEMPT: claims.run_attempt,
    GITHUB_RUN_NUMBER: claims.run_number ?? "1",
    GITHUB_JOB: jobId,
    GITHUB_REPOSITORY: claims.repository,
    GITHUB_REPOSITORY_ID: claims.repository_id,
    GITHUB_REPOSITORY_OWNER: claims.repository_owner,
    GITHUB_REPOSITORY_OWNER_ID: claims.repository_owner_id,
    GITHUB_SHA: claims.sha,
    GITHUB_REF: claims.ref,
    GITHUB_REF_NAME: refName(claims.ref),
    GITHUB_REF_TYPE: claims.ref_type ?? "branch",
    GITHUB_REF_PROTECTED: claims.ref_protected ?? "false",
    GITHUB_HEAD_REF: claims.head_ref ?? "",
    GITHUB_BASE_REF: claims.base_ref ?? "",
    GITHUB_WORKFLOW: claims.workflow,
    GITHUB_WORKFLOW_REF: claims.workflow_ref ?? "",
    GITHUB_WORKFLOW_SHA: claims.workflow_sha ?? claims.sha,
    GITHUB_ACTOR: claims.actor,
    GITHUB_ACTOR_ID: claims.actor_id ?? "",
    GITHUB_TRIGGERING_ACTOR: claims.triggering_actor ?? claims.actor,
    GITHUB_EVENT_NAME: claims.event_name,
    GITHUB_EVENT_PATH: layout.eventPath,
    GITHUB_SERVER_URL: endpoints.serverUrl,
    GITHUB_API_URL: endpoints.apiUrl,
    GITHUB_GRAPHQL_URL: `${endpoints.apiUrl}/graphql`,
    GITHUB_WORKSPACE: layout.workspace,
    GITHUB_RETENTION_DAYS: "90",
    RUNNER_OS: "Linux",
    RUNNER_ARCH: "X64",
    RUNNER_NAME: "GitHub Actions 1000000001",
    RUNNER_ENVIRONMENT: claims.runner_environment ?? "github-hosted",
    RUNNER_TEMP: layout.temp,
    RUNNER_TOOL_CACHE: layout.toolCache,
    ACTIONS_RUNTIME_TOKEN: endpoints.runtimeToken,
    ACTIONS_RESULTS_URL: endpoints.resultsUrl
  };
  if (endpoints.idTokenRequestUrl !== void 0 && endpoints.idTokenRequestToken !== void 0) {
    env["ACTIONS_ID_TOKEN_REQUEST_URL"] = endpoints.idTokenRequestUrl;
    env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = endpoints.idTokenRequestToken;
  }
  if (debug) {
    env["RUNNER_DEBUG"] = "1";
    env["ACTIONS_STEP_DEBUG"] = "true";
  }
  return env;
}
function githubContext(claims, env, token) {
  return {
    token,
    repository: claims.repository,
    repository_id: claims.repository_id,
    repository_owner: claims.repository_owner,
    repository_owner_id: claims.repository_owner_id,
    run_id: claims.run_id,
    run_attempt: claims.run_attempt,
    run_number: claims.run_number ?? "1",
    sha: claims.sha,
    ref: claims.ref,
    ref_name: refName(claims.ref),
    ref_type: claims.ref_type ?? "branch",
    head_ref: claims.head_ref ?? "",
    base_ref: claims.base_ref ?? "",
    actor: claims.actor,
    actor_id: claims.actor_id ?? "",
    triggering_actor: claims.triggering_actor ?? claims.actor,
    workflow: claims.workflow,
    workflow_ref: claims.workflow_ref ?? "",
    event_name: claims.event_name,
    event_path: env["GITHUB_EVENT_PATH"],
    job: env["GITHUB_JOB"],
    server_url: env["GITHUB_SERVER_URL"],
    api_url: env["GITHUB_API_URL"],
    graphql_url: env["GITHUB_GRAPHQL_URL"],
    workspace: env["GITHUB_WORKSPACE"],
    retention_days: env["GITHUB_RETENTION_DAYS"]
  };
}
var HOST_ONLY = /^(GITHUB_|RUNNER_|ACTIONS_|INPUT_|STATE_|VITEST)/;
function hostEnvironment(source) {
  const env = {};
  for (const [k, v] of Object.entries(source)) {
    if (v === void 0 || HOST_ONLY.test(k) || k === "CI") continue;
    env[k] = v;
  }
  return env;
}

// stand-ins/runner/secret-masker.ts
var SecretMasker = class {
  #values = /* @__PURE__ */ new Set();
  /** Registers a secret (and its encodings). Empty or whitespace-only values are ignored, as the runner does. */
  add(value) {
    if (value.trim() === "") return;
    for (const variant of encodings(value)) if (variant.length > 0) this.#values.add(variant);
  }
  get size() {
    return this.#values.size;
  }
  mask(text2) {
    if (this.#values.size === 0 || text2 === "") return text2;
    const ranges = [];
    for (const value of this.#values) {
      for (let at = text2.indexOf(value); at >= 0; at = text2.indexOf(value, at + 1))
        ranges.push([at, at + value.length]);
    }
    if (ranges.length === 0) return text2;
    ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    let out = "";
    let cursor = 0;
    let current;
    for (const range of ranges) {
      if (current !== void 0 && range[0] <= current[1]) {
        current[1] = Math.max(current[1], range[1]);
        continue;
      }
      if (current !== void 0) {
        out += `${text2.slice(cursor, current[0])}***`;
        cursor = current[1];
      }
      current = [range[0], range[1]];
    }
    if (current !== void 0) {
      out += `${text2.slice(cursor, current[0])}***`;
      cursor = current[1];
    }
    return out + text2.slice(cursor);
  }
};
function encodings(value) {
  const variants = [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)];
  const bytes = Buffer.from(value, "utf8");
  for (const shift of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(shift, 36), bytes]).toString("base64").replace(/=+$/, "");
    const lead = shift === 0 ? 0 : shift + 1;
    const trail = (shift + bytes.length) % 3 === 0 ? 0 : 1;
    const core = encoded.slice(lead, encoded.length - trail);
    if (core.length >= 4) variants.push(core);
  }
  return variants;
}

// stand-ins/runner/shell.ts
import { access, constants, stat } from "node:fs/promises";
import { delimiter, isAbsolute, join as join2 } from "node:path";
var BUILT_IN = {
  bash: { args: "--noprofile --norc -eo pipefail {0}", extension: ".sh" },
  sh: { args: "-e {0}", extension: ".sh" },
  python: { args: "{0}", extension: ".py" }
};
function parseShell(shell, bashAvailable) {
  if (shell === void 0 || shell.trim() === "") {
    return bashAvailable ? { command: "bash", args: "-e {0}", extension: ".sh" } : { command: "sh", args: "-e {0}", extension: ".sh" };
  }
  const trimmed = shell.trim();
  const space = trimmed.indexOf(" ");
  const command = space < 0 ? trimmed : trimmed.slice(0, space);
  const builtIn = BUILT_IN[command];
  if (space < 0 && builtIn !== void 0) return { command, ...builtIn };
  return { command, args: space < 0 ? "" : trimmed.slice(space + 1), extension: builtIn?.extension ?? "" };
}
function formatArgs(template, scriptPath) {
  const text2 = template.replace(/\{0\}/g, scriptPath);
  const args = [];
  let current = "";
  let quote;
  let started = false;
  for (const ch of text2) {
    if (quote !== void 0) {
      if (ch === quote) quote = void 0;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (ch === " " || ch === "	") {
      if (started || current !== "") args.push(current);
      current = "";
      started = false;
    } else {
      current += ch;
    }
  }
  if (started || current !== "") args.push(current);
  return args;
}
async function which(command, pathValue2) {
  if (command.includes("/")) return await isExecutable(command) ? command : void 0;
  for (const dir of pathValue2.split(delimiter)) {
    if (dir === "" || !isAbsolute(dir)) continue;
    const candidate = join2(dir, command);
    if (await isExecutable(candidate)) return candidate;
  }
  return void 0;
}
async function isExecutable(file) {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

// stand-ins/runner/step-process.ts
import { spawn } from "node:child_process";
import { StringDecoder } from "node:string_decoder";

// stand-ins/runner/workflow-commands.ts
function parseWorkflowCommand(line) {
  const trimmed = line.trimStart();
  if (!trimmed.startsWith("::")) return void 0;
  const end = trimmed.indexOf("::", 2);
  if (end < 0) return void 0;
  const info = trimmed.slice(2, end);
  const space = info.indexOf(" ");
  const command = space < 0 ? info : info.slice(0, space);
  if (command === "") return void 0;
  const properties = {};
  if (space >= 0) {
    for (const pair of info.slice(space + 1).split(",")) {
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const key = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value !== "") properties[key] = unescapeProperty(value);
    }
  }
  return { command, properties, data: unescapeData(trimmed.slice(end + 2)) };
}
function unescapeData(value) {
  return value.replace(/%0D/gi, "\r").replace(/%0A/gi, "\n").replace(/%25/g, "%");
}
function unescapeProperty(value) {
  return value.replace(/%0D/gi, "\r").replace(/%0A/gi, "\n").replace(/%3A/gi, ":").replace(/%2C/gi, ",").replace(/%25/g, "%");
}

// stand-ins/runner/step-process.ts
var SET_OUTPUT_DEPRECATED = "The `set-output` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/";
var SAVE_STATE_DEPRECATED = "The `save-state` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/";
function runStepProcess(options) {
  const result = {
    exitCode: null,
    signal: null,
    stdout: "",
    stderr: "",
    log: [],
    annotations: [],
    legacyOutputs: /* @__PURE__ */ new Map(),
    legacyState: /* @__PURE__ */ new Map(),
    commandFailed: false,
    cancelled: false,
    timedOut: false
  };
  const commands = new CommandProcessor(options, result);
  return new Promise((resolve2, reject) => {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true
    });
    if (child.pid !== void 0) options.onStart?.(child.pid);
    const timers = [];
    let stopping = false;
    const stop = () => {
      if (stopping || child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      child.kill("SIGINT");
      timers.push(
        setTimeout(() => {
          child.kill("SIGTERM");
          timers.push(setTimeout(() => child.kill("SIGKILL"), options.grace.sigtermMs));
        }, options.grace.sigintMs)
      );
    };
    const onAbort = () => {
      result.cancelled = true;
      stop();
    };
    if (options.signal?.aborted === true) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.timeoutMs !== void 0) {
      timers.push(
        setTimeout(() => {
          result.timedOut = true;
          stop();
        }, options.timeoutMs)
      );
    }
    const attach = (stream, which2) => {
      const decoder = new StringDecoder("utf8");
      let pending = "";
      stream.on("data", (chunk) => {
        const text2 = decoder.write(chunk);
        result[which2] += text2;
        pending += text2;
        let lf = pending.indexOf("\n");
        while (lf >= 0) {
          commands.line(pending.slice(0, lf).replace(/\r$/, ""));
          pending = pending.slice(lf + 1);
          lf = pending.indexOf("\n");
        }
      });
      stream.on("end", () => {
        const rest = pending + decoder.end();
        if (rest !== "") {
          if (rest !== pending) result[which2] += rest.slice(pending.length);
          commands.line(rest.replace(/\r$/, ""));
        }
        pending = "";
      });
    };
    attach(child.stdout, "stdout");
    attach(child.stderr, "stderr");
    child.on("exit", () => {
      if (stopping) {
        timers.push(
          setTimeout(() => {
            child.stdout.destroy();
            child.stderr.destroy();
          }, 200)
        );
      }
    });
    child.on("error", (error) => {
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener("abort", onAbort);
      reject(error);
    });
    child.on("close", (code, signal) => {
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener("abort", onAbort);
      result.exitCode = code;
      result.signal = signal;
      resolve2(result);
    });
  });
}
var CommandProcessor = class {
  constructor(options, result) {
    this.options = options;
    this.result = result;
  }
  options;
  result;
  #stopToken;
  #echo = false;
  line(raw) {
    const command = parseWorkflowCommand(raw);
    if (command === void 0) return this.#write(raw);
    const name = command.command.toLowerCase();
    if (this.#stopToken !== void 0) {
      if (command.command === this.#stopToken) {
        this.#stopToken = void 0;
        return;
      }
      return this.#write(raw);
    }
    if (this.#echo) this.#write(raw);
    switch (name) {
      case "add-mask":
        if (command.data.trim() === "")
          this.#annotate("warning", "Can't add secret mask for empty string in ##[add-mask] command.");
        else this.options.masker.add(command.data.trim());
        return;
      case "error":
      case "warning":
      case "notice":
        this.#annotate(name, command.data, command.properties);
        return;
      case "debug":
        if (this.options.debug) this.#write(`##[debug]${command.data}`);
        return;
      case "group":
        return this.#write(`##[group]${command.data}`);
      case "endgroup":
        return this.#write("##[endgroup]");
      case "echo":
        this.#echo = command.data.trim().toLowerCase() === "on";
        return;
      case "stop-commands":
        this.#stopToken = command.data;
        return;
      case "set-output":
        this.#annotate("warning", SET_OUTPUT_DEPRECATED);
        if (command.properties["name"] !== void 0)
          this.result.legacyOutputs.set(command.properties["name"], command.data);
        return;
      case "save-state":
        this.#annotate("warning", SAVE_STATE_DEPRECATED);
        if (command.properties["name"] !== void 0)
          this.result.legacyState.set(command.properties["name"], command.data);
        return;
      case "add-path":
      case "set-env":
        if (this.options.env["ACTIONS_ALLOW_UNSECURE_COMMANDS"] !== "true") {
          this.#annotate(
            "error",
            `Unable to process command '${raw}' successfully.
The \`${name}\` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the \`ACTIONS_ALLOW_UNSECURE_COMMANDS\` environment variable to \`true\`. For more information see: https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/`
          );
          this.result.commandFailed = true;
          return;
        }
        return this.#write(raw);
      default:
        return this.#write(raw);
    }
  }
  #annotate(level, message, properties = {}) {
    const masked = this.options.masker.mask(message);
    this.result.annotations.push({ level, message: masked, properties });
    for (const part of masked.split("\n")) this.#write(`##[${level}]${part}`);
  }
  #write(line) {
    this.result.log.push(this.options.masker.mask(line));
  }
};

// stand-ins/runner/index.ts
var SUMMARY_LIMIT = 1024 * 1024;
async function createRunnerJob(options) {
  const metadata = await loadActionMetadata(options.actionDir);
  const eventName = options.eventName ?? options.claims?.event_name ?? "push";
  const fromEvent = options.eventPayload === void 0 ? {} : claimsFromEvent(eventName, options.eventPayload);
  const registration = await options.standIn.registerJob({
    claims: { ...fromEvent, event_name: eventName, ...options.claims ?? {} },
    ...options.issueIdToken === void 0 ? {} : { issueIdToken: options.issueIdToken }
  });
  const claims = registration.claims;
  const dir = await mkdtemp(join3(tmpdir(), "guard-runner-"));
  const repoName = claims.repository.split("/")[1] ?? claims.repository;
  const layout = {
    workspace: join3(dir, "work", repoName, repoName),
    temp: join3(dir, "work", "_temp"),
    toolCache: join3(dir, "tool-cache"),
    eventPath: join3(dir, "work", "_temp", "_github_workflow", "event.json")
  };
  const fileCommandDir = join3(layout.temp, "_runner_file_commands");
  for (const d of [
    layout.workspace,
    layout.temp,
    layout.toolCache,
    fileCommandDir,
    join3(layout.temp, "_github_workflow")
  ]) {
    await mkdir(d, { recursive: true });
  }
  await writeFile(
    layout.eventPath,
    JSON.stringify(options.eventPayload ?? defaultEventPayload(eventName, claims), null, 2)
  );
  const idToken = options.idTokenPermission ?? true;
  const jobEnv = runnerEnvironment(
    claims,
    layout,
    {
      serverUrl: options.standIn.serverUrl,
      apiUrl: options.standIn.apiUrl,
      runtimeToken: registration.runtimeToken,
      resultsUrl: registration.resultsUrl,
      ...idToken ? {
        idTokenRequestUrl: registration.idTokenRequestUrl,
        idTokenRequestToken: registration.idTokenRequestToken
      } : {}
    },
    options.jobId ?? "deploy",
    options.debug ?? false
  );
  const host = hostEnvironment(process.env);
  const masker = new SecretMasker();
  for (const secret of [
    registration.runtimeToken,
    registration.githubToken,
    ...Object.values(options.secrets ?? {})
  ])
    masker.add(secret);
  const grace = { sigintMs: 7500, sigtermMs: 2500, ...options.cancelGrace ?? {} };
  const uses = options.uses ?? "hoop/guard@v1";
  const [actionRepository = uses, actionRef = ""] = uses.split("@");
  const actionStepId = `__${actionRepository.replace(/[^A-Za-z0-9]+/g, "_")}`;
  let prependPath = [];
  const exported = {};
  const actionState = {};
  const outputsByStep = /* @__PURE__ */ new Map();
  const summaries = [];
  const jobLog = [];
  const pids = /* @__PURE__ */ new Set();
  const usedIds = /* @__PURE__ */ new Map();
  let jobStatus = "success";
  const contexts = () => ({
    github: githubContext(claims, jobEnv, registration.githubToken),
    runner: {
      os: "Linux",
      arch: "X64",
      name: jobEnv["RUNNER_NAME"],
      temp: layout.temp,
      tool_cache: layout.toolCache,
      debug: options.debug === true ? "1" : ""
    },
    env: { ...options.env ?? {}, ...exported },
    job: { status: jobStatus }
  });
  const uniqueId = (base) => {
    const n = (usedIds.get(base) ?? 0) + 1;
    usedIds.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  };
  const execute = async (step) => {
    const suffix = randomUUID5();
    const files = {
      GITHUB_OUTPUT: join3(fileCommandDir, `set_output_${suffix}`),
      GITHUB_STATE: join3(fileCommandDir, `save_state_${suffix}`),
      GITHUB_ENV: join3(fileCommandDir, `set_env_${suffix}`),
      GITHUB_PATH: join3(fileCommandDir, `add_path_${suffix}`),
      GITHUB_STEP_SUMMARY: join3(fileCommandDir, `step_summary_${suffix}`)
    };
    for (const file of Object.values(files)) await writeFile(file, "");
    const basePath = options.env?.["PATH"] ?? host["PATH"];
    const stepPath = pathValue(prependPath, step.run.env?.["PATH"] ?? exported["PATH"] ?? basePath);
    const env = {
      ...host,
      ...jobEnv,
      ...options.env ?? {},
      ...exported,
      ...step.run.env ?? {},
      ...step.extraEnv,
      ...files,
      GITHUB_ACTION: step.id,
      PATH: stepPath
    };
    const log = step.header.map((line) => masker.mask(line));
    const finish = (conclusion2, processResult, outputs2, annotations2) => {
      if (conclusion2 === "failure" && jobStatus === "success") jobStatus = "failure";
      if (conclusion2 === "cancelled") jobStatus = "cancelled";
      if (step.recordOutputs) outputsByStep.set(step.id, outputs2);
      jobLog.push(...log);
      return {
        name: step.name,
        id: step.id,
        conclusion: conclusion2,
        exitCode: processResult?.exitCode ?? null,
        signal: processResult?.signal ?? null,
        stdout: processResult?.stdout ?? "",
        stderr: processResult?.stderr ?? "",
        log: log.join("\n"),
        outputs: outputs2,
        annotations: annotations2
      };
    };
    const target = await step.resolve(stepPath);
    if ("error" in target) {
      log.push(`##[error]${target.error}`);
      return finish("failure", void 0, {}, [{ level: "error", message: target.error, properties: {} }]);
    }
    const result = await runStepProcess({
      command: target.command,
      args: target.args,
      cwd: layout.workspace,
      env,
      masker,
      debug: options.debug === true,
      grace,
      onStart: (pid) => pids.add(pid),
      ...step.run.signal === void 0 ? {} : { signal: step.run.signal },
      ...step.run.timeoutMs === void 0 ? {} : { timeoutMs: step.run.timeoutMs }
    });
    log.push(...result.log);
    const annotations = [...result.annotations];
    const error = (message) => {
      annotations.push({ level: "error", message, properties: {} });
      log.push(`##[error]${masker.mask(message)}`);
    };
    let fileCommandFailed = false;
    const outputs = Object.fromEntries(result.legacyOutputs);
    const apply = async (contextName, file, use) => {
      try {
        use(await readFile2(file, "utf8"));
      } catch (cause) {
        fileCommandFailed = true;
        error(`Unable to process file command '${contextName}' successfully.`);
        error(cause instanceof Error ? cause.message : String(cause));
      }
    };
    await apply("path", files.GITHUB_PATH, (text2) => {
      prependPath = addToPrependPath(prependPath, parsePathFile(text2));
    });
    await apply(
      "env",
      files.GITHUB_ENV,
      (text2) => Object.assign(exported, Object.fromEntries(parseKeyValueFile(text2)))
    );
    await apply("step_summary", files.GITHUB_STEP_SUMMARY, (text2) => {
      if (text2 === "") return;
      const size = Buffer.byteLength(text2);
      if (size > SUMMARY_LIMIT) {
        error(
          `$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of ${SUMMARY_LIMIT / 1024}k, got ${Math.floor(size / 1024)}k. For more information see: https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-markdown-summary`
        );
        return;
      }
      summaries.push(
        text2.split("\n").map((line) => masker.mask(line)).join("\n")
      );
    });
    await apply("state", files.GITHUB_STATE, (text2) => {
      if (step.saveState)
        Object.assign(
          actionState,
          Object.fromEntries(result.legacyState),
          Object.fromEntries(parseKeyValueFile(text2))
        );
    });
    await apply(
      "output",
      files.GITHUB_OUTPUT,
      (text2) => Object.assign(outputs, Object.fromEntries(parseKeyValueFile(text2)))
    );
    let conclusion = "success";
    if (result.cancelled) {
      conclusion = "cancelled";
      error("The operation was canceled.");
    } else if (result.timedOut) {
      conclusion = "failure";
      error(
        `The action '${step.name}' has timed out after ${((step.run.timeoutMs ?? 0) / 6e4).toFixed(2).replace(/\.?0+$/, "")} minutes.`
      );
    } else if (result.exitCode !== 0) {
      conclusion = "failure";
      if (step.isScript)
        error(`Process completed with exit code ${result.exitCode ?? result.signal ?? "unknown"}.`);
    } else if (result.commandFailed || fileCommandFailed) {
      conclusion = "failure";
    }
    return finish(conclusion, result, outputs, annotations);
  };
  const inputLines = () => {
    const given = Object.entries(options.inputs ?? {});
    return given.length === 0 ? [] : ["with:", ...given.map(([k, v]) => `  ${k}: ${v}`)];
  };
  const actionStep = (phase, run, condition) => {
    const file = metadata.runs[phase];
    if (file === void 0) throw new TypeError(`${options.actionDir}/action.yml has no runs.${phase}`);
    const id = actionStepId;
    const name = phase === "main" ? `Run ${uses}` : phase === "post" ? `Post Run ${uses}` : `Pre Run ${uses}`;
    if (condition !== void 0 && !evaluateCondition(condition, contexts())) {
      const skipped = {
        name,
        id,
        conclusion: "skipped",
        exitCode: null,
        signal: null,
        stdout: "",
        stderr: "",
        log: "",
        outputs: {},
        annotations: []
      };
      return Promise.resolve(skipped);
    }
    const inputs = inputEnvironment(metadata, options.inputs ?? {}, contexts());
    const stateEnv = phase === "post" ? Object.fromEntries(Object.entries(actionState).map(([k, v]) => [`STATE_${k}`, v])) : {};
    return execute({
      name,
      id,
      header: [
        `##[group]${name}`,
        ...inputLines(),
        "##[endgroup]",
        ...inputs.warnings.map((w) => `##[warning]${w}`)
      ],
      resolve: async () => ({ command: process.execPath, args: [join3(options.actionDir, file)] }),
      extraEnv: {
        ...inputs.env,
        ...stateEnv,
        GITHUB_ACTION_PATH: options.actionDir,
        GITHUB_ACTION_REPOSITORY: actionRepository,
        GITHUB_ACTION_REF: actionRef
      },
      isScript: false,
      saveState: phase !== "post",
      recordOutputs: phase === "main",
      run
    });
  };
  const job = {
    dir,
    env: jobEnv,
    claims,
    registration,
    metadata,
    runPre: (run = {}) => actionStep("pre", run, metadata.runs["pre-if"] ?? "always()"),
    runMain: (run = {}) => actionStep("main", run),
    runPost: (run = {}) => actionStep("post", run, metadata.runs["post-if"] ?? "always()"),
    async runStep(step) {
      const shell = parseShell(step.shell, await which("bash", host["PATH"] ?? "") !== void 0);
      const scriptPath = join3(layout.temp, `${randomUUID5()}${shell.extension}`);
      await writeFile(scriptPath, step.run);
      const template = `${shell.command} ${shell.args}`.trim();
      return execute({
        name: step.name ?? `Run ${step.run.split("\n")[0] ?? ""}`,
        id: uniqueId("__run"),
        header: [
          `##[group]Run ${step.run.split("\n")[0] ?? ""}`,
          ...step.run.split("\n").slice(1).filter((l) => l !== ""),
          `shell: ${template}`,
          "##[endgroup]"
        ],
        resolve: async (path) => {
          const command = await which(shell.command, path);
          if (command === void 0) {
            return {
              error: `${shell.command}: command not found. Unable to locate executable file: ${shell.command}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also check the file mode to verify the file is executable.`
            };
          }
          return { command, args: formatArgs(shell.args, scriptPath) };
        },
        extraEnv: {},
        isScript: true,
        saveState: false,
        recordOutputs: true,
        run: step
      });
    },
    outputs(step) {
      if (step !== void 0) return { ...outputsByStep.get(step) ?? {} };
      return { ...outputsByStep.get(actionStepId) ?? {} };
    },
    state: () => ({ ...actionState }),
    exportedEnv: () => ({ ...exported }),
    path: () => [...prependPath].reverse(),
    summary: () => summaries.join(""),
    log: () => jobLog.join("\n"),
    async cleanup() {
      for (const pid of pids) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
        }
      }
      await rm(dir, { recursive: true, force: true });
    }
  };
  return job;
}

// demo/demo-policy.ts
var DEMO_POLICY_FILE = "demo.yml";
var DEMO_POLICY = `# guard demo policy: see docs/policies.md for every field
kind: repository
name: demo-shop
match:
  repository: [octo-org/octo-repo]
approvals:
  reviewers: [alice]
  min: 1
  expire-after: 15m
  allow-self-approval: false
steps:
  - when: { script-matches: "deploy|terraform apply|kubectl" }
    action: require-approval
    reason: deploys to production need a second person
masking:
  packs: [secrets, pii-common, pii-br, pii-us, pii-eu]
recording: strict
`;
var REPOSITORY_FILES = {
  "scripts/build.sh": `#!/usr/bin/env bash
echo "building octo-shop at $GITHUB_SHA"
echo "connecting with postgres://app:S3cr3t-Pa55w0rd@db.internal:5432/shop"
cat test/smoke-customers.txt
echo "build ok"
`,
  "test/smoke-customers.txt": `smoke test customer: maria.silva@example.com, CPF 529.982.247-25, card 4111 1111 1111 1111
`,
  "scripts/deploy.sh": `#!/usr/bin/env bash
echo "deploying octo-shop to production"
for i in 1 2 3; do echo "rolling out batch $i/3"; sleep 0.2; done
echo "debug: AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"
echo "deploy done"
`
};
var BUILD_STEP = { name: "Build", run: "./scripts/build.sh", shell: "guard --name Build {0}" };
var DEPLOY_STEP = {
  name: "Deploy",
  run: "./scripts/deploy.sh production",
  shell: "guard --name Deploy {0}"
};

// demo/run-demo.ts
async function runDemo(argv, io) {
  const out = (line = "") => void io.stdout.write(`${line}
`);
  const indent = (text2) => text2.trimEnd().split("\n").map((line) => `    \u2502 ${line}`).join("\n");
  const keep = argv.includes("--keep");
  const outputDir = resolve(io.cwd, "guard-demo");
  const work = await mkdtemp2(join4(tmpdir2(), "guard-demo-"));
  let github;
  let server;
  let job;
  try {
    out("guard demo: one job, guarded end to end, on this machine\n");
    github = await startGitHubStandIn();
    out(`1. GitHub stand-in (OIDC issuer, artifact service, REST) on ${github.url}`);
    const policyDir = join4(work, "policies");
    await mkdir2(policyDir);
    await writeFile2(join4(policyDir, DEMO_POLICY_FILE), DEMO_POLICY);
    server = await startServer(
      {
        host: "127.0.0.1",
        port: 0,
        issuers: [github.issuer],
        audience: "guard",
        dataDir: join4(work, "guard-data"),
        policyDir,
        sessionTtlSec: 3600,
        sessionMaxSec: 24 * 3600,
        maxWaitSec: 25
      },
      { log: () => {
      }, policies: await loadPolicyDir(policyDir) }
    );
    const aliceToken = await addReviewer(server.ctx.db, "alice");
    out(
      `2. guard server on ${server.url} (embedded PGlite database), policy demo-shop: deploys need 1 approval from alice`
    );
    const actionDir = await findActionDir(dirname(fileURLToPath(import.meta.url)));
    job = await createRunnerJob({ standIn: github, actionDir, inputs: { server: server.url } });
    await checkout(job.env.GITHUB_WORKSPACE ?? "");
    const main = await job.runMain();
    if (main.exitCode !== 0) throw new Error(`the action's main step failed:
${main.log}`);
    out("3. Runner: `uses: hoop/guard@v1` (dist/main.js) opened a session:");
    out(indent(main.log));
    const build = await job.runStep(BUILD_STEP);
    out(
      `4. Runner: step "Build" with \`shell: guard {0}\`: allowed by policy, ran with its output masked (exit ${build.exitCode}):`
    );
    out(indent(build.log));
    out('5. Runner: step "Deploy" with `shell: guard {0}`: held until a reviewer approves...');
    const deploying = job.runStep(DEPLOY_STEP);
    const alice = new GuardServerClient(server.url, aliceToken);
    const pending = await pendingApproval(alice);
    out(
      `   alice's queue: approval ${pending.id}: ${pending.title} of ${pending.repository} run ${pending.runId} by ${pending.actor}, script \`${pending.body.trim()}\` (sha256 ${pending.digest.slice(0, 12)}...)`
    );
    out(`   alice approves it (what \`guard approve ${pending.id}\` does)`);
    await alice.decide(pending.id, "approve", "change ticket CHG-1042");
    const deploy = await deploying;
    out(indent(deploy.log));
    out(`   exit ${deploy.exitCode}`);
    const post = await job.runPost();
    out("6. Runner: post step (dist/post.js) closed the session and uploaded the audit bundle:");
    out(indent(post.log));
    const artifact = github.state.artifacts.filter((candidate) => candidate.finalized).at(-1);
    if (!artifact) throw new Error("the post step uploaded no artifact");
    const bundleSource = join4(
      job.env.RUNNER_TEMP ?? "",
      "guard",
      job.outputs()["session-id"] ?? "",
      "bundle",
      artifact.name
    );
    const bundleDir = join4(outputDir, artifact.name);
    await rm2(bundleDir, { recursive: true, force: true });
    await mkdir2(outputDir, { recursive: true });
    await cp(bundleSource, bundleDir, { recursive: true });
    out(`7. Audit bundle: ${bundleDir} (uploaded as artifact '${artifact.name}', id ${artifact.id})`);
    out(`   the deploy's recording:  ${join4(bundleDir, "steps", "2.cast")}`);
    out(`   the job's events:        ${join4(bundleDir, "events.jsonl")}`);
    const keysFile = join4(outputDir, "guard-keys.json");
    await writeFile2(keysFile, await (await fetch(`${server.url}${KEYS_WELL_KNOWN_PATH}`)).text());
    const verification = await verifyBundle(bundleDir, {
      keys: await loadTrustedKeys([keysFile], void 0)
    });
    out(`8. Offline verification with the server's public key (${keysFile}):`);
    out(indent(formatVerification(bundleDir, verification)));
    out(`   again, any time:  npx guard audit verify ${bundleDir} --key ${keysFile}`);
    const ok = main.exitCode === 0 && build.exitCode === 0 && deploy.exitCode === 0 && post.exitCode === 0 && verification.ok;
    out(
      ok ? "\nguard demo: done; every step was judged, the deploy was approved, all output was masked and recorded, and the signed evidence verifies." : "\nguard demo: a step failed; see above."
    );
    return ok ? 0 : 1;
  } catch (error) {
    io.stderr.write(`guard demo failed: ${describeError(error)}
`);
    return 1;
  } finally {
    if (!keep) await job?.cleanup().catch(() => {
    });
    await server?.close().catch(() => {
    });
    await github?.close().catch(() => {
    });
    if (!keep) await rm2(work, { recursive: true, force: true });
  }
}
async function pendingApproval(reviewer) {
  for (let attempt = 0; attempt < 300; attempt++) {
    const [first] = (await reviewer.listPending()).approvals;
    if (first) return first;
    await new Promise((resolve2) => setTimeout(resolve2, 100));
  }
  throw new Error("no approval request reached the reviewer within 30 s");
}
async function findActionDir(from) {
  for (let dir = from; ; dir = dirname(dir)) {
    if (await access2(join4(dir, "action.yml")).then(
      () => true,
      () => false
    ))
      return dir;
    if (dirname(dir) === dir)
      throw new Error(`no action.yml above ${from}; run the demo from the guard repository`);
  }
}
async function checkout(workspace) {
  for (const [path, content] of Object.entries(REPOSITORY_FILES)) {
    await mkdir2(dirname(join4(workspace, path)), { recursive: true });
    await writeFile2(join4(workspace, path), content);
    if (path.endsWith(".sh")) await chmod(join4(workspace, path), 493);
  }
}
export {
  runDemo
};
