// The webhook endpoint trusts nothing it cannot verify: a bad signature is 401 and changes nothing, a
// replayed delivery is not processed twice (even under a new id), and secret rotation accepts the old and
// the new secret until the old one is removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhooks } from '@octokit/webhooks';
import { getApproval } from '../../approvals.js';
import { commentPayload, heldStep, startHarness, type Harness } from './harness.js';

async function votesOf(h: Harness, id: string) {
  return (await getApproval(h.server.ctx, id)).votes;
}

describe('webhook signatures and replays', () => {
  let h: Harness;
  beforeAll(async () => {
    // Rotation in progress: the new secret first, the old one still accepted.
    h = await startHarness({ secrets: 'next-secret, current-secret' });
  });
  afterAll(async () => h?.close());

  it('answers 401 to a bad signature and changes nothing', async () => {
    const { approvalId } = await heldStep(h);
    const payload = await commentPayload(`/guard approve ${approvalId}`, 'alice');
    const forged = await h.app.deliver(h.webhookUrl, {
      event: 'issue_comment',
      payload,
      secret: 'guessed-secret',
    });
    const missing = await h.app.deliver(h.webhookUrl, { event: 'issue_comment', payload, signature: '' });
    // Right signature, different bytes: the approver was swapped after signing.
    const body = JSON.stringify(payload);
    const signature = await new Webhooks({ secret: 'current-secret' }).sign(body);
    const tampered = await h.app.deliver(h.webhookUrl, {
      event: 'issue_comment',
      payload,
      signature,
      rawBody: body.replace('"login":"alice"', '"login":"bob"'),
    });
    await h.ext.settled();
    for (const result of [forged, missing, tampered]) {
      expect(result.status).toBe(401);
      expect(result.body).toMatchObject({ error: { code: 'WEBHOOK_SIGNATURE_INVALID' } });
      expect(JSON.stringify(result.body)).not.toContain(approvalId);
    }
    expect(await votesOf(h, approvalId)).toEqual([]);
    const { rows } = await h.server.ctx.db.query<{ n: number }>(
      `select count(*)::int as n from events where type = 'security.refused' and body->>'code' = 'WEBHOOK_SIGNATURE_INVALID'`,
    );
    expect(rows[0]?.n).toBe(3);
    const deliveries = await h.server.ctx.db.query(
      `select 1 from github_deliveries where delivery_id = any($1)`,
      [[forged.deliveryId, missing.deliveryId, tampered.deliveryId]],
    );
    expect(deliveries.rowCount).toBe(0);
  });

  it('accepts the old secret during rotation, and the new one', async () => {
    const { approvalId } = await heldStep(h);
    const old = await h.app.deliver(h.webhookUrl, {
      event: 'issue_comment',
      payload: await commentPayload(`/guard approve ${approvalId}`, 'alice'),
      secret: 'current-secret',
    });
    expect(old.status).toBe(202);
    await h.ext.settled();
    expect((await getApproval(h.server.ctx, approvalId)).status).toBe('approved');
    expect(h.logs.some((line) => line.includes('older secret'))).toBe(true);

    const next = await heldStep(h);
    const fresh = await h.app.deliver(h.webhookUrl, {
      event: 'issue_comment',
      payload: await commentPayload(`/guard approve ${next.approvalId}`, 'alice'),
      secret: 'next-secret',
    });
    expect(fresh.status).toBe(202);
    await h.ext.settled();
    expect((await getApproval(h.server.ctx, next.approvalId)).status).toBe('approved');
  });

  it('does not process a replayed delivery, under its own id or a new one', async () => {
    const { approvalId } = await heldStep(h);
    const payload = await commentPayload(`/guard approve ${approvalId} first`, 'alice');
    const first = await h.app.deliver(h.webhookUrl, { event: 'issue_comment', payload });
    await h.ext.settled();
    const sameId = await h.app.deliver(h.webhookUrl, {
      event: 'issue_comment',
      payload,
      deliveryId: first.deliveryId,
    });
    const newId = await h.app.deliver(h.webhookUrl, { event: 'issue_comment', payload });
    await h.ext.settled();
    expect(first.status).toBe(202);
    for (const replay of [sameId, newId])
      expect(replay).toMatchObject({ status: 200, body: { duplicate: true } });
    expect(await votesOf(h, approvalId)).toHaveLength(1);
    // No "already voted" reply either: the replay never reached the handlers.
    expect(
      h.app.state.commentsOn('octo-org/octo-repo', 7).filter((c) => c.body.includes('already voted')),
    ).toEqual([]);
  });

  it('answers within the 10 s budget while GitHub is slow, and finishes in the background', async () => {
    const { approvalId } = await heldStep(h);
    // The API takes 4 s per call now; the webhook answer must not wait for it.
    h.github.route('POST', '/repos/:owner/:repo/issues/:number/comments', async () => {
      await new Promise((resolve) => setTimeout(resolve, 4000));
      return { status: 201, body: { id: 1, body: '', user: { login: 'guard[bot]', type: 'Bot' } } };
    });
    const started = Date.now();
    const answer = await h.app.deliver(h.webhookUrl, {
      event: 'issue_comment',
      payload: await commentPayload(`/guard approve ${approvalId}`, 'mallory'),
    });
    expect(answer.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(2500);
    await h.ext.settled();
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
    const { rows } = await h.server.ctx.db.query<{ outcome: string }>(
      'select outcome from github_deliveries where delivery_id = $1',
      [answer.deliveryId],
    );
    expect(rows[0]?.outcome).toMatch(/^not counted: mallory is not among the reviewers/);
  });

  it('acknowledges ping and events it does not handle without acting', async () => {
    expect(
      (await h.app.deliver(h.webhookUrl, { event: 'ping', payload: { zen: 'Keep it logically awesome.' } }))
        .status,
    ).toBe(200);
    expect(
      (await h.app.deliver(h.webhookUrl, { event: 'star', payload: { action: 'created' } })).status,
    ).toBe(202);
  });
});

describe('without GitHub App settings', () => {
  it('installs nothing and says so in one line', async () => {
    const { startServer } = await import('../../start-server.js');
    const { createGitHubExtension } = await import('../extension.js');
    const logs: string[] = [];
    const server = await startServer(
      {
        host: '127.0.0.1',
        port: 0,
        issuers: ['http://127.0.0.1:1'],
        audience: 'guard',
        sessionTtlSec: 60,
        maxWaitSec: 5,
      },
      {
        log: (line) => logs.push(line),
        policies: { policies: [] },
        extensions: [createGitHubExtension()],
        env: {},
      },
    );
    try {
      expect(logs.filter((line) => line.includes('GitHub App'))).toEqual([
        'GitHub App not configured (GUARD_GITHUB_APP_ID unset); approvals are not shown on GitHub',
      ]);
      expect(server.ctx.reviewerDirectory).toBeUndefined();
      const response = await fetch(`${server.url}/v1/github/webhooks`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
