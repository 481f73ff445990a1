import { expect, test } from '@playwright/test';
import { HEALTH_STATES, type HealthListResponse, type HealthState, type PairHealth } from '../lib/shared/types';
import { overviewBody } from './fixtures/scripted-api';

/**
 * 30,000 pairs (5,000 symbols × 6 timeframes), served in place of the API (by the server's own
 * overview function, lib/health/overview.ts) so that the test measures the page, not the
 * database: the table and the heatmap must render only what is in sight, the tab must ask only
 * for windows of them, and sorting or scrolling must reach every row.
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
  let requests = 0;
  await page.route(/\/api\/health\/overview\?/, (route) => {
    requests += 1;
    return route.fulfill({ json: overviewBody(sample, rows, route.request().url()) });
  });
  // Row and heatmap links are not prefetched: every redraw would fetch the pair pages again.
  const prefetches: string[] = [];
  page.on('request', (sent) => {
    if (new URL(sent.url()).pathname.startsWith('/pairs/')) prefetches.push(sent.url());
  });
  const okCount = rows.filter((row) => row.state === 'OK').length;

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
  await expect(page.getByTestId('count-value-OK')).toHaveText(okCount.toLocaleString('en-US'));
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

  // Windows, not pages through the whole list: a handful of requests for the load, the sort and the scroll.
  expect(requests).toBeLessThan(20);
  expect(prefetches).toEqual([]);

  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  console.log(
    `30,000 pairs: loaded in ${loadMs} ms (long tasks ${JSON.stringify(loadTasks.map(Math.round))}); ` +
      `sort by symbol ${sortMs} ms, then scroll (long tasks ${JSON.stringify(longTasks.map(Math.round))})`,
  );
  // Timings are printed, not asserted: they depend on the machine's load. The speed figures
  // live in `npm run bench -- --only=browser`; this test guards virtualisation and correctness.
});
