// The review page in real headless Chromium: what a reviewer sees and clicks, and what the job on the
// other side observes (its long-poll wakes, its step is released or refused).
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GuardServerClient } from '../../../client/server-api.js';
import { sha256Hex } from '../../../lib/digest.js';
import { DEMO_POLICY } from '../../../test/support/stack.js';
import { getApproval } from '../../approvals.js';
import {
  CHROMIUM_PATH,
  chromiumRequired,
  hasChromium,
  launchChromium,
  type Browser,
} from '../../../test/support/chromium.js';
import { startReviewStack, type ReviewStack } from './review-stack.js';

// Two approvals needed, so a card can show a vote already cast.
const TWO_REVIEWERS = DEMO_POLICY.replace('min: 1', 'min: 2');

it.runIf(chromiumRequired)('finds Chromium, as GUARD_REQUIRE_CHROMIUM=1 demands', () => {
  expect(existsSync(CHROMIUM_PATH), `no Chromium at ${CHROMIUM_PATH}; apt-get install chromium`).toBe(true);
});

describe.runIf(hasChromium)('review page in Chromium', () => {
  let stack: ReviewStack;
  let browser: Browser;
  let page: Page;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startReviewStack({ policies: { 'octo-deploy.yml': TWO_REVIEWERS } }),
      launchChromium(),
    ]);
    for (const login of ['alice', 'bob', 'octocat']) tokens.set(login, await stack.reviewerToken(login));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  beforeEach(async () => {
    await browser.context.clearCookies();
    await page?.close();
    page = await browser.context.newPage();
  });

  async function signIn(login: string) {
    await page.goto(`${stack.url}/review`);
    await page.fill('#credential', tokens.get(login) ?? '');
    await page.click('button[type=submit]');
    await page.waitForSelector('h1:text("Review queue")');
  }

  const cardOf = (approvalId: string) => page.locator(`article[data-approval="${approvalId}"]`);

  it('refuses a bad credential with the reason, then signs in with a good one into an HttpOnly cookie', async () => {
    await page.goto(`${stack.url}/review`);
    await page.fill('#credential', `gr_${'x'.repeat(43)}`);
    await page.click('button[type=submit]');
    await expect
      .poll(() => page.textContent('#login-message'))
      .toContain('the reviewer credential is not known to this server');
    expect(await browser.context.cookies()).toEqual([]);
    expect(page.url()).toBe(`${stack.url}/review`);

    await page.fill('#credential', tokens.get('alice') ?? '');
    await page.click('button[type=submit]');
    await page.waitForSelector('h1:text("Review queue")');
    expect(await page.innerText('header .who')).toContain('Signed in as alice');
    const [cookie] = await browser.context.cookies();
    expect(cookie).toMatchObject({
      name: 'guard_review',
      path: '/review',
      httpOnly: true,
      sameSite: 'Strict',
    });
    // Neither the cookie nor the credential is visible to scripts or in the address bar.
    expect(await page.evaluate('document.cookie')).toBe('');
    expect(page.url()).toBe(`${stack.url}/review`);
  });

  it('shows a held step: what will run, where, who asked, why policy held it, votes and expiry', async () => {
    const held = await stack.holdStep(
      './scripts/deploy.sh --env production\nkubectl rollout status deploy/web',
    );
    await new GuardServerClient(stack.url, tokens.get('alice')).decide(
      held.approvalId,
      'approve',
      'plan looks right',
    );
    await signIn('bob');
    const card = cardOf(held.approvalId);
    await expect.poll(() => card.count()).toBe(1);
    const text = await card.innerText();
    expect(text).toContain('step Deploy');
    expect(text).toContain('octo-org/octo-repo');
    expect(text).toContain('octocat');
    expect(text).toContain(held.digest);
    expect(text).toMatch(/Why policy held it:.*deploy/);
    expect(text).toContain('Approvals: 1 of 2');
    expect(text).toMatch(/alice approved via\s+api/);
    expect(text).toContain('plan looks right');
    expect(text).toMatch(/expires in (59 min|1 h)/);
    expect(await card.locator('pre.script').textContent()).toBe(held.script);
  });

  it('approving on the page wakes the waiting job and releases exactly the approved script', async () => {
    const held = await stack.holdStep('./deploy.sh web');
    await new GuardServerClient(stack.url, tokens.get('alice')).decide(held.approvalId, 'approve');
    const waiting = held.client.waitForApproval(held.approvalId, 20);
    await signIn('bob');
    const card = cardOf(held.approvalId);
    await card.locator('textarea').fill('second pair of eyes');
    await card.locator('button[data-decision=approve]').click();
    await expect
      .poll(() => card.locator('.message').textContent())
      .toBe('Approved: the step is released and will run.');
    const state = await waiting;
    expect(state.status).toBe('approved');
    expect(state.votes).toMatchObject([
      { reviewer: 'alice', channel: 'api' },
      { reviewer: 'bob', channel: 'review-page', comment: 'second pair of eyes' },
    ]);
    await expect(held.client.startStep(held.stepId, sha256Hex(held.script))).resolves.toEqual({
      released: true,
    });
    await page.reload();
    expect(await cardOf(held.approvalId).count()).toBe(0);
  });

  it('a denial needs a reason; with one it ends the request and the job is refused', async () => {
    const held = await stack.holdStep('./deploy.sh db');
    await signIn('alice');
    const card = cardOf(held.approvalId);
    await card.locator('button[data-decision=deny]').click();
    expect(await card.locator('.message').textContent()).toMatch(/A denial needs a reason/);
    expect(await page.evaluate('document.activeElement.id')).toBe(`comment-${held.approvalId}`);
    expect((await getApproval(stack.server.ctx, held.approvalId)).status).toBe('pending');

    await card.locator('textarea').fill('migration 042 must run first');
    await card.locator('button[data-decision=deny]').click();
    await expect.poll(() => card.locator('.message').textContent()).toMatch(/^Denied: the step will not run/);
    await expect(held.client.waitForApproval(held.approvalId, 5)).resolves.toMatchObject({
      status: 'denied',
      reason: 'denied by alice: migration 042 must run first',
    });
    await expect(held.client.startStep(held.stepId, sha256Hex(held.script))).rejects.toMatchObject({
      code: 'APPROVAL_DENIED',
    });
  });

  it('refuses self-approval and shows why; the vote is not counted', async () => {
    const held = await stack.holdStep('./deploy.sh self');
    await signIn('octocat');
    const card = cardOf(held.approvalId);
    expect(await card.locator('.self').textContent()).toContain('You started this run');
    await card.locator('button[data-decision=approve]').click();
    await expect
      .poll(() => card.locator('.message').textContent())
      .toBe('guard: octocat started this run and cannot approve it; another reviewer must approve');
    expect(await card.locator('.message').getAttribute('class')).toContain('error');
    expect((await getApproval(stack.server.ctx, held.approvalId)).votes).toEqual([]);
  });

  it('shows a script body that carries markup as text: no element from it exists, nothing of it runs', async () => {
    const payload = [
      'deploy </code></pre><script>window.__pwned = "script"</script>',
      '<img src=x onerror="window.__pwned = \'img\'">',
      '"><svg onload="window.__pwned = \'svg\'"></svg><!--',
    ].join('\n');
    const held = await stack.holdStep(payload);
    await signIn('alice');
    const card = cardOf(held.approvalId);
    expect(await card.locator('pre.script').textContent()).toBe(payload);
    // Escaping, not only the CSP, stops it: the payload produced no elements at all.
    expect(await page.locator('script:not([nonce])').count()).toBe(0);
    expect(await card.locator('img, svg').count()).toBe(0);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
  });

  it('signs out: the cookie and the server session are gone, the page asks for the credential again', async () => {
    await signIn('alice');
    const [cookie] = await browser.context.cookies();
    await page.click('#logout');
    await page.waitForSelector('#login-form');
    expect(await browser.context.cookies()).toEqual([]);
    const { rows } = await stack.server.ctx.db.query(
      'select 1 from review_sessions where token_sha256 = $1',
      [sha256Hex(cookie?.value ?? '')],
    );
    expect(rows).toEqual([]);
  });

  it('renders a clear queue (screenshot)', async () => {
    // Start from an empty queue so the picture shows just these two requests.
    await stack.server.ctx.db.query(`update approvals set status = 'expired' where status = 'pending'`);
    const first = await stack.holdStep(
      [
        '#!/usr/bin/env bash',
        'set -euo pipefail',
        'export DEPLOY_TOKEN=ghp_R2d2C3poLukeLeiaHanSoloChewbacca12',
        'terraform apply -auto-approve -var "env=production"',
        './scripts/deploy.sh --env production --notify ops@example.com',
      ].join('\n'),
      'Deploy production',
    );
    await new GuardServerClient(stack.url, tokens.get('bob')).decide(
      first.approvalId,
      'approve',
      'plan reviewed',
    );
    await stack.holdStep('./scripts/deploy.sh --env staging', 'Deploy staging');
    await signIn('alice');
    const dir = await mkdtemp(join(tmpdir(), 'guard-review-shot-'));
    try {
      const file = process.env.GUARD_REVIEW_SCREENSHOT ?? join(dir, 'queue.png');
      await page.screenshot({ path: file, fullPage: true });
      expect((await stat(file)).size).toBeGreaterThan(10_000);
      // Secrets and personal data are masked before they are stored, so the page cannot show them.
      const shown = (await cardOf(first.approvalId).locator('pre.script').textContent()) ?? '';
      expect(shown).not.toContain('ghp_R2d2C3poLukeLeiaHanSoloChewbacca12');
      expect(shown).not.toContain('ops@example.com');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
