// The environment the runner gives every step of a job, derived from the same claims the job's OIDC token
// carries so `GITHUB_RUN_ID`, `GITHUB_SHA`... and the token always agree. Pure.
import type { JobClaims } from '../../lib/claims.js';

export interface JobLayout {
  workspace: string;
  temp: string;
  toolCache: string;
  eventPath: string;
}

export interface JobEndpoints {
  serverUrl: string;
  apiUrl: string;
  idTokenRequestUrl?: string;
  idTokenRequestToken?: string;
  runtimeToken: string;
  resultsUrl: string;
}

export function refName(ref: string): string {
  return ref.replace(/^refs\/(heads|tags|pull)\//, '');
}

export function runnerEnvironment(
  claims: JobClaims,
  layout: JobLayout,
  endpoints: JobEndpoints,
  jobId: string,
  debug: boolean,
): Record<string, string> {
  const env: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_RUN_ID: claims.run_id,
    GITHUB_RUN_ATTEMPT: claims.run_attempt,
    GITHUB_RUN_NUMBER: claims.run_number ?? '1',
    GITHUB_JOB: jobId,
    GITHUB_REPOSITORY: claims.repository,
    GITHUB_REPOSITORY_ID: claims.repository_id,
    GITHUB_REPOSITORY_OWNER: claims.repository_owner,
    GITHUB_REPOSITORY_OWNER_ID: claims.repository_owner_id,
    GITHUB_SHA: claims.sha,
    GITHUB_REF: claims.ref,
    GITHUB_REF_NAME: refName(claims.ref),
    GITHUB_REF_TYPE: claims.ref_type ?? 'branch',
    GITHUB_REF_PROTECTED: claims.ref_protected ?? 'false',
    GITHUB_HEAD_REF: claims.head_ref ?? '',
    GITHUB_BASE_REF: claims.base_ref ?? '',
    GITHUB_WORKFLOW: claims.workflow,
    GITHUB_WORKFLOW_REF: claims.workflow_ref ?? '',
    GITHUB_WORKFLOW_SHA: claims.workflow_sha ?? claims.sha,
    GITHUB_ACTOR: claims.actor,
    GITHUB_ACTOR_ID: claims.actor_id ?? '',
    GITHUB_TRIGGERING_ACTOR: claims.triggering_actor ?? claims.actor,
    GITHUB_EVENT_NAME: claims.event_name,
    GITHUB_EVENT_PATH: layout.eventPath,
    GITHUB_SERVER_URL: endpoints.serverUrl,
    GITHUB_API_URL: endpoints.apiUrl,
    GITHUB_GRAPHQL_URL: `${endpoints.apiUrl}/graphql`,
    GITHUB_WORKSPACE: layout.workspace,
    GITHUB_RETENTION_DAYS: '90',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'GitHub Actions 1000000001',
    RUNNER_ENVIRONMENT: claims.runner_environment ?? 'github-hosted',
    RUNNER_TEMP: layout.temp,
    RUNNER_TOOL_CACHE: layout.toolCache,
    ACTIONS_RUNTIME_TOKEN: endpoints.runtimeToken,
    ACTIONS_RESULTS_URL: endpoints.resultsUrl,
  };
  // Only present when the workflow grants `permissions: id-token: write`.
  if (endpoints.idTokenRequestUrl !== undefined && endpoints.idTokenRequestToken !== undefined) {
    env['ACTIONS_ID_TOKEN_REQUEST_URL'] = endpoints.idTokenRequestUrl;
    env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] = endpoints.idTokenRequestToken;
  }
  if (debug) {
    env['RUNNER_DEBUG'] = '1';
    env['ACTIONS_STEP_DEBUG'] = 'true';
  }
  return env;
}

/** The `github` expression context for action.yml defaults (`${{ github.token }}` and friends). */
export function githubContext(
  claims: JobClaims,
  env: Record<string, string>,
  token: string,
): Record<string, unknown> {
  return {
    token,
    repository: claims.repository,
    repository_id: claims.repository_id,
    repository_owner: claims.repository_owner,
    repository_owner_id: claims.repository_owner_id,
    run_id: claims.run_id,
    run_attempt: claims.run_attempt,
    run_number: claims.run_number ?? '1',
    sha: claims.sha,
    ref: claims.ref,
    ref_name: refName(claims.ref),
    ref_type: claims.ref_type ?? 'branch',
    head_ref: claims.head_ref ?? '',
    base_ref: claims.base_ref ?? '',
    actor: claims.actor,
    actor_id: claims.actor_id ?? '',
    triggering_actor: claims.triggering_actor ?? claims.actor,
    workflow: claims.workflow,
    workflow_ref: claims.workflow_ref ?? '',
    event_name: claims.event_name,
    event_path: env['GITHUB_EVENT_PATH'],
    job: env['GITHUB_JOB'],
    server_url: env['GITHUB_SERVER_URL'],
    api_url: env['GITHUB_API_URL'],
    graphql_url: env['GITHUB_GRAPHQL_URL'],
    workspace: env['GITHUB_WORKSPACE'],
    retention_days: env['GITHUB_RETENTION_DAYS'],
  };
}

const HOST_ONLY = /^(GITHUB_|RUNNER_|ACTIONS_|INPUT_|STATE_|VITEST)/;

/** The host environment minus anything a real runner would set itself (so CI's own vars never leak in). */
export function hostEnvironment(source: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) {
    if (v === undefined || HOST_ONLY.test(k) || k === 'CI') continue;
    env[k] = v;
  }
  return env;
}
