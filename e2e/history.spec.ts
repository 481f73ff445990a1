import { expect, test } from '@playwright/test';
import pg from 'pg';
import { e2eEnvironment } from './fixtures/environment';
import { RESOLVED_INCIDENT, TIMELINE_PAIR } from './fixtures/history-seed';
import { PROBLEM_PAIRS } from './fixtures/seed';
import { isProblem } from '../lib/health/rules';

/** One incident per symbol and problem state of PROBLEM_PAIRS (DISABLED and CLOSED open none). */
const OPEN_CAUSES = new Set(
  PROBLEM_PAIRS.filter((pair) => isProblem(pair.state)).map((pair) => `${pair.symbol}/${pair.state}`),
).size;

const environment = e2eEnvironment();

async function sql(text: string, params: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: environment.databaseUrl });
  await client.connect();
  try {
    await client.query(text, params);
  } finally {
    await client.end();
  }
}

test('/incidents: open incidents first, one line per cause, with links to their pairs; resolved ones after', async ({
  page,
}) => {
  await page.goto('/incidents');
  await expect(page.getByRole('link', { name: 'Incidents' })).toHaveAttribute('aria-current', 'page');
  const rows = page.getByTestId('incident-row');
  // Eight problem causes in the fixture data, and one resolved feed outage.
  expect(OPEN_CAUSES).toBe(8);
  await expect(rows).toHaveCount(OPEN_CAUSES + 1);
  await expect(page.getByTestId('incident-counts')).toHaveText(
    `${OPEN_CAUSES} open · ${OPEN_CAUSES + 1} in the history`,
  );
  expect(await rows.evaluateAll((list) => list.map((row) => row.getAttribute('data-status')))).toEqual([
    ...Array(OPEN_CAUSES).fill('open'),
    'resolved',
  ]);
  // XAGUSD: its feed outage (5m) and its unrepaired drift (1h) are two causes, two incidents.
  const feed = rows.filter({ hasText: 'XAGUSD · 1 timeframe · Source stale' });
  await expect(feed).toHaveCount(1);
  await expect(feed.getByRole('link')).toHaveText(['XAGUSD 5m']);
  await expect(rows.filter({ hasText: 'XAGUSD · 1 timeframe · Drift' }).getByRole('link')).toHaveText(['XAGUSD 1h']);
  const resolved = rows.last();
  await expect(resolved).toContainText(`${RESOLVED_INCIDENT.symbol} · 3 timeframes · Source stale`);
  await expect(resolved).toContainText(`${RESOLVED_INCIDENT.minutes} min`);
  await expect(resolved).not.toContainText('so far');

  // MTTR and time in problem: BTCUSD 5m (e2e/fixtures/history-seed.ts) flapped as LAGGING 20 h ago for an hour, and
  // is LAGGING again since 3 h (open).
  const byTimeframe = page.getByTestId('stats-by-timeframe');
  await expect(byTimeframe.locator('tbody tr').first()).toContainText('5m');
  await expect(page.getByTestId('stats-top-symbols')).toContainText('BTCUSD');
  // Causes read as text for people: labels, not enum names; no placeholders of the grouping.
  for (const cause of await page.getByTestId('incident-cause').allTextContents()) {
    expect(cause).not.toMatch(/<symbol>|<tf>|<time>|(^|\s)#(\s|$)|\b(SOURCE_STALE|FAILING|LAGGING|AHEAD)\b/);
  }
  await expect(page.getByTestId('problem-stats')).not.toContainText(/(^|\s)0 s\b/);
  // The window is in the URL (a reload or a shared link keeps it) and replaces the history entry.
  await page.getByRole('button', { name: '7 d' }).click();
  await expect(page.getByRole('button', { name: '7 d' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/\/incidents\?window=7d$/);
  await page.reload();
  await expect(page.getByRole('button', { name: '7 d' })).toHaveAttribute('aria-pressed', 'true');

  await rows.filter({ hasText: 'NZDUSD' }).getByRole('link', { name: 'NZDUSD 1h' }).click();
  await expect(page).toHaveURL(/\/pairs\/NZDUSD\/1h$/);
  await expect(page.getByTestId('pair-verdict')).toContainText('Failing');
});

test('the pair page: state timeline over 24 h and 7 d, "since" next to the state', async ({ page }) => {
  await page.goto(`/pairs/${TIMELINE_PAIR.symbol}/${TIMELINE_PAIR.timeframe}`);
  const bands = page.getByTestId('timeline-band');
  // OK (clipped at 24 h), LAGGING while flapping, OK, and LAGGING for the last 3 hours.
  await expect(bands).toHaveCount(4);
  expect(await bands.evaluateAll((list) => list.map((band) => band.getAttribute('data-state')))).toEqual([
    'OK',
    'LAGGING',
    'OK',
    'LAGGING',
  ]);
  await expect(bands.nth(1)).toHaveAttribute('title', /LAGGING|Lagging/);
  await expect(bands.nth(1)).toHaveAttribute('title', /\(flapping\)[\s\S]*flapping: 6 changes/);
  await expect(page.getByTestId('pair-since')).toContainText(/In this state since .* \(for 3 h( \d+ min)?\)/);
  const changes = page.getByTestId('state-changes').locator('tbody tr');
  await expect(changes.first()).toContainText('30 bars behind, threshold 3 bars');
  await expect(changes.first()).toContainText('(now)');

  await page.getByRole('button', { name: '7 d' }).click();
  await expect(page.getByRole('button', { name: '7 d' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/\?history=7d$/);
  // Over 7 d the first OK is not clipped: still four bands, the first one longer.
  await expect(bands).toHaveCount(4);
});

test('a failing pair in retry backoff says when it is retried next', async ({ page }) => {
  await sql(
    `UPDATE data_agg_state SET next_retry_utc = now() + interval '10 minutes' WHERE canonical_symbol = 'NZDUSD' AND timeframe = '1h'`,
  );
  try {
    await page.goto('/pairs/NZDUSD/1h');
    await expect(page.getByTestId('next-retry')).toContainText(/next retry in (9|10) min/);
  } finally {
    await sql(`UPDATE data_agg_state SET next_retry_utc = NULL WHERE canonical_symbol = 'NZDUSD' AND timeframe = '1h'`);
  }
});

test('the wall: one tile per open incident, worst first, its cause and since when, on one screen at 720p', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/wall');
  const tiles = page.getByTestId('wall-tile');
  await expect(tiles).toHaveCount(OPEN_CAUSES);
  await expect(page.getByTestId('wall-summary')).toContainText(`${OPEN_CAUSES} incidents`);
  await expect(tiles.first()).toHaveAttribute('data-kind', 'incident');
  await expect(tiles.first()).toContainText('Cursor ahead');
  await expect(tiles.first().getByTestId('wall-incident-who')).toHaveText('USDCHF 15m');
  await expect(tiles.first().getByTestId('wall-incident-width')).toHaveText(/^1 pair · since \d\d:\d\d UTC$/);
  // XAGUSD's feed outage (one pair: named) and its drift are two causes, two tiles.
  await expect(tiles.filter({ hasText: 'XAGUSD 5m' })).toHaveAttribute('data-state', 'SOURCE_STALE');
  await expect(tiles.filter({ hasText: 'XAGUSD 1h' })).toHaveAttribute('data-state', 'DRIFT');
  // A failing incident says its error in words; the others the health sentence of their pair.
  await expect(tiles.filter({ hasText: 'NZDUSD 1h' }).getByTestId('wall-incident-detail')).toContainText(
    'aggregate window returned no source_count',
  );
  await expect(tiles.filter({ hasText: 'BTCUSD 5m' }).getByTestId('wall-incident-detail')).toContainText('behind');
  // Readable across a room at 720p: the tiles' text is at least 16 px, and nothing scrolls.
  const smallest = await tiles
    .first()
    .evaluate((tile) =>
      Math.min(...[...tile.querySelectorAll('p, span')].map((node) => parseFloat(getComputedStyle(node).fontSize))),
    );
  expect(smallest).toBeGreaterThanOrEqual(16);
  const size = await page.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    inner: window.innerHeight,
  }));
  expect(size.height).toBeLessThanOrEqual(size.inner);
});
