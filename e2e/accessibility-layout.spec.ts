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

/**
 * Both themes: the system's preference decides while nothing is chosen (components/ui/theme.ts).
 * The wall keeps its own dark look whatever the theme.
 */
for (const scheme of ['light', 'dark'] as const) {
  for (const target of PAGES) {
    test(`${target.name}, ${scheme}: no WCAG 2 A/AA violation, CLS ≤ 0.05`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(target.path);
      await target.ready(page);
      expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(scheme === 'dark');
      // Let the first polls and charts settle before measuring what moved.
      await page.evaluate(() => document.fonts.ready);
      await expect.poll(() => cumulativeLayoutShift(page), { timeout: 5_000 }).toBeLessThanOrEqual(0.05);
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(
        results.violations.map((violation) => `${violation.id}: ${violation.nodes.length} × ${violation.help}`),
      ).toEqual([]);
    });
  }
}

test("the header's dark mode toggle is remembered, applied before the first paint, and forgotten when it matches the system", async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  // The <html> class when the body starts: what the first paint uses.
  await page.addInitScript(() => {
    const store = window as unknown as { darkAtBody?: boolean };
    new MutationObserver((_, observer) => {
      if (!document.body) return;
      store.darkAtBody = document.documentElement.classList.contains('dark');
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
  const darkAtBody = () => page.evaluate(() => (window as unknown as { darkAtBody?: boolean }).darkAtBody);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await page.goto('/incidents');
  const toggle = page.getByRole('button', { name: 'Dark mode' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  expect(await darkAtBody()).toBe(false);
  const light = await background();

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  expect(await background()).not.toBe(light);
  expect(await page.evaluate(() => localStorage.getItem('frontier-theme'))).toBe('dark');

  // Another page, a reload: dark from the first paint, and the toggle says so.
  await page.goto('/');
  expect(await darkAtBody()).toBe(true);
  await expect(page.getByRole('button', { name: 'Dark mode' })).toHaveAttribute('aria-pressed', 'true');

  // Back to light, which is what the system prefers: nothing is remembered, the system decides again.
  await page.getByRole('button', { name: 'Dark mode' }).click();
  expect(await page.evaluate(() => localStorage.getItem('frontier-theme'))).toBeNull();
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.getByRole('button', { name: 'Dark mode' })).toHaveAttribute('aria-pressed', 'true');
});
