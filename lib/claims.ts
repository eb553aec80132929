// The claims of a GitHub Actions OIDC token that guard binds to. Names are GitHub's, unchanged, so a
// policy author can copy them from GitHub's docs. Everything guard records carries these.

export interface JobClaims {
  iss: string;
  aud: string | string[];
  sub: string;
  jti?: string;
  iat?: number;
  nbf?: number;
  exp?: number;
  repository: string;
  repository_id: string;
  repository_owner: string;
  repository_owner_id: string;
  repository_visibility?: string;
  run_id: string;
  run_attempt: string;
  run_number?: string;
  ref: string;
  ref_type?: string;
  ref_protected?: string;
  sha: string;
  actor: string;
  actor_id?: string;
  triggering_actor?: string;
  workflow: string;
  workflow_ref?: string;
  workflow_sha?: string;
  job_workflow_ref?: string;
  job_workflow_sha?: string;
  event_name: string;
  environment?: string;
  environment_node_id?: string;
  head_ref?: string;
  base_ref?: string;
  runner_environment?: string;
  check_run_id?: string;
  [claim: string]: unknown;
}

/** The claims every policy decision and every recorded event needs; a token missing one is refused. */
export const REQUIRED_CLAIMS = [
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'run_id',
  'run_attempt',
  'ref',
  'sha',
  'actor',
  'workflow',
  'event_name',
] as const satisfies readonly (keyof JobClaims)[];
