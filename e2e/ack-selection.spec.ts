import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import pg from 'pg';
import type { AuditLogPage } from '../lib/shared/actions';
import type { IncidentsResponse } from '../lib/shared/history-types';
import type { HealthSummaryResponse, OverviewResponse } from '../lib/shared/types';
import { e2eEnvironment } from './fixtures/environment';
import { overviewReady } from './fixtures/overview-ready';
import { PROBLEM_PAIRS } from './fixtures/seed';

/**
 * The acks where on-call looks first (the overview's rows, the phone's cards, the wall's tiles)
 * and the overview's bulk actions: select two rows, Retry, one audit row each. The acks made
 * here are deleted afterwards (other specs expect the seeded incidents un-acked); audit rows stay.
 * SCREENSHOTS=1 also writes docs/screenshots/wall-ack.png and overview-selection.png.
 */
const environment = e2eEnvironment();
const stalled = PROBLEM_PAIRS.find((pair) => pair.state === 'STALLED')!;
const NOTE = 'e2e: vendor feed restarted, watching';
const DOCS = path.resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const shotPath = (name: string) => (process.env.SCREENSHOTS ? path.join(DOCS, name) : path.join('test-results', name));

test.slow();

async function shoot(page: Page, name: string) {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: shotPath(name), caret: 'hide', animations: 'disabled' });
}

async function ackedRow(request: APIRequestContext) {
  const body = (await (await request.get('/api/health/overview?limit=100')).json()) as OverviewResponse;
  return body.rows.find((row) => row.symbol === stalled.symbol && row.timeframe === stalled.timeframe)?.ack ?? null;
}

test.beforeAll(async ({ request }) => {
  const open = (await (await request.get('/api/incidents?status=open&limit=100')).json()) as IncidentsResponse;
  const incident = open.incidents.find((i) => i.symbol === stalled.symbol && i.state === 'STALLED')!;
  const answer = await request.post(`/api/incidents/${incident.id}/ack`, { data: { note: NOTE } });
  expect(answer.status()).toBe(200);
  // The first look may be answered from a snapshot up to 15 s old; the acks are read apart from
  // it, but wait for the API to say so before any page looks.
  await expect.poll(async () => (await ackedRow(request))?.note, { timeout: 20_000 }).toBe(NOTE);
});

test.afterAll(async () => {
  const client = new pg.Client({ connectionString: environment.databaseUrl });
  await client.connect();
  try {
    await client.query(`DELETE FROM acknowledgements WHERE note LIKE 'e2e:%'`);
  } finally {
    await client.end();
  }
});

test("the acked pair's row says Ack'd by anonymous, the note in its title; the summary carries it", async ({
  page,
  request,
}) => {
  const summary = (await (await request.get('/api/health/summary')).json()) as HealthSummaryResponse;
  expect(summary.problems.find((pair) => pair.symbol === stalled.symbol)?.ack?.note).toBe(NOTE);
  await page.goto('/');
  const row = page
    .getByTestId('health-row')
    .filter({ has: page.locator(`a[title="Open ${stalled.symbol} ${stalled.timeframe}"]`) });
  const badge = row.getByTestId('ack-badge');
  await expect(badge).toHaveText("Ack'd by anonymous");
  await expect(badge).toHaveAttribute('title', new RegExp(`^anonymous: ${NOTE}\\n`));
  await expect(page.getByTestId('ack-badge')).toHaveCount(1);
});

test('the wall shows ACK’D · anonymous on the incident’s tile at 1920×1080', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/wall');
  const tile = page
    .locator('[data-testid="wall-tile"][data-kind="incident"]')
    .filter({ has: page.getByTestId('wall-incident-who').filter({ hasText: stalled.symbol }) });
  const ack = tile.getByTestId('wall-incident-ack-slot').getByTestId('wall-ack');
  await expect(ack).toHaveText("Ack'd\u202f·\u202fanonymous");
  expect(await ack.evaluate((node) => (node as HTMLElement).innerText)).toBe("ACK'D\u202f·\u202fanonymous");
  // Room beside the state and the duration for "ACK'D ·" and a name of several letters (a long
  // name is cut, whole in the title).
  expect(await ack.evaluate((node) => node.clientWidth)).toBeGreaterThanOrEqual(150);
  await expect(ack).toBeInViewport();
  // Readable from across a room: the state badge's size, at least 19 px at 1080 rows.
  const size = await ack.evaluate((node) => parseFloat(getComputedStyle(node).fontSize));
  expect(size).toBeGreaterThanOrEqual(19);
  await shoot(page, 'wall-ack.png');
});

test('phone: the acked card shows its badge', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  const row = page
    .getByTestId('health-row')
    .filter({ has: page.locator(`a[title="Open ${stalled.symbol} ${stalled.timeframe}"]`) });
  await row.scrollIntoViewIfNeeded();
  await expect(row.getByTestId('ack-badge')).toBeVisible();
  await page.screenshot({ path: path.join('test-results', 'overview-phone-ack.png') });
});

test('select two rows (a click, then Space on a focused row), Retry: one audit row each, from the UI', async ({
  page,
  request,
}) => {
  const [first, second] = PROBLEM_PAIRS.filter((pair) => pair.state === 'AHEAD' || pair.state === 'NULL');
  const rowOf = (pair: { symbol: string; timeframe: string }) =>
    page.getByTestId('health-row').filter({ has: page.locator(`a[title="Open ${pair.symbol} ${pair.timeframe}"]`) });
  const since = ((await (await request.get('/api/audit-log?limit=1')).json()) as AuditLogPage).entries[0]?.id ?? 0;

  await page.goto('/');
  await overviewReady(page);
  await rowOf(first!).getByTestId('row-select').click();
  await rowOf(second!).focus();
  await page.keyboard.press('Space');
  const bar = page.getByTestId('selection-bar');
  await expect(bar.getByTestId('selection-count')).toHaveText('2 selected:');
  await expect(page).toHaveURL(/\/$/); // neither click nor key opened a pair
  await bar.getByRole('button', { name: 'Retry now' }).click();
  const dialog = page.getByTestId('bulk-action-dialog');
  await expect(dialog.getByTestId('bulk-pairs')).toHaveText(
    `${first!.symbol} ${first!.timeframe} · ${second!.symbol} ${second!.timeframe}`,
  );
  await shoot(page, 'overview-selection.png');
  await dialog.getByTestId('bulk-apply').click();
  await expect(dialog.getByTestId('bulk-outcomes')).toContainText('2 done.');
  await expect(dialog.locator('[data-testid="bulk-outcome"][data-ok="true"]')).toHaveCount(2);

  const log = (await (await request.get('/api/audit-log?action=retry&limit=10')).json()) as AuditLogPage;
  const mine = log.entries.filter((entry) => entry.id > since);
  expect(mine.map((entry) => [entry.target, entry.source, entry.ok]).sort()).toEqual(
    [`${first!.symbol}/${first!.timeframe}`, `${second!.symbol}/${second!.timeframe}`]
      .sort()
      .map((target) => [target, 'ui', true]),
  );
});

test('Reset… on two selected pairs: one preview of both pairs’ cursor rows; Apply waits for a reason', async ({
  page,
}) => {
  const ahead = PROBLEM_PAIRS.find((pair) => pair.state === 'AHEAD')!;
  const lagging = PROBLEM_PAIRS.find((pair) => pair.state === 'LAGGING')!;
  await page.goto('/');
  for (const pair of [ahead, lagging])
    await page
      .getByTestId('health-row')
      .filter({ has: page.locator(`a[title="Open ${pair.symbol} ${pair.timeframe}"]`) })
      .getByTestId('row-select')
      .click();
  await page.getByTestId('selection-bar').getByRole('button', { name: 'Reset cursor…' }).click();
  const dialog = page.getByTestId('bulk-action-dialog');
  // The AHEAD cursor moves; the lagging pair's cursor is neither NULL nor ahead: no row.
  await expect(dialog.getByTestId('preview-row')).toHaveCount(1);
  await expect(dialog.getByTestId('preview-row')).toContainText(`${ahead.symbol} ${ahead.timeframe}`);
  const apply = dialog.getByTestId('bulk-apply');
  await expect(apply).toBeDisabled();
  await dialog.getByTestId('bulk-text').fill('e2e: looking only');
  await expect(apply).toBeEnabled();
  await page.screenshot({ path: path.join('test-results', 'overview-bulk-reset.png') });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
});

test('Acknowledge… on a selected row: one note, the outcome, then the row shows its badge', async ({
  page,
  request,
}) => {
  const failing = PROBLEM_PAIRS.find((pair) => pair.state === 'FAILING')!;
  const row = page
    .getByTestId('health-row')
    .filter({ has: page.locator(`a[title="Open ${failing.symbol} ${failing.timeframe}"]`) });
  await page.goto('/');
  await row.getByTestId('row-select').click();
  await page.getByTestId('selection-bar').getByRole('button', { name: 'Acknowledge…' }).click();
  const dialog = page.getByTestId('bulk-action-dialog');
  const apply = dialog.getByTestId('bulk-apply');
  await expect(apply).toBeDisabled();
  await dialog.getByTestId('bulk-text').fill('e2e: vendor ticket 4411');
  await dialog.getByLabel('Acknowledged for').selectOption({ label: '4 hours' });
  await apply.click();
  await expect(dialog.getByTestId('bulk-outcomes')).toContainText('1 done.');
  await dialog.getByRole('button', { name: 'Close' }).click();
  const body = (await (await request.get('/api/health/overview?limit=100')).json()) as OverviewResponse;
  const ack = body.rows.find((r) => r.symbol === failing.symbol && r.timeframe === failing.timeframe)?.ack;
  expect([ack?.note, ack?.until === null]).toEqual(['e2e: vendor ticket 4411', false]);
  await expect(row.getByTestId('ack-badge')).toHaveText("Ack'd by anonymous");
});

test('shift-click ticks the range; Select all N shown, then Clear', async ({ page }) => {
  await page.goto('/');
  const boxes = page.getByTestId('row-select');
  await boxes.nth(0).click();
  await boxes.nth(3).click({ modifiers: ['Shift'] });
  const count = page.getByTestId('selection-count');
  await expect(count).toHaveText('4 selected:');
  await expect(boxes.nth(2)).toBeChecked();
  await expect(boxes.nth(4)).not.toBeChecked();
  const all = page.getByTestId('select-all-shown');
  await expect(all).toHaveText(/^Select all \d+ shown$/);
  const shown = Number((await all.textContent())!.match(/\d+/)![0]);
  await all.click();
  await expect(count).toHaveText(`${shown} selected:`);
  await page.getByTestId('selection-bar').getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByTestId('selection-bar')).toHaveCount(0);
});
