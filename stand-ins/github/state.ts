// The stand-in's in-memory world: registered jobs, their tokens, blobs and artifacts. Route handlers
// share one instance; later routes (checks, comments, teams...) add their own maps beside these.
import { randomBytes, randomUUID } from 'node:crypto';
import type { JobClaims } from '../../lib/claims.js';
import type { ClaimOverrides } from './claims.js';

export interface JobRegistration {
  /** The job's claims as its ID tokens carry them (without per-token iat/exp/jti/aud). */
  claims: JobClaims;
  /** Overrides applied to every ID token this job requests (on top of the stand-in defaults). */
  overrides: ClaimOverrides;
  /** ACTIONS_ID_TOKEN_REQUEST_URL: already has `?api-version=2.0`; core appends `&audience=`. */
  idTokenRequestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  idTokenRequestToken: string;
  /** ACTIONS_RUNTIME_TOKEN: a JWT whose `scp` names the results backend ids. */
  runtimeToken: string;
  /** ACTIONS_RESULTS_URL. */
  resultsUrl: string;
  /** The job's `github.token` (GITHUB_TOKEN), accepted by the REST routes for this repository. */
  githubToken: string;
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
  /** Replaces the ID token the runner endpoint returns, for hostile tests (tokens a server must refuse). */
  issueIdToken?: (claims: JobClaims) => string | Promise<string>;
  /** How many ID tokens this job has been issued. */
  idTokensIssued: number;
}

export interface TokenGrant {
  /** Repositories (owner/name, case-insensitive) the token may read; undefined means any. */
  repositories?: string[];
  kind: 'github-token' | 'personal' | 'installation';
}

export interface StoredBlob {
  /** Staged, uncommitted blocks by base64 block id. */
  blocks: Map<string, Buffer>;
  committed?: Buffer;
  contentType?: string;
  etag?: string;
  lastModified?: Date;
}

export interface SasGrant {
  blobPath: string;
  permissions: string;
  expiresAt: Date;
  contentDisposition?: string;
  contentType?: string;
}

export interface StoredArtifact {
  id: number;
  name: string;
  size: number;
  /** `sha256:<hex>` of the zip as stored. */
  digest: string;
  zip: Buffer;
  runBackendId: string;
  jobBackendId: string;
  repository: string;
  repositoryId: string;
  runId: string;
  runAttempt: string;
  headBranch: string;
  headSha: string;
  visibility: string;
  blobPath: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  /** Created, blob not finalized yet: invisible to list/download, like GitHub. */
  finalized: boolean;
  deleted: boolean;
  contentType: string;
}

export class GitHubState {
  readonly jobs = new Map<string, JobRegistration>(); // by idTokenRequestToken
  readonly runtimeTokens = new Map<string, JobRegistration>();
  readonly tokens = new Map<string, TokenGrant>();
  readonly blobs = new Map<string, StoredBlob>();
  readonly sas = new Map<string, SasGrant>(); // by sig
  readonly artifacts: StoredArtifact[] = [];
  readonly #runBackendIds = new Map<string, string>();
  #nextArtifactId = 1_843_000_001;

  runBackendIdFor(claims: JobClaims): string {
    const key = `${claims.repository_id}/${claims.run_id}/${claims.run_attempt}`;
    let id = this.#runBackendIds.get(key);
    if (id === undefined) {
      id = randomUUID();
      this.#runBackendIds.set(key, id);
    }
    return id;
  }

  nextArtifactId(): number {
    return this.#nextArtifactId++;
  }
}

/** A token in GitHub's format for installation (and GITHUB_TOKEN) tokens: `ghs_` + 36 base62 characters. */
export function newGitHubToken(prefix = 'ghs_'): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(36);
  let out = prefix;
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
