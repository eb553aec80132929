import { describe, expect, it } from 'vitest';
import type { QueueItem } from './queue.js';
import { queueView } from './queue-view.js';

const EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'';

function item(overrides: Partial<QueueItem> = {}): QueueItem {
  return {
    id: '0a1b2c3d',
    kind: 'step',
    title: 'step Deploy',
    repository: 'octo-org/octo-repo',
    runId: '42',
    runAttempt: '1',
    job: 'deploy',
    workflow: 'CD',
    ref: 'refs/heads/main',
    sha: 'd6fde92930d4715a2b49857d24b940956b26d2d3',
    database: null,
    actor: 'octocat',
    body: './deploy.sh',
    digest: 'f'.repeat(64),
    reason: 'policy octo-deploy requires approval',
    required: 2,
    votes: [],
    createdAt: '2026-01-01T10:00:00.000Z',
    expiresAt: '2026-01-01T11:00:00.000Z',
    yourVote: null,
    selfStarted: false,
    ...overrides,
  };
}

describe('queue view', () => {
  it('escapes every field an attacker can influence', () => {
    const hostile = item({
      title: EVIL,
      repository: EVIL,
      job: EVIL,
      workflow: EVIL,
      ref: EVIL,
      sha: EVIL,
      database: EVIL,
      actor: EVIL,
      body: EVIL,
      reason: EVIL,
      votes: [
        { reviewer: EVIL, decision: 'approve', channel: EVIL, comment: EVIL, at: '2026-01-01T10:01:00.000Z' },
      ],
    });
    const out = queueView([hostile], new Date('2026-01-01T10:30:00.000Z')).toString();
    expect(out).not.toMatch(/<script|<img|onerror=alert\(2\)>/);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('says what waits, how many approvals stand, and when it lapses', () => {
    const out = queueView(
      [
        item({
          votes: [
            {
              reviewer: 'bob',
              decision: 'approve',
              channel: 'api',
              comment: null,
              at: '2026-01-01T10:01:00.000Z',
            },
          ],
        }),
      ],
      new Date('2026-01-01T10:50:30.000Z'),
    ).toString();
    expect(out).toContain('1 request waits for your decision.');
    expect(out).toContain('Approvals: 1 of 2');
    expect(out).toMatch(/class="expires soon"[^>]*>\s*expires in 9 min · 2026-01-01 11:00 UTC/);
    expect(queueView([], new Date()).toString()).toContain('Nothing waits for you right now.');
  });

  it('offers no buttons once the reviewer has voted, and warns the one who started the run', () => {
    expect(queueView([item({ yourVote: 'approve' })], new Date()).toString()).not.toContain('data-decision');
    const own = queueView([item({ selfStarted: true })], new Date()).toString();
    expect(own).toContain('You started this run');
    expect(own).toContain('data-decision="approve"');
  });
});
