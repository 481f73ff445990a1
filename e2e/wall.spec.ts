import { expect, test, type Page } from '@playwright/test';
import type { HealthSummaryResponse } from '../lib/shared/types';
import { WALL_PAGE_MS } from '../components/hooks/polling';
import { expectedCounts, PROBLEM_PAIRS, SEEDED_PAIRS } from './fixtures/seed';

const PROBLEMS = PROBLEM_PAIRS.filter((pair) => pair.state !== 'DISABLED');

async function expectNoScrolling(page: Page) {
  const size = await page.evaluate(() => ({
    scrollHeight: document.documentElement.scrollHeight,
    scrollWidth: document.documentElement.scrollWidth,
    bodyHeight: document.body.scrollHeight,
    innerHeight: window.innerHeight,
    innerWidth: window.innerWidth,
  }));
  expect(size.scrollHeight).toBeLessThanOrEqual(size.innerHeight);
  expect(size.bodyHeight).toBeLessThanOrEqual(size.innerHeight);
  expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
  // Nothing is cut off either: every tile lies inside the screen.
  for (const box of await page
    .getByTestId('wall-tile')
    .evaluateAll((tiles) => tiles.map((tile) => tile.getBoundingClientRect().toJSON() as DOMRect))) {
    expect(box.bottom).toBeLessThanOrEqual(size.innerHeight);
    expect(box.right).toBeLessThanOrEqual(size.innerWidth);
  }
}

for (const viewport of [
  { width: 1920, height: 1080 },
  { width: 1280, height: 720 },
]) {
  test(`the wall at ${viewport.width}×${viewport.height}: problems first, no scrollbars, no controls`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await page.goto('/wall');
    const tiles = page.getByTestId('wall-tile');
    // The seeded history groups each problem pair into an incident of its own: one tile each.
    await expect(tiles).toHaveCount(PROBLEMS.length);
    expect(await tiles.evaluateAll((list) => list.map((tile) => tile.getAttribute('data-kind')))).toEqual(
      PROBLEMS.map(() => 'incident'),
    );
    // Worst first, the same order as the health rules' severity.
    expect(await tiles.evaluateAll((list) => list.map((tile) => tile.getAttribute('data-state')))).toEqual(
      PROBLEMS.map((pair) => pair.state),
    );
    await expect(tiles.first()).toContainText('USDCHF 15m');
    await expect(page.getByTestId('wall-summary')).toHaveText(
      `${PROBLEMS.length} incidents · ${PROBLEMS.length} problems of ${SEEDED_PAIRS.length} pairs`,
    );
    await expect(page.getByTestId('wall-page')).toHaveCount(0);
    await expect(page.getByTestId('wall-count-OK')).toContainText(String(expectedCounts().OK));
    await expect(page.getByTestId('wall-clock')).toHaveText(/^\d\d:\d\d:\d\dUTC$/);
    await expect(page.getByTestId('updated-ago')).toContainText(/updated \d+ s ago/);
    await expect(page.getByRole('link')).toHaveCount(0);
    await expect(page.getByRole('button')).toHaveCount(0);
    await expectNoScrolling(page);
  });
}

test('the wall pages through incidents and pairs that do not fit on one screen, and shows every one', async ({
  page,
  request,
}) => {
  // The eight seeded incidents, then 48 pairs in no incident: the real summary's eight under six
  // symbol prefixes, served in place of the real summary.
  const real = (await (await request.get('/api/health/summary')).json()) as HealthSummaryResponse;
  const ungrouped = ['A', 'B', 'C', 'D', 'E', 'F'].flatMap((prefix) =>
    real.problems.map((pair) => ({ ...pair, symbol: `${prefix}${pair.symbol}` })),
  );
  await page.route('**/api/health/summary', (route) =>
    route.fulfill({ json: { ...real, ungrouped, ungroupedCount: ungrouped.length } }),
  );
  const items = PROBLEMS.length + ungrouped.length;

  // The page turns every WALL_PAGE_MS: the test moves the page's clock instead of waiting.
  await page.clock.install();
  await page.goto('/wall');
  const pager = page.getByTestId('wall-page');
  await expect(pager).toHaveText(/^Page 1 of \d+/);
  const perPage = await page.getByTestId('wall-tile').count();
  expect(perPage).toBeGreaterThanOrEqual(8);
  expect(perPage).toBeLessThan(items);
  const pages = Math.ceil(items / perPage);
  await expect(pager).toContainText(`of ${pages}`);
  await expect(page.getByTestId('wall-summary')).toContainText(
    `${PROBLEMS.length} incidents · ${ungrouped.length} pairs in no incident`,
  );
  // Incidents first, then the pairs in none; within as many turns as there are pages, every tile showed.
  const seen: string[] = [];
  for (let turn = 0; turn < pages; turn += 1) {
    await expect(pager).toHaveText(new RegExp(`^Page ${turn + 1} of ${pages}`));
    await expectNoScrolling(page);
    seen.push(
      ...(await page
        .getByTestId('wall-tile')
        .evaluateAll((tiles) => tiles.map((tile) => `${tile.getAttribute('data-kind')}:${tile.textContent}`))),
    );
    await page.clock.fastForward(WALL_PAGE_MS);
  }
  expect(seen).toHaveLength(items);
  expect(new Set(seen).size).toBe(items);
  expect(seen.slice(0, PROBLEMS.length).every((tile) => tile.startsWith('incident:'))).toBe(true);
  expect(seen.slice(PROBLEMS.length).every((tile) => tile.startsWith('pair:'))).toBe(true);
  await expect(pager).toHaveText(new RegExp(`^Page 1 of ${pages}`));
});
