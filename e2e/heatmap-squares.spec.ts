import { expect, test } from '@playwright/test';

// The heatmap's squares (components/charts/health-heatmap.tsx) are plain links with one set of
// handlers on the grid, drawn after the table's rows: what next/link and the per-square handlers
// did must still happen — a client-side navigation on a plain click, the tip on hover and gone
// after — and the rows must not wait for the squares.

test('a click on a heatmap square opens its pair without reloading the page', async ({ page }) => {
  await page.goto('/');
  const square = page.getByTestId('heatmap-cell').first();
  await expect(square).toBeVisible();
  const href = (await square.getAttribute('href'))!;
  expect(href).toMatch(/^\/pairs\/[^/]+\/[^/]+$/);
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await square.click();
  await expect(page).toHaveURL(new RegExp(`${href.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  // Same document: a client-side navigation, as next/link made.
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
});

test('a modified click on a square is left to the browser (a new tab), the overview stays', async ({
  page,
  context,
}) => {
  await page.goto('/');
  const square = page.getByTestId('heatmap-cell').first();
  await expect(square).toBeVisible();
  const href = (await square.getAttribute('href'))!;
  const opened = context.waitForEvent('page');
  await square.click({ modifiers: ['ControlOrMeta'] });
  const tab = await opened;
  await tab.waitForLoadState('domcontentloaded');
  expect(new URL(tab.url()).pathname).toBe(href);
  expect(new URL(page.url()).pathname).toBe('/');
  await tab.close();
});

test('hovering a square shows its label as a tip; leaving the grid hides it', async ({ page }) => {
  await page.goto('/');
  const squares = page.getByTestId('heatmap-cell');
  await expect(squares.first()).toBeVisible();
  const tip = page.getByTestId('heatmap-tip');
  await squares.nth(1).hover();
  await expect(tip).toHaveText((await squares.nth(1).getAttribute('aria-label'))!);
  await squares.nth(2).hover();
  await expect(tip).toHaveText((await squares.nth(2).getAttribute('aria-label'))!);
  await page.getByRole('searchbox', { name: 'Search symbols' }).hover();
  await expect(tip).toHaveCount(0);
});

test("the table's rows are drawn before the heatmap's squares, which follow in the background", async ({ page }) => {
  // Which MutationObserver callback (one per task that changed the DOM) first saw each.
  await page.addInitScript(() => {
    const seen = { calls: 0, rows: -1, squares: -1 };
    (window as unknown as { firstSeen: typeof seen }).firstSeen = seen;
    new MutationObserver(() => {
      seen.calls += 1;
      if (seen.rows < 0 && document.querySelector('[data-testid="health-row"]')) seen.rows = seen.calls;
      if (seen.squares < 0 && document.querySelector('[data-testid="heatmap-cell"]')) seen.squares = seen.calls;
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto('/');
  await expect(page.getByTestId('heatmap-cell').first()).toBeVisible();
  const seen = await page.evaluate(
    () => (window as unknown as { firstSeen: { rows: number; squares: number } }).firstSeen,
  );
  expect(seen.rows).toBeGreaterThan(0);
  expect(seen.squares).toBeGreaterThan(seen.rows);
});
