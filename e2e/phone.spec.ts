import { expect, test, type Page } from '@playwright/test';

/** On a phone (390×844) nothing scrolls sideways, and what a page exists to say is on screen. */
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

test('a failing pair on a phone: its verdict and what to do are readable, no sideways scroll', async ({ page }) => {
  await page.goto('/pairs/NZDUSD/1h');
  const verdict = page.getByTestId('pair-verdict');
  await expect(verdict).toContainText('consecutive failed runs');
  await expect(verdict).toContainText('What to do');
  await expect(page.getByTestId('pair-facts')).toBeVisible();
  await expect(page.getByTestId('remediation-sql')).toBeAttached();
  expect(await pageWidth(page)).toBeLessThanOrEqual(390);
  const box = await verdict.boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
});

test('the incidents page on a phone does not scroll sideways', async ({ page }) => {
  await page.goto('/incidents');
  await expect(page.getByTestId('incident-row').first()).toBeVisible();
  expect(await pageWidth(page)).toBeLessThanOrEqual(390);
});

test('the overview on a phone: rows are cards whose reason and action read in full, no sideways scroll', async ({
  page,
  request,
}) => {
  const answer = await (await request.get('/api/health/overview?q=NZDUSD&timeframe=1h')).json();
  const failing = answer.rows[0] as { symbol: string; reason: string; action: string };
  expect(failing.symbol).toBe('NZDUSD');
  expect(failing.action.length).toBeGreaterThan(40); // long enough that a table cell would cut it

  await page.goto('/');
  const row = page.getByTestId('health-row').filter({ has: page.getByRole('link', { name: 'NZDUSD' }) });
  await row.scrollIntoViewIfNeeded();
  await expect(row).toBeVisible();
  expect(
    await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth),
    'the page does not scroll sideways',
  ).toBe(true);
  const table = page.getByTestId('health-table-scroll');
  expect(await table.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);

  const reason = row.getByTestId('row-reason');
  const action = row.getByTestId('row-action');
  await expect(reason).toContainText(failing.reason);
  await expect(action).toHaveText(`→ What to do: ${failing.action}`);
  for (const text of [reason, action]) {
    await expect(text).toBeVisible();
    // Wrapped, not cut: nothing overflows the line box, and the box is inside the screen.
    expect(await text.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    const box = (await text.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  // The symbol leads its card, in view.
  const symbol = (await row.getByRole('link', { name: 'NZDUSD' }).boundingBox())!;
  const card = (await row.boundingBox())!;
  expect(symbol.x).toBeGreaterThanOrEqual(0);
  expect(symbol.x + symbol.width).toBeLessThanOrEqual(390);
  expect(symbol.y - card.y).toBeLessThan(40);
});
