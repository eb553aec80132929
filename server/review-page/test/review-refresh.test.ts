// The queue refreshes itself, in real headless Chromium: a request held after the reviewer opened the page
// appears without a reload by hand, and a comment being written is never thrown away by a refresh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, type Browser } from '../../../test/support/chromium.js';
import { startReviewStack, type ReviewStack } from './review-stack.js';

describe.runIf(hasChromium)('review page refresh', () => {
  let stack: ReviewStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startReviewStack({ page: { refreshSeconds: 1 } }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows a new request on its own, and does not reload while a comment is being written', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${stack.url}/review`);
    await page.fill('#credential', await stack.reviewerToken('alice'));
    await page.click('button[type=submit]');
    await page.waitForSelector('h1:text("Review queue")');
    expect(await page.getAttribute('meta[name="guard-refresh"]', 'content')).toBe('1');

    const first = await stack.holdStep('./deploy.sh web');
    const firstCard = page.locator(`article[data-approval="${first.approvalId}"]`);
    await expect.poll(() => firstCard.count(), { timeout: 10_000 }).toBe(1);

    await firstCard.locator('textarea').fill('looking at the plan');
    const second = await stack.holdStep('./deploy.sh api');
    // Three refresh periods pass; the page keeps the comment and does not show the new request yet.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await firstCard.locator('textarea').inputValue()).toBe('looking at the plan');
    expect(await page.locator(`article[data-approval="${second.approvalId}"]`).count()).toBe(0);

    // Once the comment is cleared and the reviewer leaves the field, refreshing resumes.
    await firstCard.locator('textarea').fill('');
    await page.locator('h1').click();
    await expect
      .poll(() => page.locator(`article[data-approval="${second.approvalId}"]`).count(), { timeout: 10_000 })
      .toBe(1);
    await page.close();
  });
});
