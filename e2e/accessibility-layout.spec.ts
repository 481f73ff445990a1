import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { HISTORY_PAIR } from './fixtures/seed';

/**
 * Every page: no WCAG 2 A/AA violation that axe-core finds, and no layout shift worth the name
 * once the data arrives (CLS ≤ 0.05: the space for what loads is reserved).
 */
const PAGES = [
  { name: 'overview', path: '/', ready: (page: Page) => expect(page.getByTestId('health-row').first()).toBeVisible() },
  {
    name: 'pair',
    path: `/pairs/${HISTORY_PAIR.symbol}/${HISTORY_PAIR.timeframe}`,
    ready: (page: Page) => expect(page.getByTestId('run-row').first()).toBeVisible(),
  },
  {
    name: 'failing pair',
    path: '/pairs/NZDUSD/1h',
    ready: (page: Page) => expect(page.getByTestId('last-error')).toBeVisible(),
  },
  {
    name: 'incidents',
    path: '/incidents',
    ready: (page: Page) => expect(page.getByTestId('stats-by-timeframe')).toBeVisible(),
  },
  { name: 'wall', path: '/wall', ready: (page: Page) => expect(page.getByTestId('wall-tile').first()).toBeVisible() },
  {
    name: 'not found',
    path: '/no-such-page',
    ready: (page: Page) => expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible(),
  },
];

/** The page's cumulative layout shift so far, from the buffered layout-shift entries (no recent input). */
async function cumulativeLayoutShift(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
            if (!entry.hadRecentInput) total += entry.value;
          }
        }).observe({ type: 'layout-shift', buffered: true });
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(total)));
      }),
  );
}

for (const target of PAGES) {
  test(`${target.name}: no WCAG 2 A/AA violation, CLS ≤ 0.05`, async ({ page }) => {
    await page.goto(target.path);
    await target.ready(page);
    // Let the first polls and charts settle before measuring what moved.
    await page.evaluate(() => document.fonts.ready);
    await expect.poll(() => cumulativeLayoutShift(page), { timeout: 5_000 }).toBeLessThanOrEqual(0.05);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(
      results.violations.map((violation) => `${violation.id}: ${violation.nodes.length} × ${violation.help}`),
    ).toEqual([]);
  });
}
