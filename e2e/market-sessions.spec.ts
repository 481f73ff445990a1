import { expect, test } from '@playwright/test';
import { CLOSED_CALENDAR, CLOSED_SYMBOL, expectedCounts } from './fixtures/seed';

// The seed puts CLOSED_SYMBOL on a calendar closed from yesterday to tomorrow, its feed silent
// since the close: CLOSED on every page, quietly, never as a problem.

test('overview: CLOSED has its count, filter and heatmap squares, below every problem', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('count-value-CLOSED')).toHaveText(String(expectedCounts().CLOSED));
  await expect(page.locator('[data-testid="heatmap-cell"][data-state="CLOSED"]')).toHaveCount(6);
  await expect(
    page.getByRole('link', {
      name: new RegExp(
        `^${CLOSED_SYMBOL} 5m: Closed — market closed, opens in \\d+ h \\d+ min \\(calendar ${CLOSED_CALENDAR}\\)$`,
      ),
    }),
  ).toBeVisible();
  await page.getByTestId('count-CLOSED').click();
  await expect(page).toHaveURL(/\?state=CLOSED$/);
  await expect(page.getByTestId('health-row')).toHaveCount(6);
  await expect(page.getByTestId('health-row').first()).toContainText('market closed, opens in');
});

test('wall: closed pairs are counted quietly and get no tile', async ({ page }) => {
  await page.goto('/wall');
  const count = page.getByTestId('wall-count-CLOSED');
  await expect(count).toContainText(String(expectedCounts().CLOSED));
  await expect(count).toHaveClass(/bg-slate-900/); // not lit like a problem
  await expect(page.getByTestId('wall-tile').first()).toBeVisible();
  await expect(page.getByTestId('wall-tile').filter({ hasText: CLOSED_SYMBOL })).toHaveCount(0);
});

test('pair page: "market closed, opens in …", the calendar, and the SQL to check it', async ({ page }) => {
  await page.goto(`/pairs/${CLOSED_SYMBOL}/5m`);
  await expect(page.getByTestId('pair-reason')).toHaveText(
    new RegExp(`^market closed, opens in \\d+ h \\d+ min \\(calendar ${CLOSED_CALENDAR}\\)$`),
  );
  await expect(page.getByTestId('pair-market')).toHaveText(/^market closed, opens in \d+ h \d+ min$/);
  await expect(page.getByTestId('pair-facts')).toContainText(`(${CLOSED_CALENDAR}, UTC)`);
  await expect(page.getByText(`SELECT * FROM market_session_at('${CLOSED_SYMBOL}', now());`)).toBeVisible();
  await page.goto('/pairs/EURUSD/5m');
  await expect(page.getByTestId('pair-market')).toHaveText('always open (no calendar)');
});
