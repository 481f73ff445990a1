import { expect, test, type Page } from '@playwright/test';
import { overviewReady } from './fixtures/overview-ready';

/** The focused element's test id, text or label: enough to say where the focus is. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return {
      testid: element?.dataset.testid ?? null,
      rowIndex: element?.getAttribute('aria-rowindex') ?? null,
      text: element?.textContent?.trim() ?? '',
      label: element?.getAttribute('aria-label') ?? null,
    };
  });

test('the first row is at most 10 Tab stops from the top (through the skip link), and Enter opens it', async ({
  page,
}) => {
  await page.goto('/');
  await overviewReady(page);
  let tabs = 0;
  for (; tabs < 10;) {
    await page.keyboard.press('Tab');
    tabs += 1;
    const now = await focused(page);
    if (now.testid === 'health-row') break;
    // A keyboard user follows the skip link that the first Tab shows.
    if (now.text === 'Skip to the pairs table') await page.keyboard.press('Enter');
    if ((await focused(page)).testid === 'health-row') break;
  }
  const row = await focused(page);
  expect(row.testid).toBe('health-row');
  expect(row.rowIndex).toBe('2'); // the first row
  expect(tabs).toBeLessThanOrEqual(10);

  // The arrows move between rows; Enter opens the focused one.
  await page.keyboard.press('ArrowDown');
  expect((await focused(page)).rowIndex).toBe('3');
  const second = page.locator('[data-testid="health-row"][aria-rowindex="3"]');
  const symbol = (await second.locator('td').nth(1).textContent())!.trim();
  const timeframe = (await second.locator('td').nth(2).textContent())!.trim();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/pairs/${symbol}/${timeframe}$`));
});

test('state cards, presets, timeframe chips and the heatmap are one Tab stop each; arrows move inside', async ({
  page,
}) => {
  await page.goto('/');
  await overviewReady(page);
  await page.getByTestId('count-AHEAD').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('count-NULL')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('preset-ahead')).toBeFocused();
  await page.keyboard.press('End');
  await expect(page.getByTestId('preset-drift')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('searchbox', { name: 'Search symbols' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: '5m', exact: true })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('button', { name: '15m', exact: true })).toBeFocused();

  // Into the heatmap: its first square (the worst symbol's shortest timeframe) shows its reason.
  await page.keyboard.press('Tab');
  const tip = page.getByTestId('heatmap-tip');
  const label = async () => (await focused(page)).label!;
  expect(await label()).toMatch(/^USDCHF 5m: /);
  await expect(tip).toBeVisible();
  await expect(tip).toHaveText(await label());
  await page.keyboard.press('ArrowRight');
  expect(await label()).toMatch(/^USDCHF 15m: Cursor ahead — /);
  await expect(tip).toHaveText(await label());
  // The tip stands by its square, on screen.
  const square = (await page.locator(':focus').boundingBox())!;
  const box = (await tip.boundingBox())!;
  expect(box.y).toBeGreaterThan(square.y);
  expect(box.y - (square.y + square.height)).toBeLessThan(12);
  // One Tab leaves the heatmap.
  await page.keyboard.press('Tab');
  expect((await focused(page)).label ?? '').not.toMatch(/^\w+ \w+: /);
  await expect(tip).toHaveCount(0);
});

test('a row with several reasons lists them all from the keyboard', async ({ page }) => {
  await page.goto('/');
  await overviewReady(page);
  const row = page
    .getByTestId('health-row')
    .filter({ has: page.getByTestId('more-reasons') })
    .first();
  await expect(row).toBeVisible();
  const more = row.getByTestId('more-reasons');
  const title = (await row.getByTestId('row-why').getAttribute('title'))!;
  const reasons = title.split('\n').filter((line) => !line.startsWith('→'));
  expect(reasons.length).toBeGreaterThan(1);
  await expect(more).toHaveText(`+${reasons.length - 1} more reasons`);
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  await expect(row.getByTestId('all-reasons').getByRole('listitem')).toHaveText(reasons.slice(1));
});
