import { describe, expect, it } from 'vitest';
import type { ApprovalState } from '../approvals.js';
import {
  checkConclusion,
  checkRunName,
  checkRunOutput,
  fenced,
  pullRequestComment,
  replyNotCounted,
} from './render.js';

function approval(overrides: Partial<ApprovalState> = {}): ApprovalState {
  return {
    id: '7f3c1a2b',
    kind: 'step',
    sessionId: 's',
    stepId: 't',
    repository: 'acme/shop',
    runId: '42',
    runAttempt: '2',
    actor: 'octocat',
    title: 'step Deploy',
    body: './deploy.sh --token [MASKED:github-token]',
    digest: 'a'.repeat(64),
    context: { job: 'deploy', sha: 'b'.repeat(40), ref: 'refs/heads/main', workflow: 'Deploy | prod' },
    status: 'pending',
    required: 2,
    reviewers: ['alice', '@acme/sre'],
    allowSelfApproval: false,
    createdAt: '2025-01-01T00:00:00.000Z',
    expiresAt: '2025-01-01T02:00:00.000Z',
    decidedAt: null,
    reason: null,
    votes: [],
    ...overrides,
  };
}

describe('what reviewers read on GitHub', () => {
  it('names the check run after the step and maps each outcome to a conclusion', () => {
    expect(checkRunName(approval())).toBe('guard: approval for Deploy');
    expect(checkRunName(approval({ kind: 'deployment', title: 'deployment to production' }))).toBe(
      'guard: approval for deployment to production',
    );
    expect(
      ['pending', 'approved', 'denied', 'expired'].map((status) =>
        checkConclusion({ status } as ApprovalState),
      ),
    ).toEqual(['action_required', 'success', 'failure', 'timed_out']);
  });

  it('shows identity, masked body, digest and who may approve; a table cell cannot be broken out of', () => {
    const output = checkRunOutput(approval());
    expect(output.title).toBe('Waiting for approval (0 of 2)');
    expect(output.summary).toContain('| run | `42 (attempt 2)` |');
    expect(output.summary).toContain('| workflow | `Deploy \\| prod` |');
    expect(output.summary).toContain('| who may approve | `alice, @acme/sre` |');
    expect(output.summary).toContain(`sha256 \`${'a'.repeat(64)}\``);
    expect(output.summary).toContain('```sh\n./deploy.sh --token [MASKED:github-token]\n```');
  });

  it('fences a body holding backticks with a longer fence', () => {
    expect(fenced('echo ```; echo ````', 'sh')).toBe('`````sh\necho ```; echo ````\n`````');
  });

  it('says who decided, through which channel and when, and drops the commands once decided', () => {
    const decided = approval({
      status: 'denied',
      decidedAt: '2025-01-01T01:00:00.000Z',
      votes: [
        {
          reviewer: 'bob',
          decision: 'deny',
          channel: 'pr-comment',
          comment: 'freeze @everyone <b>',
          at: '2025-01-01T01:00:00.000Z',
        },
      ],
    });
    const comment = pullRequestComment(decided);
    expect(comment).toContain(
      'denied by bob via pr-comment at 2025-01-01T01:00:00.000Z: freeze @\u200beveryone b',
    );
    expect(comment).not.toContain('/guard approve');
    expect(pullRequestComment(approval())).toContain('`/guard deny 7f3c1a2b <reason>`');
  });

  it('replies without the body', () => {
    expect(replyNotCounted('mallory', '7f3c1a2b', 'mallory is not a reviewer')).toBe(
      '@mallory your decision on `7f3c1a2b` did not count: mallory is not a reviewer',
    );
  });
});
