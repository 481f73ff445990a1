import { expect, test } from '@playwright/test';
import { HEALTH_STATES, type HealthListResponse, type HealthState, type PairHealth } from '../lib/shared/types';

/**
 * 30,000 pairs (5,000 symbols × 6 timeframes), served in place of the API so that the test
 * measures the page, not the database: the table and the heatmap must render only what is in
 * sight, and sorting or scrolling must not freeze the tab.
 */
const TIMEFRAMES: Array<[string, number]> = [
  ['5m', 5],
  ['15m', 15],
  ['30m', 30],
  ['1h', 60],
  ['4h', 240],
  ['1d', 1440],
];
const SYMBOLS = 5_000;

function stateOf(index: number): HealthState {
  // Mostly healthy, a sprinkling of every problem: deterministic.
  if (index % 23 === 0) return HEALTH_STATES[index % 7]!;
  return index % 101 === 0 ? 'DISABLED' : 'OK';
}

function manyPairs(template: PairHealth): PairHealth[] {
  const rows: PairHealth[] = [];
  for (let s = 0; s < SYMBOLS; s += 1) {
    for (const [timeframe, stepMinutes] of TIMEFRAMES) {
      const index = rows.length;
      const state = stateOf(index);
      rows.push({
        ...template,
        symbol: `S${String(s).padStart(5, '0')}`,
        timeframe,
        stepMinutes,
        state,
        severity: HEALTH_STATES.indexOf(state),
        barsBehind: index % 50,
        reason: `synthetic ${state.toLowerCase()} pair number ${index}`,
        reasons: [`synthetic ${state.toLowerCase()} pair number ${index}`],
      });
    }
  }
  return rows.sort((a, b) => a.severity - b.severity);
}

test('30,000 pairs: only the rows in sight are rendered, and sorting and scrolling reach every row', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const sample = (await (await request.get('/api/health?limit=1&state=OK')).json()) as HealthListResponse;
  const rows = manyPairs(sample.rows[0]!);
  const byState = Object.fromEntries(
    HEALTH_STATES.map((state) => [state, rows.filter((row) => row.state === state).length]),
  );

  await page.route(/\/api\/health\/summary$/, (route) =>
    route.fulfill({
      json: {
        generatedAt: sample.generatedAt,
        thresholds: sample.thresholds,
        total: rows.length,
        byState,
        problems: [],
      },
    }),
  );
  await page.route(/\/api\/health\?/, (route) => {
    const params = new URL(route.request().url()).searchParams;
    const offset = Number(params.get('offset') ?? 0);
    const limit = Number(params.get('limit') ?? rows.length);
    return route.fulfill({
      json: {
        generatedAt: sample.generatedAt,
        thresholds: sample.thresholds,
        runIntervalMinutes: sample.runIntervalMinutes,
        total: rows.length,
        rows: rows.slice(offset, offset + limit),
      },
    });
  });

  // Long tasks on the main thread, from the first script on.
  await page.addInitScript(() => {
    const store = window as unknown as { longTasks: number[] };
    store.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) store.longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const loadStarted = Date.now();
  await page.goto('/');
  await expect(page.getByTestId('table-count')).toHaveText('30,000 of 30,000 pairs', { timeout: 30_000 });
  const loadMs = Date.now() - loadStarted;
  const loadTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.splice(0));
  await expect(page.getByTestId('count-value-OK')).toHaveText(byState.OK!.toLocaleString('en-US'));
  expect(await page.getByTestId('health-row').count()).toBeLessThan(60);
  expect(await page.getByTestId('heatmap-cell').count()).toBeLessThan(1_500);

  const started = Date.now();
  await page.getByRole('button', { name: /^Symbol/ }).click();
  await expect(page.getByTestId('health-row').first().locator('td').nth(1)).toHaveText('S00000');
  const sortMs = Date.now() - started;

  const scroller = page.getByTestId('health-table-scroll');
  await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(page.getByTestId('health-row').last().locator('td').nth(1)).toHaveText('S04999');
  expect(await page.getByTestId('health-row').count()).toBeLessThan(60);

  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  console.log(
    `30,000 pairs: loaded in ${loadMs} ms (long tasks ${JSON.stringify(loadTasks.map(Math.round))}); ` +
      `sort by symbol ${sortMs} ms, then scroll (long tasks ${JSON.stringify(longTasks.map(Math.round))})`,
  );
  // Timings are printed, not asserted: they depend on the machine's load. The speed figures
  // live in `npm run bench -- --only=browser`; this test guards virtualisation and correctness.
});
