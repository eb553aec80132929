// The job-level gate: GitHub asks guard (deployment_protection_rule) before a deploy job gets a runner;
// reviewers decide the same way as for a step, and guard answers GitHub's callback.
//
// @octokit/webhooks-examples 7.6 has no deployment_protection_rule example, so the payload is built from
// its `deployment` example (deployment, repository, sender) plus the fields GitHub documents for the event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MANIFEST_VERSION,
  parseManifest,
  serialiseManifest,
  type DeploymentRecord,
} from '../../../audit/manifest.js';
import { GuardServerClient } from '../../../client/server-api.js';
import type { JobClaims } from '../../../lib/claims.js';
import { getApproval } from '../../approvals.js';
import { compareManifest } from '../../audit/manifest-check.js';
import { deploymentRecord } from '../../deployment-link.js';
import {
  type Payload,
  HEAD_SHA,
  INSTALLATION_ID,
  PR,
  REPO,
  buttonPayload,
  commentPayload,
  example,
  inRepository,
  startHarness,
  type Harness,
} from './harness.js';

let nextRun = 30_433_642_000;

async function protectionRule(
  h: Harness,
  options: { environment?: string; creator?: string; callbackBase?: string } = {},
): Promise<{ payload: Payload<'deployment_protection_rule.requested'>; runId: string }> {
  const base = await example('deployment.created');
  const environment = options.environment ?? 'production';
  const creator = options.creator ?? 'octocat';
  Object.assign(base.deployment, { sha: HEAD_SHA, ref: `refs/pull/${PR}/merge`, environment });
  if (base.deployment.creator) base.deployment.creator.login = creator;
  const runId = nextRun++;
  const payload = inRepository(
    {
      action: 'requested',
      environment,
      event: 'pull_request',
      deployment_callback_url: `${options.callbackBase ?? h.github.apiUrl}/repos/${REPO}/actions/runs/${runId}/deployment_protection_rule`,
      deployment: base.deployment,
      pull_requests: [{ number: PR, id: 1, url: `https://api.github.com/repos/${REPO}/pulls/${PR}` }],
      repository: base.repository,
      sender: base.sender,
    } as unknown as Payload<'deployment_protection_rule.requested'>,
    creator,
  );
  return { payload, runId: String(runId) };
}

async function deploymentApproval(h: Harness, runId: string) {
  const { rows } = await h.server.ctx.db.query<{ id: string }>(
    `select id from approvals where kind = 'deployment' and run_id = $1`,
    [runId],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error(`no deployment approval for run ${runId}`);
  return getApproval(h.server.ctx, id);
}

describe('deployment protection rule', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  async function request(options: Parameters<typeof protectionRule>[1] = {}) {
    const { payload, runId } = await protectionRule(h, options);
    const answer = await h.app.deliver(h.webhookUrl, { event: 'deployment_protection_rule', payload });
    expect(answer.status).toBe(202);
    await h.ext.settled();
    return runId;
  }

  it('holds the deployment until a reviewer approves, then approves it on GitHub', async () => {
    const runId = await request();
    const approval = await deploymentApproval(h, runId);
    expect(approval).toMatchObject({
      kind: 'deployment',
      status: 'pending',
      title: 'deployment to production',
      actor: 'octocat',
      reviewers: ['alice', 'bob', 'octocat', '@octo-org/sre'],
      context: { environment: 'production', installation_id: INSTALLATION_ID, pr_number: PR },
    });
    expect(h.app.state.deploymentReviews.filter((r) => r.runId === runId)).toEqual([]);
    const run = [...h.app.state.checkRuns.values()].find((r) => r.external_id === approval.id);
    expect(run).toMatchObject({
      name: 'guard: approval for deployment to production',
      conclusion: 'action_required',
    });

    // The creator of the deployment cannot approve it.
    await h.app.deliver(h.webhookUrl, {
      event: 'issue_comment',
      payload: await commentPayload(`/guard approve ${approval.id}`, 'octocat'),
    });
    await h.ext.settled();
    expect((await getApproval(h.server.ctx, approval.id)).status).toBe('pending');

    await h.app.deliver(h.webhookUrl, {
      event: 'check_run',
      payload: await buttonPayload(`approve:${approval.id}`, 'carol', run!.id, h.app.appId),
    });
    await h.ext.settled();
    expect((await getApproval(h.server.ctx, approval.id)).status).toBe('approved');
    expect(h.app.state.deploymentReviews.filter((r) => r.runId === runId)).toMatchObject([
      { repository: REPO, environment_name: 'production', state: 'approved', installation: INSTALLATION_ID },
    ]);
    expect(h.app.state.deploymentReviews.find((r) => r.runId === runId)?.comment).toMatch(
      /approved by carol via check-run/,
    );
  });

  it('rejects it on GitHub when a reviewer denies, with the reason', async () => {
    const runId = await request({ environment: 'staging' });
    const approval = await deploymentApproval(h, runId);
    await h.app.deliver(h.webhookUrl, {
      event: 'issue_comment',
      payload: await commentPayload(`/guard deny ${approval.id} wrong build`, 'alice'),
    });
    await h.ext.settled();
    expect(h.app.state.deploymentReviews.filter((r) => r.runId === runId)).toMatchObject([
      { environment_name: 'staging', state: 'rejected' },
    ]);
    expect(h.app.state.deploymentReviews.find((r) => r.runId === runId)?.comment).toMatch(
      /denied by alice via pr-comment .*: wrong build/,
    );
  });

  it('rejects it when the request expires', async () => {
    const runId = await request();
    h.clock.offsetMs = 2 * 3600_000;
    try {
      await h.ext.sweepExpired();
    } finally {
      h.clock.offsetMs = 0;
    }
    expect((await deploymentApproval(h, runId)).status).toBe('expired');
    expect(h.app.state.deploymentReviews.filter((r) => r.runId === runId)).toMatchObject([
      { state: 'rejected' },
    ]);
  });

  it('rejects at once a deployment no policy governs (default deny)', async () => {
    const { payload, runId } = await protectionRule(h);
    Object.assign(payload.repository, { full_name: 'octo-org/other', name: 'other' });
    payload.deployment_callback_url = `${h.github.apiUrl}/repos/octo-org/other/actions/runs/${runId}/deployment_protection_rule`;
    h.app.install({
      id: 27,
      account: 'octo-org',
      accountType: 'Organization',
      repositories: ['octo-org/other'],
    });
    payload.installation = { id: 27, node_id: 'x' };
    await h.app.deliver(h.webhookUrl, { event: 'deployment_protection_rule', payload });
    await h.ext.settled();
    const review = h.app.state.deploymentReviews.find((r) => r.runId === runId);
    expect(review).toMatchObject({ repository: 'octo-org/other', state: 'rejected' });
    expect(review?.comment).toMatch(/no policy governs/);
  });

  it('never sends the installation token to a callback URL off the configured API', async () => {
    const before = h.github.requests.length;
    const { payload } = await protectionRule(h, { callbackBase: 'https://attacker.example' });
    const answer = await h.app.deliver(h.webhookUrl, { event: 'deployment_protection_rule', payload });
    await h.ext.settled();
    expect(answer.status).toBe(202);
    expect(
      h.github.requests.slice(before).filter((r) => r.path.includes('deployment_protection_rule')),
    ).toEqual([]);
    const { rows } = await h.server.ctx.db.query<{ outcome: string }>(
      'select outcome from github_deliveries where delivery_id = $1',
      [answer.deliveryId],
    );
    expect(rows[0]?.outcome).toMatch(/^refused: the callback URL/);
  });

  it('puts the approval into the evidence of the job it let start, and the server signs only a manifest that has it', async () => {
    const runId = await request();
    const approval = await deploymentApproval(h, runId);
    const run = [...h.app.state.checkRuns.values()].find((r) => r.external_id === approval.id);
    await h.app.deliver(h.webhookUrl, {
      event: 'check_run',
      payload: await buttonPayload(`approve:${approval.id}`, 'carol', run!.id, h.app.appId),
    });
    await h.ext.settled();

    const open = async () => {
      const token = await h.github.signToken({
        ...h.github.claims({ run_id: runId, environment: 'production' }),
        aud: 'guard',
      });
      const opened = await new GuardServerClient(h.server.url).openSession(token, 'deploy');
      const client = new GuardServerClient(
        h.server.url,
        opened.session.credential,
        `${runId}/${opened.identity.run_attempt}/deploy`,
      );
      return { opened, client };
    };
    const { opened, client } = await open();
    expect(opened.deployment).toMatchObject({
      approval: approval.id,
      environment: 'production',
      sha: HEAD_SHA,
      decision: 'approved',
      approvals: [{ reviewer: 'carol', channel: 'check-run', decision: 'approved' }],
    });
    // GitHub asks once per job that deploys; a second job of the run finds no approval left to take.
    expect((await open()).opened.deployment).toBeNull();

    const manifest = (deployment?: DeploymentRecord) =>
      serialiseManifest({
        version: MANIFEST_VERSION,
        sessionId: opened.session.id,
        identity: opened.identity,
        job: 'deploy',
        steps: [],
        files: [],
        chains: {},
        policy: { name: 'octo-deploy' },
        createdAt: new Date().toISOString(),
        ...(deployment ? { deployment } : {}),
      }).toString('utf8');
    const { problems } = await compareWithServer(h, opened.session.id, manifest());
    expect(problems).toEqual([
      `the manifest leaves out deployment approval ${approval.id} (production) that let this job start`,
    ]);
    const forged = {
      ...opened.deployment!,
      approvals: [{ ...opened.deployment!.approvals[0]!, reviewer: 'alice' }],
    };
    expect((await compareWithServer(h, opened.session.id, manifest(forged))).problems).toEqual([
      `the manifest's deployment approval ${approval.id} differs from the server's record of it`,
    ]);
    const closed = await client.closeSession(manifest(opened.deployment!));
    expect(closed.problems).toEqual([]);
    expect(closed.envelope).toBeTruthy();
  });
});

/** What the server would say of a manifest, without closing the session. */
async function compareWithServer(h: Harness, sessionId: string, text: string) {
  const session = await h.server.ctx.db.query<{ claims: JobClaims; job: string }>(
    'select claims, job from sessions where id = $1',
    [sessionId],
  );
  const row = session.rows[0]!;
  const manifest = parseManifest(Buffer.from(text));
  if (typeof manifest === 'string') throw new Error(manifest);
  return {
    problems: compareManifest(manifest, {
      id: sessionId,
      job: row.job,
      claims: row.claims,
      steps: [],
      deployment: await deploymentRecord(h.server.ctx.db, sessionId),
    }),
  };
}
