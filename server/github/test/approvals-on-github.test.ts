// Reviewers decide on GitHub: the request appears as a check run and a PR comment, and comments, buttons
// and reviews decide it through signed webhooks, with the published example payloads as the base.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../lib/digest.js';
import type { StoredComment } from '../../../stand-ins/github-app/index.js';
import { getApproval } from '../../approvals.js';
import { MARKER } from '../render.js';
import {
  PR,
  REPO,
  buttonPayload,
  commentPayload,
  heldStep,
  inRepository,
  example,
  policy,
  startHarness,
  type Harness,
} from './harness.js';

const SECRET = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';

function guardComments(h: Harness, approvalId: string): StoredComment[] {
  return h.app.state.commentsOn(REPO, PR).filter((c) => c.body.includes(`${MARKER}${approvalId} -->`));
}

function replies(h: Harness, login: string): StoredComment[] {
  return h.app.state
    .commentsOn(REPO, PR)
    .filter((c) => c.userType === 'Bot' && c.body.startsWith(`@${login} `));
}

function checkRunOf(h: Harness, approvalId: string) {
  const run = [...h.app.state.checkRuns.values()].find((r) => r.external_id === approvalId);
  if (!run) throw new Error(`no check run for ${approvalId}`);
  return run;
}

async function send(h: Harness, event: string, payload: unknown) {
  const result = await h.app.deliver(h.webhookUrl, { event, payload });
  await h.ext.settled();
  return result;
}

describe('one approval from the right reviewer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('shows the request as an action_required check run with buttons and a PR comment, masked', async () => {
    const script = `./scripts/deploy.sh --token ${SECRET}`;
    const { approvalId } = await heldStep(h, script);
    const run = checkRunOf(h, approvalId);
    expect(run).toMatchObject({
      name: 'guard: approval for Deploy',
      head_sha: 'd6fde92930d4715a2b49857d24b940956b26d2d3',
      status: 'completed',
      conclusion: 'action_required',
    });
    expect(run.actions.map((a) => a.identifier)).toEqual([`approve:${approvalId}`, `deny:${approvalId}`]);
    expect(run.output.summary).toContain(sha256Hex(script));
    expect(run.output.summary).toContain('./scripts/deploy.sh --token');
    expect(run.output.summary).toContain('alice, bob, octocat, @octo-org/sre');
    const [comment, ...more] = guardComments(h, approvalId);
    expect(more).toEqual([]);
    expect(comment?.body).toContain(`/guard approve ${approvalId}`);
    expect(comment?.body).toContain(`/guard deny ${approvalId} <reason>`);
    // Masked before it is shown anywhere.
    for (const text of [run.output.summary, run.output.text, comment?.body])
      expect(text).not.toContain(SECRET);
    // Installation tokens came from a real JWT exchange.
    expect(
      h.github.requests.some(
        (r) => r.method === 'POST' && /\/app\/installations\/\d+\/access_tokens/.test(r.path),
      ),
    ).toBe(true);
  });

  it('counts an approval commented on the PR and updates the check run and comment in place', async () => {
    const { approvalId, stepId, client } = await heldStep(h);
    const response = await send(
      h,
      'issue_comment',
      await commentPayload(`/GUARD   Approve ${approvalId.toUpperCase()} ship it\nthanks`, 'alice'),
    );
    expect(response.status).toBe(202);
    const state = await getApproval(h.server.ctx, approvalId);
    expect(state.status).toBe('approved');
    expect(state.votes).toMatchObject([
      { reviewer: 'alice', decision: 'approve', channel: 'pr-comment', comment: 'ship it' },
    ]);
    const run = checkRunOf(h, approvalId);
    expect(run).toMatchObject({ conclusion: 'success', actions: [] });
    expect(run.output.title).toMatch(/^approved by alice via pr-comment at /);
    const comments = guardComments(h, approvalId);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.history.length).toBeGreaterThanOrEqual(2);
    expect(comments[0]?.body).toMatch(/approved by alice via pr-comment/);
    expect(comments[0]?.body).not.toContain('/guard approve');
    await expect(client.startStep(stepId, sha256Hex('./scripts/deploy.sh --env prod'))).resolves.toEqual({
      released: true,
    });
    const { rows } = await h.server.ctx.db.query<{ body: Record<string, unknown> }>(
      `select body from events where type = 'github.decision' and body->>'approval' = $1`,
      [approvalId],
    );
    expect(rows[0]?.body).toMatchObject({
      reviewer: 'alice',
      channel: 'pr-comment',
      digest: sha256Hex('./scripts/deploy.sh --env prod'),
      title: 'step Deploy',
    });
  });

  it('tells an unauthorized commenter why it did not count, without quoting the script', async () => {
    const script = `./scripts/deploy.sh --token ${SECRET}`;
    const { approvalId } = await heldStep(h, script);
    await send(h, 'issue_comment', await commentPayload(`/guard approve ${approvalId}`, 'mallory'));
    expect((await getApproval(h.server.ctx, approvalId)).status).toBe('pending');
    const reply = replies(h, 'mallory').at(-1);
    expect(reply?.body).toMatch(/did not count: mallory is not among the reviewers/);
    expect(reply?.body).not.toContain('deploy.sh');
    expect(reply?.body).not.toContain(SECRET);
  });

  it('refuses the actor approving their own step', async () => {
    const { approvalId } = await heldStep(h);
    await send(h, 'issue_comment', await commentPayload(`/guard approve ${approvalId}`, 'octocat'));
    expect((await getApproval(h.server.ctx, approvalId)).status).toBe('pending');
    expect(replies(h, 'octocat').at(-1)?.body).toMatch(/octocat started this run and cannot approve it/);
  });

  it('refuses whoever re-ran the job, too', async () => {
    const { approvalId } = await heldStep(h, './deploy.sh', { actor: 'dave', triggering_actor: 'bob' });
    await send(h, 'issue_comment', await commentPayload(`/guard approve ${approvalId}`, 'bob'));
    expect((await getApproval(h.server.ctx, approvalId)).status).toBe('pending');
    expect(replies(h, 'bob').at(-1)?.body).toMatch(/bob started this run and cannot approve it/);
  });

  it('never approves through an edited comment', async () => {
    const { approvalId } = await heldStep(h);
    const response = await send(
      h,
      'issue_comment',
      await commentPayload(`/guard approve ${approvalId}`, 'alice', 'edited'),
    );
    expect(response.status).toBe(202);
    const state = await getApproval(h.server.ctx, approvalId);
    expect(state).toMatchObject({ status: 'pending', votes: [] });
  });

  it('denies with a reason; the step then fails and GitHub shows who and why', async () => {
    const { approvalId, stepId, client } = await heldStep(h);
    await send(h, 'issue_comment', await commentPayload(`/guard deny ${approvalId}`, 'bob'));
    expect(replies(h, 'bob').at(-1)?.body).toMatch(/needs a reason/);
    await send(
      h,
      'issue_comment',
      await commentPayload(`/guard deny ${approvalId} not during the freeze`, 'bob'),
    );
    const state = await getApproval(h.server.ctx, approvalId);
    expect(state).toMatchObject({ status: 'denied', reason: 'denied by bob: not during the freeze' });
    expect(checkRunOf(h, approvalId)).toMatchObject({ conclusion: 'failure', actions: [] });
    expect(guardComments(h, approvalId)[0]?.body).toMatch(
      /denied by bob via pr-comment at .*: not during the freeze/,
    );
    await expect(client.startStep(stepId, sha256Hex('./scripts/deploy.sh --env prod'))).rejects.toMatchObject(
      { code: 'APPROVAL_DENIED' },
    );
  });

  it('answers an unknown command with what is understood', async () => {
    await send(h, 'issue_comment', await commentPayload('/guard please approve everything', 'alice'));
    const reply = replies(h, 'alice').at(-1);
    expect(reply?.body).toContain("'please' is not a guard command");
    expect(reply?.body).toContain('/guard approve <id> [comment]');
    expect(reply?.body).toContain('/guard deny <id> <reason>');
  });

  it('does not answer comments that are not commands, or its own', async () => {
    const before = h.app.state.comments.size;
    await send(h, 'issue_comment', await commentPayload('LGTM, /guard approve later', 'alice'));
    const own = await commentPayload('/guard nonsense', h.app.botLogin);
    if (own.comment.user) own.comment.user.type = 'Bot';
    own.sender.type = 'Bot';
    await send(h, 'issue_comment', own);
    expect(h.app.state.comments.size).toBe(before);
  });

  it('approves and denies with the check run buttons', async () => {
    const approved = await heldStep(h);
    const run = checkRunOf(h, approved.approvalId);
    await send(
      h,
      'check_run',
      await buttonPayload(`approve:${approved.approvalId}`, 'alice', run.id, h.app.appId),
    );
    expect(await getApproval(h.server.ctx, approved.approvalId)).toMatchObject({
      status: 'approved',
      votes: [{ reviewer: 'alice', channel: 'check-run' }],
    });
    expect(checkRunOf(h, approved.approvalId)).toMatchObject({ conclusion: 'success', actions: [] });

    const denied = await heldStep(h);
    await send(
      h,
      'check_run',
      await buttonPayload(
        `deny:${denied.approvalId}`,
        'carol',
        checkRunOf(h, denied.approvalId).id,
        h.app.appId,
      ),
    );
    // carol counts through the @octo-org/sre team, asked of the API.
    expect(await getApproval(h.server.ctx, denied.approvalId)).toMatchObject({
      status: 'denied',
      votes: [{ reviewer: 'carol', channel: 'check-run', decision: 'deny' }],
    });
    expect(h.github.requests.some((r) => r.path.includes('/orgs/octo-org/teams/sre/memberships/carol'))).toBe(
      true,
    );
  });

  it('refuses a button press from another check run', async () => {
    const { approvalId } = await heldStep(h);
    await send(h, 'check_run', await buttonPayload(`approve:${approvalId}`, 'alice', 1, h.app.appId));
    expect((await getApproval(h.server.ctx, approvalId)).status).toBe('pending');
    expect(replies(h, 'alice').at(-1)?.body).toMatch(/is not the one guard created/);
  });

  it('does not count an approving pull request review unless policy says so', async () => {
    const { approvalId } = await heldStep(h);
    const review = inRepository(await example('pull_request_review.submitted'), 'alice');
    review.review.state = 'approved';
    if (review.review.user) review.review.user.login = 'alice';
    review.pull_request.number = PR;
    review.review.commit_id = review.pull_request.head.sha;
    await send(h, 'pull_request_review', review);
    expect((await getApproval(h.server.ctx, approvalId)).status).toBe('pending');
    expect(replies(h, 'alice').at(-1)?.body).toMatch(
      /policy does not count an approving pull request review/,
    );
  });

  it('expires a pending request after expire-after; the step fails saying so', async () => {
    const { approvalId, stepId, client } = await heldStep(h);
    h.clock.offsetMs = 61 * 60_000;
    try {
      expect(await h.ext.sweepExpired()).toBeGreaterThanOrEqual(1);
      expect(await getApproval(h.server.ctx, approvalId)).toMatchObject({ status: 'expired' });
      expect(checkRunOf(h, approvalId)).toMatchObject({ conclusion: 'timed_out', actions: [] });
      expect(guardComments(h, approvalId)[0]?.body).toMatch(/expired at/);
      await expect(
        client.startStep(stepId, sha256Hex('./scripts/deploy.sh --env prod')),
      ).rejects.toMatchObject({
        code: 'APPROVAL_EXPIRED',
      });
    } finally {
      h.clock.offsetMs = 0;
    }
  });
});

describe('two approvals required', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ policies: { 'octo-deploy.yml': policy({ min: 2 }) } });
  });
  afterAll(async () => h?.close());

  it('needs two different reviewers; one reviewer counts once', async () => {
    const { approvalId } = await heldStep(h);
    await send(h, 'issue_comment', await commentPayload(`/guard approve ${approvalId}`, 'alice'));
    expect(await getApproval(h.server.ctx, approvalId)).toMatchObject({
      status: 'pending',
      votes: [{ reviewer: 'alice' }],
    });
    expect(checkRunOf(h, approvalId).output.title).toBe('Waiting for approval (1 of 2)');
    expect(guardComments(h, approvalId)[0]?.body).toMatch(/1 of 2 \(alice via pr-comment/);
    await send(
      h,
      'check_run',
      await buttonPayload(`approve:${approvalId}`, 'alice', checkRunOf(h, approvalId).id, h.app.appId),
    );
    expect((await getApproval(h.server.ctx, approvalId)).status).toBe('pending');
    expect(replies(h, 'alice').at(-1)?.body).toMatch(/already voted/);
    await send(h, 'issue_comment', await commentPayload(`/guard approve ${approvalId}`, 'bob'));
    const state = await getApproval(h.server.ctx, approvalId);
    expect(state.status).toBe('approved');
    expect(state.votes.map((v) => v.reviewer).sort()).toEqual(['alice', 'bob']);
    expect(checkRunOf(h, approvalId).conclusion).toBe('success');
  });
});
