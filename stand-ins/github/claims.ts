// The default claim set of a GitHub Actions OIDC token, modelled on the example token in GitHub's docs
// ("OpenID Connect reference"), with derived claims (sub, owner, workflow refs) following GitHub's rules so
// an override of `repository` or `environment` yields a self-consistent token. Pure: no I/O, no clock.
import type { JobClaims } from '../../lib/claims.js';

/** The claims a test usually changes; everything else is derived from these unless overridden too. */
export const DEFAULT_CLAIMS = {
  repository: 'octo-org/octo-repo',
  repository_id: '892345671',
  repository_owner: 'octo-org',
  repository_owner_id: '65432198',
  repository_visibility: 'private',
  run_id: '10984327651',
  run_number: '42',
  run_attempt: '1',
  ref: 'refs/heads/main',
  ref_type: 'branch',
  ref_protected: 'true',
  sha: 'd6fde92930d4715a2b49857d24b940956b26d2d3',
  actor: 'octocat',
  actor_id: '583231',
  triggering_actor: 'octocat',
  workflow: 'Deploy',
  event_name: 'push',
  environment: 'prod',
  head_ref: '',
  base_ref: '',
  runner_environment: 'github-hosted',
} as const satisfies Partial<JobClaims>;

/** The workflow file GitHub would name in `workflow_ref` / `job_workflow_ref`. */
export const DEFAULT_WORKFLOW_PATH = '.github/workflows/deploy.yml';

/**
 * Overrides for a claim set. A key set to `undefined` removes that claim (e.g. `{ environment: undefined }`
 * for a job without an environment, whose `sub` then names the ref as GitHub does).
 */
export type ClaimOverrides = { [K in keyof JobClaims]?: JobClaims[K] | undefined };

export interface ClaimTiming {
  /** Seconds since the epoch. */
  now: number;
  /** Lifetime after `iat`, seconds. */
  lifetimeSeconds: number;
  /** How long before `iat` the token is already valid (GitHub back-dates `nbf` for clock skew), seconds. */
  notBeforeSkewSeconds: number;
}

/**
 * Builds a full claim set: `base` (stand-in defaults) then `overrides`, then fills the derived claims the
 * overrides did not set. `jti` is fresh per token; `iss` is the issuer; `aud` defaults to the owner's URL.
 */
export function buildClaims(
  issuer: string,
  base: ClaimOverrides,
  overrides: ClaimOverrides,
  timing: ClaimTiming,
  jti: string,
): JobClaims {
  const explicit = new Set(Object.keys(overrides).filter((k) => overrides[k] !== undefined));
  const merged: Record<string, unknown> = { ...DEFAULT_CLAIMS, ...base, ...overrides };
  const baseExplicit = new Set(Object.keys(base).filter((k) => base[k] !== undefined));
  const isSet = (k: string): boolean => explicit.has(k) || baseExplicit.has(k);

  const repository = String(merged['repository']);
  if (!isSet('repository_owner')) merged['repository_owner'] = repository.split('/')[0] ?? repository;
  const owner = String(merged['repository_owner']);
  const ref = String(merged['ref']);
  const sha = String(merged['sha']);
  const workflowRef = `${repository}/${DEFAULT_WORKFLOW_PATH}@${ref}`;
  if (!isSet('workflow_ref')) merged['workflow_ref'] = workflowRef;
  if (!isSet('job_workflow_ref')) merged['job_workflow_ref'] = merged['workflow_ref'];
  if (!isSet('workflow_sha')) merged['workflow_sha'] = sha;
  if (!isSet('job_workflow_sha')) merged['job_workflow_sha'] = merged['workflow_sha'];
  if (!isSet('ref_type')) merged['ref_type'] = ref.startsWith('refs/tags/') ? 'tag' : 'branch';
  if (!isSet('triggering_actor')) merged['triggering_actor'] = merged['actor'];
  if (!isSet('sub')) merged['sub'] = subjectFor(merged);
  if (!isSet('aud')) merged['aud'] = `https://github.com/${owner}`;
  if (!isSet('jti')) merged['jti'] = jti;
  if (!isSet('iss')) merged['iss'] = issuer;
  if (!isSet('iat')) merged['iat'] = timing.now;
  const iat = Number(merged['iat']);
  if (!isSet('nbf')) merged['nbf'] = iat - timing.notBeforeSkewSeconds;
  if (!isSet('exp')) merged['exp'] = iat + timing.lifetimeSeconds;

  // A claim set to undefined at the last level that mentions it is removed, as a job without it has none.
  for (const [k, v] of Object.entries(base))
    if (v === undefined && overrides[k] === undefined) delete merged[k];
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete merged[k];
  return merged as JobClaims;
}

/** GitHub's default subject: environment beats pull_request beats ref. */
export function subjectFor(claims: Record<string, unknown>): string {
  const repo = `repo:${String(claims['repository'])}`;
  const environment = claims['environment'];
  if (typeof environment === 'string' && environment !== '') return `${repo}:environment:${environment}`;
  const event = claims['event_name'];
  if (event === 'pull_request' || event === 'pull_request_target') return `${repo}:pull_request`;
  return `${repo}:ref:${String(claims['ref'])}`;
}
