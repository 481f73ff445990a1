// GET /api/health with If-None-Match against a real database: 304 while only the clock moved,
// 200 when a row changed, per query; and the browser's healthListAsOf of the older answer
// equals the newer answer the server derives (lib/health/clock.ts).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { GET } from '../../app/api/health/route';
import { resetSnapshotCaches } from '../../lib/api/snapshot';
import { GENERATED_AT_HEADER, healthListAsOf } from '../../lib/health/clock';
import type { HealthListResponse } from '../../lib/shared/types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { currentWindow, insertFrontier, MINUTE, pointApiAt, registerPair } from './support';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await pointApiAt(db.url);
  for (const symbol of ['CALM', 'SLOW', 'FAIL']) await insertFrontier(db, symbol, currentWindow() - MINUTE);
  await registerPair(db, { symbol: 'CALM', timeframe: '5m', cursor: 0, successMinutesAgo: 1 });
  await registerPair(db, { symbol: 'SLOW', timeframe: '5m', cursor: 4, successMinutesAgo: 2, recentBars: [1, 1, 1] });
  await registerPair(db, {
    symbol: 'FAIL',
    timeframe: '1h',
    cursor: 0,
    successMinutesAgo: 10,
    failures: 2,
    lastError: 'boom',
  });
});
afterAll(async () => {
  await db?.drop();
});

async function get(path: string, ifNoneMatch?: string) {
  resetSnapshotCaches(); // every request a new snapshot, as after the 2 s TTL
  const response = await GET(
    new Request(`http://127.0.0.1${path}`, { headers: ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {} }),
  );
  const text = await response.text();
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    generatedAt: response.headers.get(GENERATED_AT_HEADER),
    text,
    body: text ? (JSON.parse(text) as HealthListResponse) : null,
  };
}

test('304 with no body while nothing changed, in every form of If-None-Match; 200 for another query', async () => {
  const first = await get('/api/health');
  expect(first.status).toBe(200);
  expect(first.etag).toMatch(/^"[\w-]+\.[\w-]+"$/);
  expect(first.generatedAt).toBe(first.body!.generatedAt);
  for (const header of [first.etag!, `W/${first.etag}`, `"other", ${first.etag}`, '*']) {
    const again = await get('/api/health', header);
    expect({ header, status: again.status, text: again.text, etag: again.etag }).toEqual({
      header,
      status: 304,
      text: '',
      etag: first.etag,
    });
    expect(Date.parse(again.generatedAt!)).toBeGreaterThanOrEqual(Date.parse(first.generatedAt!));
  }
  expect((await get('/api/health', '"other"')).status).toBe(200);
  const page = await get('/api/health?timeframe=5m', first.etag!);
  expect(page.status).toBe(200);
  expect(page.etag!.split('.')[0]).toBe(first.etag!.split('.')[0]); // same snapshot, another query
});

test('a changed row, or a pair added, changes the ETag', async () => {
  const before = await get('/api/health');
  await db.sql(`UPDATE data_agg_state SET total_runs = total_runs + 1 WHERE canonical_symbol = 'CALM'`);
  const changed = await get('/api/health', before.etag!);
  expect(changed.status).toBe(200);
  expect(changed.etag).not.toBe(before.etag);
  await registerPair(db, { symbol: 'CALM', timeframe: '1h', cursor: 0, successMinutesAgo: 1 });
  const added = await get('/api/health', changed.etag!);
  expect(added.status).toBe(200);
  expect(added.body!.total).toBe(before.body!.total + 1);
});

// The database's clock cannot be injected: the view measures with now(). So this test waits
// 6.5 s, a little more than one tenth of a minute, the view's resolution.
test('only the clock moved: 304, and the held list brought forward equals the fresh answer, a new STALLED pair included', async () => {
  // 1 s short of the stall threshold: 60.0 min (OK) now, 60.1 (STALLED) 6.5 s later.
  await db.sql(
    `INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc, last_success_utc)
    SELECT 'EDGE', '1d', agg_last_complete_window_start(interval '24 hours', 'infinity', 0, $1), now() - interval '59 minutes 59 seconds'`,
    [new Date(currentWindow() - MINUTE)],
  );
  await insertFrontier(db, 'EDGE', currentWindow() - MINUTE);
  const held = await get('/api/health');
  expect(held.body!.rows.find((row) => row.symbol === 'EDGE')).toMatchObject({ state: 'OK', minutesSinceSuccess: 60 });
  await new Promise((resolve) => setTimeout(resolve, 6_500));

  const confirmed = await get('/api/health', held.etag!);
  expect(confirmed.status).toBe(304);
  const fresh = await get('/api/health');
  expect(fresh.etag).toBe(held.etag);
  const moved = healthListAsOf(held.body!, confirmed.generatedAt!);
  const key = (row: { symbol: string; timeframe: string }) => `${row.symbol}/${row.timeframe}`;
  expect(moved.rows.map(key)).toEqual(fresh.body!.rows.map(key));
  for (const [index, row] of moved.rows.entries()) {
    const other = fresh.body!.rows[index]!;
    // The held ages were rounded to tenths 6.5 s ago: within a tenth of the fresh ones.
    expect(Math.abs(row.minutesSinceSuccess! - other.minutesSinceSuccess!)).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(Math.abs((row.sourceAgeMinutes ?? 0) - (other.sourceAgeMinutes ?? 0))).toBeLessThanOrEqual(0.1 + 1e-9);
    expect({ key: key(row), state: row.state, action: row.action, trend: row.trend }).toEqual({
      key: key(other),
      state: other.state,
      action: other.action,
      trend: other.trend,
    });
  }
  expect(moved.rows.find((row) => row.symbol === 'EDGE')).toMatchObject({
    state: 'STALLED',
    reason: 'no success for 60 min, threshold 60 min, policy default',
  });
});
