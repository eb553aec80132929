// Claims of realistic jobs for policy tests: GitHub's claim names and value shapes.
import type { JobClaims } from '../../lib/claims.js';

export function claims(overrides: Partial<JobClaims> = {}): JobClaims {
  return {
    iss: 'https://token.actions.githubusercontent.com',
    aud: 'guard',
    sub: 'repo:acme/shop:environment:production',
    repository: 'acme/shop',
    repository_id: '100200300',
    repository_owner: 'acme',
    repository_owner_id: '4000',
    run_id: '9000000001',
    run_attempt: '1',
    ref: 'refs/heads/main',
    ref_type: 'branch',
    sha: 'a'.repeat(40),
    actor: 'carol',
    workflow: 'Deploy',
    workflow_ref: 'acme/shop/.github/workflows/deploy.yml@refs/heads/main',
    job_workflow_ref: 'acme/shop/.github/workflows/deploy.yml@refs/heads/main',
    event_name: 'push',
    environment: 'production',
    runner_environment: 'github-hosted',
    ...overrides,
  };
}
