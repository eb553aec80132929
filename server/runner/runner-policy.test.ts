import { describe, expect, it } from 'vitest';
import { policySetFromTexts } from '../../policies/set.js';
import type { JobClaims } from '../../lib/claims.js';
import { claimsFromReport } from './job-claims.js';
import { decideRunnerJob } from './runner-policy.js';

const report = {
  repository: 'acme/shop',
  repositoryId: '101',
  repositoryOwner: 'acme',
  repositoryOwnerId: '7',
  runId: '5',
  runAttempt: '1',
  job: 'deploy',
  ref: 'refs/heads/main',
  refType: 'branch',
  sha: 'abc',
  workflow: 'Deploy',
  workflowRef: 'acme/shop/.github/workflows/deploy.yml@refs/heads/main',
  eventName: 'push',
  actor: 'alice',
  triggeringActor: 'alice',
};
const runner = { name: 'r1', labels: ['self-hosted', 'prod'] };

function setWith(runners: (Record<string, unknown> | undefined)[] | undefined) {
  const texts: Record<string, string> = {
    'org.yml': 'kind: organization\nname: org\nmatch:\n  repository_owner: [acme]\n',
    'shop.yml': 'kind: repository\nname: shop\nmatch:\n  repository: [acme/shop]\n',
  };
  const set = policySetFromTexts(texts);
  set.policies.forEach((p, i) => Object.assign(p, { runners: runners?.[i] }));
  return set;
}

const claims = (overrides: Partial<JobClaims> = {}): JobClaims => ({
  ...claimsFromReport(report, runner),
  ...overrides,
});

describe('decideRunnerJob', () => {
  it('allows a governed job when no policy says anything about runners', () => {
    const verdict = decideRunnerJob(setWith(undefined), claims(), {}, runner);
    expect(verdict).toMatchObject({ action: 'allow', requireGuard: false });
  });

  it('refuses a job no policy governs (default deny), naming the runner', () => {
    const verdict = decideRunnerJob(
      setWith(undefined),
      claims({ repository_owner: 'other', repository: 'other/x' }),
      {},
      runner,
    );
    expect(verdict.action).toBe('refuse');
    expect(verdict.reason).toMatch(/^runner r1 may not run this job: guard: no policy governs/);
  });

  it('takes the strictest answer across every matching policy', () => {
    const set = setWith([{ 'require-guard': true }, { 'job-approval': true, labels: ['prod*'] }]);
    expect(decideRunnerJob(set, claims(), {}, runner)).toMatchObject({
      action: 'require-approval',
      requireGuard: true,
    });
    const elsewhere = decideRunnerJob(set, claims(), {}, { name: 'r2', labels: ['self-hosted', 'dev'] });
    expect(elsewhere.action).toBe('refuse');
    expect(elsewhere.reason).toMatch(/only on runners labelled prod\*, .*this runner has self-hosted, dev/);
  });

  it('matches workflows as globs where * stays within one path segment', () => {
    const set = setWith([{ workflows: ['acme/*/.github/workflows/deploy.yml@refs/heads/*'] }, undefined]);
    expect(decideRunnerJob(set, claims(), {}, runner).action).toBe('allow');
    const other = claims({ workflow_ref: 'acme/shop/.github/workflows/deploy.yml@refs/heads/feature/x' });
    expect(decideRunnerJob(set, other, {}, runner).action).toBe('refuse');
  });

  it('refuses while a runners section is malformed rather than guessing', () => {
    const verdict = decideRunnerJob(setWith([{ labels: 'prod' }, undefined]), claims(), {}, runner);
    expect(verdict.action).toBe('refuse');
    expect(verdict.reason).toMatch(/malformed runners\.labels/);
  });

  it('refuses a pull request from a fork unless the policy allows forks', () => {
    const pr = claims({ event_name: 'pull_request', ref: 'refs/pull/9/merge' });
    expect(decideRunnerJob(setWith(undefined), pr, { pullRequestFromFork: true }, runner).action).toBe(
      'refuse',
    );
    expect(decideRunnerJob(setWith(undefined), pr, { pullRequestFromFork: false }, runner).action).toBe(
      'allow',
    );
  });
});
