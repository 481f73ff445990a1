import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { CLOSED_SYMBOL, HISTORY_PAIR, PROBLEM_PAIRS } from './fixtures/seed';

/**
 * The screenshots in docs/screenshots, taken from the seeded e2e data:
 *   SCREENSHOTS=1 npx playwright test --project=screenshots
 * (after `npx next build`). Not part of `npm test`.
 */
const OUT = path.resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const PROBLEMS = PROBLEM_PAIRS.filter((pair) => pair.state !== 'DISABLED').length;

async function shoot(page: Page, name: string, fullPage = false) {
  // The clock and the "updated N s ago" text tick; hide the caret and wait for fonts.
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(OUT, name), fullPage, caret: 'hide', animations: 'disabled' });
}

test.use({ viewport: { width: 1920, height: 1080 } });

test('overview', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('heatmap-cell').first()).toBeVisible();
  await expect(page.getByTestId('updated-ago')).toContainText('Updated');
  await shoot(page, 'overview.png');
});

test('pair detail', async ({ page }) => {
  await page.goto(`/pairs/${HISTORY_PAIR.symbol}/${HISTORY_PAIR.timeframe}`);
  await expect(page.getByTestId('chart-duration').locator('.recharts-line-dot')).toHaveCount(HISTORY_PAIR.runs);
  await expect(page.getByTestId('run-row').first()).toBeVisible();
  await shoot(page, 'pair-detail.png', true);
});

test('failing pair detail', async ({ page }) => {
  await page.goto('/pairs/NZDUSD/1h');
  await expect(page.getByTestId('last-error')).toBeVisible();
  await expect(page.getByTestId('run-row').first()).toBeVisible();
  await shoot(page, 'pair-detail-failing.png');
});

test('drift pair detail', async ({ page }) => {
  await page.goto('/pairs/XAGUSD/1h');
  await expect(page.locator('[data-testid="run-row"][data-kind="audit"]')).toBeVisible();
  await shoot(page, 'pair-detail-drift.png', true);
});

test('closed market pair detail', async ({ page }) => {
  await page.goto(`/pairs/${CLOSED_SYMBOL}/5m`);
  await expect(page.getByTestId('pair-market')).toContainText('market closed');
  await shoot(page, 'pair-detail-closed.png');
});

for (const viewport of [
  { width: 1920, height: 1080, name: 'wall.png' },
  { width: 1280, height: 720, name: 'wall-1280x720.png' },
]) {
  test(`wall ${viewport.width}×${viewport.height}`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/wall');
    await expect(page.getByTestId('wall-tile')).toHaveCount(PROBLEMS);
    await shoot(page, viewport.name);
  });
}

test('overview, dark', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await expect(page.getByTestId('heatmap-cell').first()).toBeVisible({ timeout: 40_000 });
  await expect(page.getByTestId('updated-ago')).toContainText('Updated');
  await shoot(page, 'overview-dark.png');
});

test('pair detail, dark', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/pairs/NZDUSD/1h');
  await expect(page.getByTestId('last-error')).toBeVisible({ timeout: 40_000 });
  await expect(page.getByTestId('run-row').first()).toBeVisible();
  await shoot(page, 'pair-detail-dark.png');
});

test('incidents', async ({ page }) => {
  await page.goto('/incidents');
  await expect(page.getByTestId('incident-row')).toHaveCount(8);
  await shoot(page, 'incidents.png');
});

test('pair state timeline', async ({ page }) => {
  await page.goto('/pairs/BTCUSD/5m');
  await expect(page.getByTestId('timeline-band')).toHaveCount(4);
  await page.getByTestId('state-timeline').scrollIntoViewIfNeeded();
  await shoot(page, 'pair-timeline.png');
});

test('wall during an outage', async ({ page }) => {
  await page.goto('/wall');
  await expect(page.getByTestId('wall-tile')).toHaveCount(PROBLEMS);
  // From now on the API answers as it does when the database is down.
  await page.route(/\/api\/health\/summary$/, (route) =>
    route.fulfill({
      status: 503,
      json: { error: { code: 'db_unavailable', message: 'the database is unavailable; try again shortly' } },
    }),
  );
  await expect(page.getByTestId('stale-banner')).toBeVisible({ timeout: 40_000 });
  await expect(page.getByTestId('wall-content')).toHaveAttribute('data-stale', 'true');
  await shoot(page, 'wall-outage.png');
});

test('overview during an outage', async ({ page }) => {
  await page.goto('/?state=FAILING,STALLED,SOURCE_STALE');
  await expect(page.getByTestId('health-row').first()).toBeVisible();
  await page.route(/\/api\/health(\/summary)?(\?|$)/, (route) =>
    route.fulfill({
      status: 503,
      json: { error: { code: 'db_unavailable', message: 'the database is unavailable; try again shortly' } },
    }),
  );
  await expect(page.getByTestId('stale-banner')).toBeVisible({ timeout: 40_000 });
  await shoot(page, 'overview-outage.png');
});

test('overview on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  // The first answer of a server just started can take a while on a loaded machine.
  await expect(page.getByTestId('health-row').first()).toBeVisible({ timeout: 60_000 });
  // The table's top just under the sticky header: its sort buttons and the first cards.
  await page.getByTestId('health-table-scroll').evaluate((table) => {
    const header = document.querySelector('header')!.getBoundingClientRect().height;
    window.scrollTo(0, table.getBoundingClientRect().top + window.scrollY - header - 8);
  });
  await shoot(page, 'overview-phone.png');
});

test('reset preview and the audit log', async ({ page }) => {
  const ahead = PROBLEM_PAIRS.find((pair) => pair.state === 'AHEAD')!;
  await page.goto(`/pairs/${ahead.symbol}/${ahead.timeframe}`);
  await page.getByTestId('pair-actions').getByRole('button', { name: 'Reset cursor…' }).click();
  const dialog = page.getByRole('dialog', { name: /Reset cursor/ });
  await expect(dialog.getByTestId('preview-row')).toHaveCount(1);
  await dialog.getByLabel(/Reason/).fill('vendor replayed 2 hours; cursor ran ahead');
  await shoot(page, 'reset-preview.png');
  await dialog.getByRole('button', { name: 'Apply reset cursor' }).click();
  await expect(dialog).toBeHidden();
  await page.getByTestId('pair-actions').getByRole('button', { name: 'Retry now' }).click();
  await expect(page.getByTestId('action-message')).toContainText('Retry now');
  await page.goto('/audit');
  await expect(page.getByTestId('audit-row')).toHaveCount(3);
  await shoot(page, 'audit.png');
});

test('an acknowledged incident', async ({ page }) => {
  const stalled = PROBLEM_PAIRS.find((pair) => pair.state === 'STALLED')!;
  await page.goto('/incidents');
  const row = page
    .locator('[data-testid="incident-row"][data-status="open"]')
    .filter({ has: page.getByTestId('incident-cause').filter({ hasText: stalled.symbol }) });
  await row.getByRole('button', { name: 'Acknowledge…' }).click();
  await row.getByTestId('ack-note').fill('worker restarted, watching the backlog');
  await row.getByLabel('Acknowledged for').selectOption({ label: '4 hours' });
  await row.getByTestId('ack-submit').click();
  await expect(row.getByTestId('ack-badge')).toBeVisible();
  await shoot(page, 'incident-ack.png');
});
