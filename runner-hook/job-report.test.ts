import { describe, expect, it } from 'vitest';
import { jobReportFromEnv } from './job-report.js';

const ENV = {
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_REPOSITORY_ID: '101',
  GITHUB_REPOSITORY_OWNER: 'acme',
  GITHUB_REPOSITORY_OWNER_ID: '7',
  GITHUB_RUN_ID: '5',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'test',
  GITHUB_REF: 'refs/pull/9/merge',
  GITHUB_SHA: 'abc',
  GITHUB_WORKFLOW: 'CI',
  GITHUB_WORKFLOW_REF: 'acme/shop/.github/workflows/ci.yml@refs/pull/9/merge',
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_ACTOR: 'mallory',
};

const pr = (headRepo: Record<string, unknown>) => ({ pull_request: { number: 9, head: { repo: headRepo } } });

describe('jobReportFromEnv', () => {
  it('tells a pull request from a fork by its head repository', () => {
    const fork = jobReportFromEnv(ENV, pr({ full_name: 'mallory/shop', fork: true }));
    expect(fork).toMatchObject({
      pullRequestFromFork: true,
      pullRequestNumber: 9,
      triggeringActor: 'mallory',
    });
    expect(jobReportFromEnv(ENV, pr({ full_name: 'ACME/shop', fork: false })).pullRequestFromFork).toBe(
      false,
    );
  });

  it('leaves fork status unknown (so the server treats it as a fork) when the payload does not say', () => {
    expect(jobReportFromEnv(ENV, {}).pullRequestFromFork).toBeUndefined();
  });

  it('refuses to run outside the runner, naming the variables that are missing', () => {
    expect(() => jobReportFromEnv({ ...ENV, GITHUB_RUN_ID: '', GITHUB_JOB: undefined }, {})).toThrow(
      /did not set GITHUB_RUN_ID, GITHUB_JOB/,
    );
  });
});
