// The server API end to end through real HTTP: token exchange against the stand-in issuer, step
// decisions, approvals and the long-poll wake-up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardServerClient } from '../../client/server-api.js';
import { sha256Hex } from '../../lib/digest.js';
import { GuardError } from '../../lib/errors.js';
import { startStack, type Stack } from '../../test/support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function openSession(overrides: Parameters<Stack['github']['claims']>[0] = {}) {
  const token = await stack.github.signToken({ ...stack.github.claims(overrides), aud: 'guard' });
  const opened = await new GuardServerClient(stack.server.url).openSession(token, 'deploy');
  const run = `${opened.identity.run_id}/${opened.identity.run_attempt}/deploy`;
  return { opened, run, client: new GuardServerClient(stack.server.url, opened.session.credential, run) };
}

async function register(client: GuardServerClient, script: string) {
  return client.registerStep({ name: 'Deploy', kind: 'shell', script, scriptSha256: sha256Hex(script) });
}

function codeOf(error: unknown): string | undefined {
  return error instanceof GuardError ? error.code : undefined;
}

describe('token exchange', () => {
  it('opens a session bound to the run and returns the effective policy', async () => {
    const { opened } = await openSession();
    expect(opened.session.credential).toMatch(/^gs_/);
    expect(opened.policy.name).toBe('octo-deploy');
    expect(opened.identity.repository).toBe('octo-org/octo-repo');
    const { rows } = await stack.server.ctx.db.query<{
      run_id: string;
      job: string;
      credential_sha256: string;
    }>('select run_id, job, credential_sha256 from sessions where id = $1', [opened.session.id]);
    expect(rows[0]?.job).toBe('deploy');
    // Only the digest of the credential is stored.
    expect(rows[0]?.credential_sha256).toBe(sha256Hex(opened.session.credential));
  });

  it('refuses a replayed token, a wrong audience, a forged signature and an unknown issuer', async () => {
    const claims = { ...stack.github.claims(), aud: 'guard' };
    const token = await stack.github.signToken(claims);
    const anonymous = new GuardServerClient(stack.server.url);
    await anonymous.openSession(token, 'deploy');
    await expect(anonymous.openSession(token, 'deploy')).rejects.toMatchObject({ code: 'TOKEN_REPLAYED' });
    const wrongAudience = await stack.github.signToken({
      ...stack.github.claims(),
      aud: 'sts.amazonaws.com',
    });
    await expect(anonymous.openSession(wrongAudience, 'deploy')).rejects.toThrow(/audience/);
    const [header, payload] = (
      await stack.github.signToken({ ...stack.github.claims(), aud: 'guard' })
    ).split('.');
    const forged = `${header}.${payload}.${Buffer.from('not a signature').toString('base64url')}`;
    await expect(anonymous.openSession(forged, 'deploy')).rejects.toMatchObject({
      code: 'TOKEN_SIGNATURE_INVALID',
    });
    const elsewhere = await stack.github.signToken({
      ...stack.github.claims(),
      aud: 'guard',
      iss: 'https://evil.example',
    });
    await expect(anonymous.openSession(elsewhere, 'deploy')).rejects.toThrow(/issuer is not trusted/);
    const none = await stack.github.signToken({ ...stack.github.claims(), aud: 'guard' }, { alg: 'none' });
    await expect(anonymous.openSession(none, 'deploy')).rejects.toThrow(/algorithm is not allowed/);
  });

  it('refuses a job no policy matches (default deny) and records the refusal', async () => {
    const error = await openSession({ repository: 'someone/else', repository_owner: 'someone' }).catch(
      (e: unknown) => e,
    );
    expect(codeOf(error)).toBe('POLICY_DENIED');
    const { rows } = await stack.server.ctx.db.query<{ body: { code: string; repository: string } }>(
      `select body from events where type = 'security.refused' order by id desc limit 1`,
    );
    expect(rows[0]?.body).toMatchObject({ code: 'POLICY_DENIED', repository: 'someone/else' });
  });

  it('refuses a credential used from another run or job', async () => {
    const { opened, run } = await openSession();
    const script = 'echo hi';
    for (const elsewhere of [
      '1/1/deploy',
      run.replace(/\/1\//, '/2/'),
      run.replace(/deploy$/, 'build'),
      undefined,
    ]) {
      const stolen = new GuardServerClient(stack.server.url, opened.session.credential, elsewhere);
      await expect(
        stolen.registerStep({ name: 'x', kind: 'shell', script, scriptSha256: sha256Hex(script) }),
      ).rejects.toMatchObject({ code: 'SESSION_WRONG_RUN' });
    }
  });

  it('refuses calls without a session credential, or with a closed one', async () => {
    const { client } = await openSession();
    await expect(
      new GuardServerClient(stack.server.url, 'gs_bogus').registerStep({
        name: 'x',
        kind: 'shell',
        script: 'true',
        scriptSha256: sha256Hex('true'),
      }),
    ).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    await client.closeSession();
    await expect(register(client, 'echo hi')).rejects.toMatchObject({ code: 'SESSION_CLOSED' });
  });
});

describe('steps and approvals', () => {
  it('allows a harmless step at once and releases it once', async () => {
    const { client } = await openSession();
    const registration = await register(client, 'echo hello');
    expect(registration.decision.action).toBe('allow');
    await expect(client.startStep(registration.step.id, sha256Hex('echo hello'))).resolves.toEqual({
      released: true,
    });
    await expect(client.startStep(registration.step.id, sha256Hex('echo hello'))).rejects.toThrow(
      /already started/,
    );
  });

  it('blocks what policy blocks', async () => {
    const { client } = await openSession();
    const registration = await register(client, 'rm -rf / --no-preserve-root');
    expect(registration.decision).toMatchObject({ action: 'block' });
    await expect(
      client.startStep(registration.step.id, sha256Hex('rm -rf / --no-preserve-root')),
    ).rejects.toMatchObject({ code: 'POLICY_DENIED' });
  });

  it('holds a deploy until a reviewer approves, and the waiter wakes within a second', async () => {
    const { client } = await openSession();
    const script = './scripts/deploy.sh';
    const registration = await register(client, script);
    expect(registration.decision.action).toBe('require-approval');
    const approval = registration.approval!;
    expect(approval.reviewers).toEqual(['alice', 'bob', 'octocat']);
    await expect(client.startStep(registration.step.id, sha256Hex(script))).rejects.toMatchObject({
      code: 'APPROVAL_DENIED',
    });

    const waiting = client.waitForApproval(approval.id, 20);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const reviewer = new GuardServerClient(stack.server.url, await stack.reviewerToken('alice'));
    const decidedAt = Date.now();
    await reviewer.decide(approval.id, 'approve', 'looks right');
    const state = await waiting;
    expect(Date.now() - decidedAt).toBeLessThan(1000);
    expect(state.status).toBe('approved');
    expect(state.votes).toMatchObject([
      { reviewer: 'alice', decision: 'approve', channel: 'api', comment: 'looks right' },
    ]);
    // No drift: only the approved script is released.
    await expect(
      client.startStep(registration.step.id, sha256Hex(`${script} --force`)),
    ).rejects.toMatchObject({ code: 'APPROVAL_DRIFT' });
    await expect(client.startStep(registration.step.id, sha256Hex(script))).resolves.toEqual({
      released: true,
    });
  });

  it('refuses self-approval, outsiders and double votes; a denial ends the request', async () => {
    const { client } = await openSession();
    const registration = await register(client, 'deploy prod');
    const id = registration.approval!.id;
    const self = new GuardServerClient(stack.server.url, await stack.reviewerToken('octocat'));
    await expect(self.decide(id, 'approve')).rejects.toMatchObject({ code: 'SELF_APPROVAL' });
    const outsider = new GuardServerClient(stack.server.url, await stack.reviewerToken('mallory'));
    await expect(outsider.decide(id, 'approve')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const session = new GuardServerClient(stack.server.url, 'gs_' + 'x'.repeat(43));
    await expect(session.decide(id, 'approve')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const bob = new GuardServerClient(stack.server.url, await stack.reviewerToken('bob'));
    const denied = await bob.decide(id, 'deny', 'not during the freeze');
    expect(denied).toMatchObject({ status: 'denied', reason: 'denied by bob: not during the freeze' });
    await expect(bob.decide(id, 'approve')).rejects.toThrow(/already denied/);
    await expect(client.waitForApproval(id, 5)).resolves.toMatchObject({ status: 'denied' });
  });
});
