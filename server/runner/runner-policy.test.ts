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

/** The org and shop policies, each with an optional `runners:` section written as YAML lines. */
function setWith(runners: (string | undefined)[] | undefined) {
  const section = (i: number) => (runners?.[i] ? `runners:\n${runners[i]}` : '');
  return policySetFromTexts({
    'org.yml': `kind: organization\nname: org\nmatch:\n  repository_owner: [acme]\n${section(0)}`,
    'shop.yml': `kind: repository\nname: shop\nmatch:\n  repository: [acme/shop]\n${section(1)}`,
  });
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
    const set = setWith(['  require-guard: true\n', "  job-approval: true\n  labels: ['prod*']\n"]);
    expect(decideRunnerJob(set, claims(), {}, runner)).toMatchObject({
      action: 'require-approval',
      reason: 'policy shop requires approval before a job starts on a self-hosted runner',
      requireGuard: true,
    });
    const elsewhere = decideRunnerJob(set, claims(), {}, { name: 'r2', labels: ['self-hosted', 'dev'] });
    expect(elsewhere.action).toBe('refuse');
    expect(elsewhere.reason).toMatch(/only on runners labelled prod\*, .*this runner has self-hosted, dev/);
  });

  it('matches workflows as globs where * stays within one path segment', () => {
    const set = setWith(["  workflows: ['acme/*/.github/workflows/deploy.yml@refs/heads/*']\n", undefined]);
    expect(decideRunnerJob(set, claims(), {}, runner).action).toBe('allow');
    const other = claims({ workflow_ref: 'acme/shop/.github/workflows/deploy.yml@refs/heads/feature/x' });
    expect(decideRunnerJob(set, other, {}, runner).action).toBe('refuse');
  });

  it('refuses while a runners section is malformed rather than guessing', () => {
    // Written as YAML, a malformed section never loads: the server does not start with it.
    expect(() => setWith(['  labels: []\n', undefined])).toThrow(/runners\.labels/);
    // A policy object built some other way is refused at decision time instead.
    const set = setWith(undefined);
    const org = set.policies.find((p) => p.name === 'org');
    if (!org) throw new Error('the org policy did not load');
    Object.assign(org, { runners: { labels: 'prod' } });
    const verdict = decideRunnerJob(set, claims(), {}, runner);
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
