// A faithful local stand-in for the GitHub endpoints guard calls, on one loopback HTTP server: the OIDC
// issuer, the runner's ID-token endpoint, the artifact results service + blob storage, and REST routes.
// The real @actions/core, @actions/artifact and octokit clients run against it unmodified.
import { randomUUID } from 'node:crypto';
import { addArtifactServiceRoutes } from './artifact-service.js';
import { addBlobRoutes } from './blob-storage.js';
import { addRestArtifactRoutes } from './rest-artifacts.js';
import type { JobClaims } from '../../lib/claims.js';
import { buildClaims } from './claims.js';
import type { ClaimOverrides } from './claims.js';
import { startHttpServer } from './http-server.js';
import type { RecordedRequest } from './http-server.js';
import { addIdTokenRoutes } from './id-token-routes.js';
import { createSigningKey, signJwt } from './oidc.js';
import type { SignOptions, SigningKey } from './oidc.js';
import { Router } from './router.js';
import type { RouteHandler } from './router.js';
import { GitHubState, newGitHubToken } from './state.js';
import type { JobRegistration, TokenGrant } from './state.js';

export type { ClaimOverrides } from './claims.js';
export { DEFAULT_CLAIMS, subjectFor } from './claims.js';
export type { RecordedRequest } from './http-server.js';
export type { SignOptions, SigningKey } from './oidc.js';
export type { RouteHandler, RouteRequest, RouteResponse } from './router.js';
export { json, restError, restHeaders, twirpError } from './responses.js';
export { authorizeRepository, isResponse } from './rest-auth.js';
export type { RestCaller } from './rest-auth.js';
export type { GitHubState, JobRegistration, TokenGrant } from './state.js';

export interface GitHubStandInOptions {
  /** Claim defaults for every job and every `claims()` call (on top of GitHub's documented example). */
  claims?: ClaimOverrides;
  /** ID-token lifetime after `iat`; GitHub's documented example token lives 5 minutes. Default 300. */
  tokenLifetimeSeconds?: number;
  /** `nbf` is back-dated this much before `iat`, as GitHub does for clock skew. Default 300. */
  notBeforeSkewSeconds?: number;
  /** Clock in seconds since the epoch, to freeze time in expiry tests. */
  now?: () => number;
  /** GITHUB_SERVER_URL the jobs see (links only; nothing is served there). Default https://github.com. */
  serverUrl?: string;
}

export interface ArtifactView {
  id: number;
  name: string;
  size: number;
  /** `sha256:<hex>` of the zip. */
  digest: string;
  zip: Buffer;
  runBackendId: string;
  jobBackendId: string;
  repository: string;
  runId: string;
  runAttempt: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface RegisterJobOptions {
  /** Claim overrides for this job's ID tokens (a request's `audience` still sets `aud`). */
  claims?: ClaimOverrides;
  /** Replace the ID token handed to the job (e.g. an expired or alg:none token) for hostile tests. */
  issueIdToken?: (claims: JobClaims) => string | Promise<string>;
}

export interface GitHubStandIn {
  /** Base URL of the server, e.g. http://127.0.0.1:39211. */
  readonly url: string;
  /** OIDC issuer (`iss`): the base URL, no trailing slash, like https://token.actions.githubusercontent.com. */
  readonly issuer: string;
  /** GITHUB_API_URL. */
  readonly apiUrl: string;
  /** ACTIONS_RESULTS_URL (the client uses only its origin). */
  readonly resultsUrl: string;
  readonly serverUrl: string;
  /** Every call the stand-in received, in order. */
  readonly requests: RecordedRequest[];
  readonly state: GitHubState;
  /** Signing keys published in the JWKS, current first. */
  keys(): SigningKey[];
  /** A full default claim set (fresh jti/iat/nbf/exp), with overrides; what an ID token would carry. */
  claims(overrides?: ClaimOverrides): JobClaims;
  /** Signs any claims as given; options make hostile tokens (alg none, HS256 with the public key, unknown kid...). */
  signToken(claims: Record<string, unknown>, options?: SignOptions): Promise<string>;
  /** Generates a new current key; the old one stays in the JWKS (as GitHub keeps keys during rotation). */
  rotateKey(options?: { dropOld?: boolean }): Promise<SigningKey>;
  /** Registers a job: its ID-token request URL/token, runtime token, results URL and GITHUB_TOKEN. */
  registerJob(options?: RegisterJobOptions): Promise<JobRegistration>;
  /** A REST token (personal or installation style) limited to `repositories` if given. */
  createToken(grant?: Partial<TokenGrant>): string;
  /** Finalized, not deleted artifacts, oldest first, with their stored zip. */
  artifacts(): ArtifactView[];
  /** Adds or overrides a route (`:param`, trailing `*rest`). */
  route(method: string, pattern: string, handler: RouteHandler): void;
  close(): Promise<void>;
}

export async function startGitHubStandIn(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
  const router = new Router();
  const requests: RecordedRequest[] = [];
  const state = new GitHubState();
  let keys: SigningKey[] = [await createSigningKey()];
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const defaults = options.claims ?? {};
  const timing = () => ({
    now: now(),
    lifetimeSeconds: options.tokenLifetimeSeconds ?? 300,
    notBeforeSkewSeconds: options.notBeforeSkewSeconds ?? 300,
  });
  const server = await startHttpServer(router, requests);
  const issuer = server.url;
  const currentKey = (): SigningKey => {
    const key = keys[0];
    if (key === undefined) throw new Error('stand-in has no signing key');
    return key;
  };

  const claims = (overrides: ClaimOverrides = {}): JobClaims =>
    buildClaims(issuer, defaults, overrides, timing(), randomUUID());
  const signToken = (payload: Record<string, unknown>, signOptions: SignOptions = {}): Promise<string> =>
    signJwt(currentKey(), payload, { now: now(), ...signOptions });

  addIdTokenRoutes(router, { state, issuer, keys: () => keys, claimsFor: claims, sign: (c) => signToken(c) });
  addArtifactServiceRoutes(router, state, () => server.url);
  addBlobRoutes(router, state);
  addRestArtifactRoutes(router, state, () => server.url);

  const standIn: GitHubStandIn = {
    url: server.url,
    issuer,
    apiUrl: server.url,
    resultsUrl: `${server.url}/`,
    serverUrl: options.serverUrl ?? 'https://github.com',
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
      for (const k of ['jti', 'iat', 'nbf', 'exp'] as const) delete jobClaims[k];
      const runBackendId = state.runBackendIdFor(jobClaims);
      const jobBackendId = randomUUID();
      const planId = randomUUID();
      const issued = now();
      // On GitHub ACTIONS_RUNTIME_TOKEN and ACTIONS_ID_TOKEN_REQUEST_TOKEN are the same job access token.
      const runtimeToken = await signJwt(currentKey(), {
        nameid: 'dddddddd-dddd-dddd-dddd-dddddddddddd',
        scp: `Actions.ExampleScope Actions.Results:${runBackendId}:${jobBackendId}`,
        IdentityTypeClaim: 'System:ServiceIdentity',
        ac: JSON.stringify([{ Scope: jobClaims.ref, Permission: 3 }]),
        orchid: `${planId}.${jobBackendId}`,
        iss: 'vstoken.actions.githubusercontent.com',
        aud: `vso:${planId}`,
        nbf: issued - 60,
        exp: issued + 6 * 3600,
      });
      const githubToken = newGitHubToken();
      state.tokens.set(githubToken, { kind: 'github-token', repositories: [jobClaims.repository] });
      const job: JobRegistration = {
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
        ...(jobOptions.issueIdToken === undefined ? {} : { issueIdToken: jobOptions.issueIdToken }),
      };
      state.jobs.set(runtimeToken, job);
      state.runtimeTokens.set(runtimeToken, job);
      return job;
    },
    createToken(grant = {}) {
      const kind = grant.kind ?? 'personal';
      const token = newGitHubToken(kind === 'personal' ? 'ghp_' : 'ghs_');
      state.tokens.set(token, {
        kind,
        ...(grant.repositories === undefined ? {} : { repositories: grant.repositories }),
      });
      return token;
    },
    artifacts: () =>
      state.artifacts
        .filter((a) => a.finalized && !a.deleted)
        .map((a) => ({
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
          expiresAt: a.expiresAt,
        })),
    route: (method, pattern, handler) => router.add(method, pattern, handler),
    close: () => server.close(),
  };
  return standIn;
}
