import { expect, test } from '@playwright/test';
import pg from 'pg';
import { e2eEnvironment } from './fixtures/environment';
import { FAILING_ERROR, HISTORY_PAIR, PROBLEM_PAIRS } from './fixtures/seed';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('the pair charts draw the run history, with failures marked on the time axis', async ({ page }) => {
  const { symbol, timeframe, runs, failedRuns } = HISTORY_PAIR;
  await page.goto(`/pairs/${symbol}/${timeframe}`);
  await expect(page.getByTestId('pair-verdict')).toContainText('30 bars behind, threshold 3 bars, policy default');
  await expect(page.getByTestId('pair-facts')).toContainText(/Catching up, ETA ~\d+ min/);

  const frontier = page.getByTestId('chart-frontier');
  await expect(frontier.locator('path.recharts-line-curve')).toHaveCount(2); // cursor and source frontier
  for (const path of await frontier.locator('path.recharts-line-curve').all()) {
    // one segment per run at least: a line through the history, not an empty path
    expect((await path.getAttribute('d'))?.match(/[LHV]/g)?.length ?? 0).toBeGreaterThanOrEqual(runs - failedRuns - 1);
  }
  await expect(page.getByTestId('chart-bars-behind').locator('path.recharts-area-area')).toHaveAttribute(
    'd',
    /^M[\d.]+,[\d.]+.*[LHV]/,
  );
  await expect(page.getByTestId('chart-bars-per-run').locator('.recharts-bar-rectangle')).toHaveCount(
    runs - failedRuns,
  );
  await expect(page.getByTestId('chart-duration').locator('.recharts-line-dot')).toHaveCount(runs);
  for (const chart of ['chart-frontier', 'chart-bars-behind', 'chart-bars-per-run', 'chart-duration']) {
    await expect(page.getByTestId(chart).locator('.recharts-reference-line-line[stroke-dasharray="4 3"]')).toHaveCount(
      failedRuns,
    );
  }
});

test('recent runs page backwards and show their raw JSON, with a copy button', async ({ page }) => {
  const { symbol, timeframe, runs } = HISTORY_PAIR;
  await page.goto(`/pairs/${symbol}/${timeframe}`);
  await expect(page.getByTestId('run-row')).toHaveCount(25);
  await page.getByRole('button', { name: 'Load older runs' }).click();
  await expect(page.getByTestId('run-row')).toHaveCount(runs);
  await expect(page.getByText('That is the oldest run kept.')).toBeVisible();
  await expect(page.getByTestId('run-row').filter({ hasText: 'failed' })).toHaveCount(HISTORY_PAIR.failedRuns);

  const newest = page.getByTestId('run-row').first().getByRole('button', { expanded: false });
  await newest.click();
  const json = page.getByTestId('run-json');
  await expect(json).toContainText('"bars_behind": 30');
  await expect(json).toContainText('"stop_reason": "max_windows"');
  await json.getByRole('button', { name: 'Copy JSON' }).click();
  await expect(json.getByRole('button', { name: 'Copied' })).toBeVisible();
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as {
    result: { symbol: string };
  };
  expect(copied.result.symbol).toBe(symbol);
});

test('a failing pair shows its last error and the remediation SQL to copy, and links back', async ({ page }) => {
  await page.goto('/pairs/NZDUSD/1h');
  await expect(page.getByTestId('pair-verdict')).toContainText(
    '3 consecutive failed runs: aggregate window returned no source_count',
  );
  await expect(page.getByTestId('last-error')).toContainText(FAILING_ERROR);
  const sql = page.getByTestId('remediation-sql');
  await expect(sql).toContainText(
    "FROM data_agg_runs WHERE canonical_symbol = 'NZDUSD' AND timeframe = '1h' AND NOT ok",
  );
  await sql.getByRole('button', { name: 'Copy SQL' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await sql.locator('code').textContent());

  await expect(page.getByRole('link', { name: 'All 1h pairs' })).toHaveAttribute('href', '/?timeframe=1h');
  await page.getByRole('link', { name: 'All NZDUSD timeframes' }).click();
  await expect(page).toHaveURL(/\/\?q=NZDUSD$/);
  await expect(page.getByTestId('health-row')).toHaveCount(6);
  await expect(page.getByTestId('health-row').first()).toHaveAttribute('data-state', 'FAILING');
});

for (const state of ['AHEAD', 'FAILING'] as const) {
  test(`the frontier chart draws the source line and the cursor for a ${state} pair (no successful run)`, async ({
    page,
  }) => {
    const pair = PROBLEM_PAIRS.find((candidate) => candidate.state === state)!;
    await page.goto(`/pairs/${pair.symbol}/${pair.timeframe}`);
    const chart = page.getByTestId('chart-frontier');
    await expect(chart.locator('path.recharts-line-curve').first()).toBeVisible();
    await chart.screenshot({ path: `test-results/pair-frontier-${state}.png` });
    const [source, cursor] = await chart.locator('path.recharts-line-curve').all();
    // A line through the samples of bars_1m (25 at least), not a single point.
    expect((await source!.getAttribute('d'))?.match(/[LHV]/g)?.length ?? 0).toBeGreaterThanOrEqual(10);
    // The cursor: a line through its runs, or the dot where it stands now when no run recorded it.
    const cursorSegments = (await cursor?.getAttribute('d'))?.match(/[LHV]/g)?.length ?? 0;
    const cursorDots = await chart.locator('.recharts-line-dots circle').count();
    expect(cursorSegments + cursorDots).toBeGreaterThanOrEqual(1);
    await expect(chart.locator('.recharts-label').filter({ hasText: 'UTC' })).toBeVisible();
    await expect(chart).toContainText('all times UTC');
  });
}

test("an AHEAD pair's remediation resets that pair's cursor and names no other", async ({ page }) => {
  const ahead = PROBLEM_PAIRS.find((pair) => pair.state === 'AHEAD')!;
  await page.goto(`/pairs/${ahead.symbol}/${ahead.timeframe}`);
  const sql = page.getByTestId('remediation-sql');
  await expect(sql).toContainText(`reset_aggregation_cursor('${ahead.symbol}', '${ahead.timeframe}', true)`);
  await sql.getByRole('button', { name: 'Copy SQL' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).not.toContain('reset_aggregation_cursors');
  // The copied dry run, run as pasted: only this pair, though the fixture data holds a NULL cursor too.
  const dryRun = copied.split('\n').find((line) => line.includes(', true);'))!;
  const client = new pg.Client({ connectionString: e2eEnvironment().databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ canonical_symbol: string; timeframe: string; reason: string }>(dryRun);
    expect(rows.map((row) => `${row.canonical_symbol}/${row.timeframe}:${row.reason}`)).toEqual([
      `${ahead.symbol}/${ahead.timeframe}:ahead_of_source`,
    ]);
  } finally {
    await client.end();
  }
});

test('an unknown pair says so', async ({ page }) => {
  await page.goto('/pairs/NOPE/5m');
  await expect(page.getByRole('alert').filter({ hasText: 'No such pair.' })).toContainText('no pair NOPE/5m');
  await expect(
    page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Overview' }),
  ).toBeVisible();
});

test('a symbol typed in another case moves to the pair it stands for', async ({ page }) => {
  await page.goto('/pairs/usdjpy/5m');
  await expect(page).toHaveURL(/\/pairs\/USDJPY\/5m$/);
  await expect(page.getByTestId('pair-verdict')).toBeVisible();
});

test('a timeframe the symbol does not have: a 404 that lists its pairs and stops polling', async ({ page }) => {
  await page.clock.install();
  let asked = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/pairs/USDJPY/7x') asked += 1;
  });
  await page.goto('/pairs/USDJPY/7x');
  await expect(page.getByRole('alert').filter({ hasText: 'No such pair.' })).toContainText('no pair USDJPY/7x');
  const links = page.getByTestId('valid-timeframes').getByRole('link');
  await expect(links).toHaveText(['USDJPY 5m', 'USDJPY 15m', 'USDJPY 30m', 'USDJPY 1h', 'USDJPY 4h', 'USDJPY 1d']);
  const before = asked;
  await page.clock.runFor(60_000); // six poll intervals
  expect(asked).toBe(before);
  expect(before).toBe(1);
});

test('the 404 page keeps the header', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' })).toBeVisible();
});
