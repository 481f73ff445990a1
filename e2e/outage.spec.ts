import { expect, test } from '@playwright/test';
import { expectedCounts, PROBLEM_PAIRS } from './fixtures/seed';
import { startDatabase, stopDatabase } from './fixtures/database-control';

const PROBLEM_COUNT = PROBLEM_PAIRS.filter((pair) => pair.state !== 'DISABLED').length;
// A poll every 15 s, a retry 2 s later: one full cycle plus the request itself.
const ONE_POLL = 40_000;

test('a database outage: the last good data stays under a stale banner, and clears by itself', async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const wall = await context.newPage();
  const overview = await context.newPage();
  await wall.goto('/wall');
  await overview.goto('/');
  await expect(wall.getByTestId('wall-tile')).toHaveCount(PROBLEM_COUNT);
  await expect(overview.getByTestId('count-value-OK')).toHaveText(String(expectedCounts().OK));
  await expect(wall.getByTestId('stale-banner')).toHaveCount(0);

  await stopDatabase();
  try {
    const banner = wall.getByTestId('stale-banner');
    await expect(banner).toBeVisible({ timeout: ONE_POLL });
    await expect(banner).toContainText(/Data is \d+ (s|min \d+ s) old/);
    await expect(banner).toContainText('The database is unavailable (the API answered 503)');
    // The data stays, dimmed, and still fits the screen under the banner.
    await expect(wall.getByTestId('wall-content')).toHaveAttribute('data-stale', 'true');
    await expect(wall.getByTestId('wall-tile')).toHaveCount(PROBLEM_COUNT);
    await expect(wall.getByTestId('wall-count-OK')).toContainText(String(expectedCounts().OK));
    const size = await wall.evaluate(() => [document.documentElement.scrollHeight, window.innerHeight]);
    expect(size[0]).toBeLessThanOrEqual(size[1]!);

    await expect(overview.getByTestId('stale-banner')).toBeVisible({ timeout: ONE_POLL });
    await expect(overview.getByTestId('count-value-OK')).toHaveText(String(expectedCounts().OK));
    await expect(overview.getByTestId('health-row').first()).toHaveAttribute('data-state', 'AHEAD');
  } finally {
    await startDatabase();
  }

  await expect(wall.getByTestId('stale-banner')).toHaveCount(0, { timeout: ONE_POLL });
  await expect(wall.getByTestId('wall-content')).toHaveAttribute('data-stale', 'false');
  await expect(wall.getByTestId('updated-ago')).toContainText(/updated \d+ s ago/);
  await expect(overview.getByTestId('stale-banner')).toHaveCount(0, { timeout: ONE_POLL });
  await context.close();
});
