import { expect, test } from '@playwright/test';

test('filters replace the history entry, and "← Overview" on a pair page comes back to the same view', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('health-row').first()).toBeVisible();
  const entries = await page.evaluate(() => window.history.length);
  await page.getByTestId('count-FAILING').click();
  await expect(page).toHaveURL(/[?&]state=FAILING/);
  await page.getByTestId('count-LAGGING').click();
  await expect(page).toHaveURL(/state=FAILING%2CLAGGING|state=FAILING,LAGGING|state=FAILING&state=LAGGING/);
  expect(await page.evaluate(() => window.history.length)).toBe(entries);
  const view = new URL(page.url()).search;

  await page.getByTestId('health-row').first().getByRole('link').first().click();
  await expect(page).toHaveURL(/\/pairs\//);
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Overview' }).click();
  await expect(page).toHaveURL(new RegExp(`/${view.replace(/[?.*+()[\]\\]/g, '\\$&')}$`));
  await expect(page.getByTestId('count-FAILING')).toHaveAttribute('aria-pressed', 'true');
});

test('a click anywhere on a row opens its pair', async ({ page }) => {
  await page.goto('/');
  const row = page.getByTestId('health-row').first();
  const symbol = (await row.getByRole('link').first().textContent())!.trim();
  await row.getByTestId('state-for').or(row.locator('td').nth(2)).first().click();
  await expect(page).toHaveURL(new RegExp(`/pairs/${encodeURIComponent(symbol)}/`));
});

test('Back from a pair opened in a scrolled table shows the same rows', async ({ page }) => {
  await page.goto('/');
  const rows = page.getByTestId('health-row');
  await expect(rows.first()).toBeVisible();
  const scroller = page.getByTestId('health-table-scroll');
  // The page scrolled to the table, and the table 30 rows down.
  await page.evaluate(() => window.scrollTo(0, document.scrollingElement!.scrollHeight));
  await scroller.evaluate((element) => element.scrollTo({ top: 30 * 52 }));
  await expect(page.locator('[data-testid="health-row"][aria-rowindex="32"]')).toBeVisible();

  /** "SYMBOL/TF" of the rows whose middle is inside the table's box, under its header. */
  const inView = () =>
    scroller.evaluate((element) => {
      const frame = element.getBoundingClientRect();
      const header = element.querySelector('thead')!.getBoundingClientRect();
      const viewport = { top: Math.max(frame.top, header.bottom, 0), bottom: Math.min(frame.bottom, innerHeight) };
      return [...element.querySelectorAll<HTMLTableRowElement>('[data-testid="health-row"]')]
        .filter((row) => {
          const box = row.getBoundingClientRect();
          const middle = (box.top + box.bottom) / 2;
          return middle > viewport.top && middle < viewport.bottom;
        })
        .map((row) => `${row.cells[1]!.textContent}/${row.cells[2]!.textContent}`);
    });
  await expect.poll(async () => (await inView()).length).toBeGreaterThan(5);
  const before = await inView();
  const [symbol, timeframe] = before[2]!.split('/');

  await page.locator('[data-testid="health-row"]', { hasText: symbol }).filter({ hasText: timeframe }).first().click();
  await expect(page).toHaveURL(new RegExp(`/pairs/${symbol}/${timeframe}$`));
  await page.goBack();
  await expect(rows.first()).toBeVisible();
  await expect.poll(inView).toEqual(before);
});
