import { expect, test } from '@playwright/test';
import { guardPage } from './fixtures/page-guards';

/**
 * Every page loads without a console error, an uncaught exception or a failed request of its
 * own (a missing favicon, say, would log a 404 on each page). Add each new page here.
 */
const PAGES = [
  '/',
  '/?preset=stalled',
  '/pairs/EURUSD/5m',
  '/pairs/NZDUSD/1h',
  '/pairs/XAGUSD/1h',
  '/wall',
  '/incidents',
  '/audit',
];

for (const url of PAGES) {
  test(`${url} logs no console error`, async ({ page }) => {
    const guards = await guardPage(page);
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    expect(failed).toEqual([]);
    expect(guards.pageErrors).toEqual([]);
    expect(guards.consoleErrors).toEqual([]);
  });
}

test('/favicon.ico is served', async ({ request }) => {
  const response = await request.get('/favicon.ico');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/image\//);
});
