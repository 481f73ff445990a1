// v_aggregation_frontier_health: every status, gap, bars_behind, freshness, the three documented
// queries verbatim, and a plan that finds F by index look-up.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
let nowMinute: number; // the database's now(), truncated to the minute, in ms

interface ViewRow {
  canonical_symbol: string; timeframe: string; cursor_status: string; gap_minutes: number | null;
  bars_behind: number | null; source_age_minutes: number | null; minutes_since_success: number | null; bars_per_run: number | null;
}

async function viewRow(symbol: string, tf: string): Promise<ViewRow> {
  const rows = await db.sql<ViewRow>(`SELECT * FROM v_aggregation_frontier_health WHERE canonical_symbol = $1 AND timeframe = $2`, [symbol, tf]);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

const minutesAgo = (minutes: number) => new Date(nowMinute - minutes * 60_000);

beforeAll(async () => {
  db = await createTestDatabase();
  const { now } = await db.one<{ now: Date }>(`SELECT date_trunc('minute', now()) AS now`);
  nowMinute = now.getTime();
  // LIVE: fresh until one minute ago. STALE: its feed stopped 90 minutes ago. Plus filler volume for the planner.
  await insertBars(db.pool, randomWalkBars('LIVE', minutesBetween(minutesAgo(600), minutesAgo(0)), 1));
  await insertBars(db.pool, randomWalkBars('STALE', minutesBetween(minutesAgo(600), minutesAgo(89)), 2));
  for (let i = 0; i < 40; i++) {
    await insertBars(db.pool, randomWalkBars(`FILL${i}`, minutesBetween(minutesAgo(1500), minutesAgo(0)), 10 + i));
  }
  await db.sql('ANALYZE bars_1m');
  await db.sql('VACUUM bars_1m');
});
afterAll(async () => { await db?.drop(); });

test('OK, AHEAD, NULL and no-source pairs, with gap, bars_behind and freshness', async () => {
  const f = minutesAgo(1); // LIVE's frontier
  const fiveMinuteAligned = (ms: number) => new Date(Math.floor(ms / 300_000) * 300_000);
  const caughtUp = new Date(fiveMinuteAligned(f.getTime() + 60_000).getTime() - 300_000); // last complete 5m window
  await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc, last_success_utc, registered_at_utc) VALUES
    ('LIVE', '5m', $1, now() - interval '2 minutes', now() - interval '1 day'),
    ('LIVE', '15m', NULL, NULL, now() - interval '3 hours'),
    ('LIVE', '1h', $2, now() - interval '30 minutes', now() - interval '1 day'),
    ('LIVE', '30m', $3, now() - interval '61 minutes', now() - interval '1 day'),
    ('GHOST', '5m', '2026-01-01T00:00Z', NULL, now() - interval '10 minutes')`,
    // LIVE/1h: the hour holding the minute after F, never complete (at hh:59 the hour holding F is).
    [caughtUp, new Date(Math.floor((f.getTime() + 60_000) / 3_600_000) * 3_600_000), new Date(Math.floor((f.getTime() - 3 * 3_600_000) / 1_800_000) * 1_800_000)]);

  const ok = await viewRow('LIVE', '5m');
  expect(ok).toMatchObject({ cursor_status: 'OK', bars_behind: 0 });
  expect(Number(ok.gap_minutes)).toBe((f.getTime() - caughtUp.getTime()) / 60_000);
  expect(Number(ok.source_age_minutes)).toBeGreaterThanOrEqual(1);
  expect(Number(ok.source_age_minutes)).toBeLessThan(2.1);
  expect(Number(ok.minutes_since_success)).toBeCloseTo(2, 0);

  const nullCursor = await viewRow('LIVE', '15m');
  expect(nullCursor).toMatchObject({ cursor_status: 'NULL', bars_behind: null, gap_minutes: null });
  expect(Number(nullCursor.minutes_since_success)).toBeCloseTo(180, 0); // never succeeded: since registration

  const ahead = await viewRow('LIVE', '1h'); // its hour is not complete
  expect(ahead).toMatchObject({ cursor_status: 'AHEAD', bars_behind: 0 });
  expect(await viewRow('GHOST', '5m')).toMatchObject({ cursor_status: 'AHEAD', bars_behind: null });

  const lagging = await viewRow('LIVE', '30m');
  expect(lagging.cursor_status).toBe('OK');
  expect(lagging.bars_behind).toBeGreaterThanOrEqual(5);
  expect(lagging.bars_behind).toBeLessThanOrEqual(6);
});

test("the three documented queries run verbatim", async () => {
  await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc, last_success_utc, recent_bars, recent_bars_sum)
    VALUES ('STALE', '5m', $1, now(), '{0,0,0,0,0,0,0,0,0,0}', 0)`, [new Date(Math.floor(minutesAgo(200).getTime() / 300_000) * 300_000)]);
  const ahead = await db.sql<ViewRow>(`SELECT * FROM v_aggregation_frontier_health WHERE cursor_status = 'AHEAD';`);
  expect(ahead.map((r) => `${r.canonical_symbol}/${r.timeframe}`).sort()).toEqual(['GHOST/5m', 'LIVE/1h']);
  const stalled = await db.sql<ViewRow>(`SELECT * FROM v_aggregation_frontier_health WHERE minutes_since_success > 60;`);
  expect(stalled.map((r) => `${r.canonical_symbol}/${r.timeframe}`).sort()).toEqual(['LIVE/15m', 'LIVE/30m']);
  const inefficient = await db.sql<ViewRow>(`SELECT * FROM v_aggregation_frontier_health WHERE bars_per_run < 0.01;`);
  expect(inefficient.map((r) => `${r.canonical_symbol}/${r.timeframe}`)).toEqual(['STALE/5m']);
  const stale = await viewRow('STALE', '5m');
  expect(Number(stale.source_age_minutes)).toBeGreaterThanOrEqual(90);
  expect(stale.bars_behind).toBeGreaterThan(20);
});

test('bars_per_run covers the last 20 runs with work, so a new stall shows at once', async () => {
  await db.sql(`SELECT bootstrap_aggregation_cursor('FILL0', '5m')`);
  for (let i = 0; i < 5; i++) await db.sql(`SELECT run_catchup('FILL0', '5m', 10, 1)`);
  expect((await viewRow('FILL0', '5m')).bars_per_run).toBe(10);
  for (let i = 0; i < 15; i++) await db.sql(`SELECT record_aggregation_failure('FILL0', '5m', 'boom', now())`);
  expect((await viewRow('FILL0', '5m')).bars_per_run).toBe(2.5); // 50 bars over 20 runs
  for (let i = 0; i < 5; i++) await db.sql(`SELECT record_aggregation_failure('FILL0', '5m', 'boom', now())`);
  expect((await viewRow('FILL0', '5m')).bars_per_run).toBe(0); // the successes left the window
  const { lifetime } = await db.one<{ lifetime: string }>(
    `SELECT round(total_bars_written::numeric / total_runs, 3) AS lifetime FROM data_agg_state WHERE canonical_symbol = 'FILL0' AND timeframe = '5m'`);
  expect(lifetime).toBe('2.000'); // what a lifetime average would still claim
});

test('its plan finds the frontier by index look-up, never a sequential scan of bars_1m', async () => {
  await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe) SELECT 'FILL' || i, tf.timeframe FROM generate_series(1, 39) i, agg_timeframes tf ON CONFLICT DO NOTHING`);
  await db.sql('ANALYZE');
  const plan = await db.sql<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT * FROM v_aggregation_frontier_health`);
  const text = plan.map((row) => row['QUERY PLAN']).join('\n');
  expect(text).not.toMatch(/Seq Scan on bars_1m/);
  expect(text).toMatch(/Index Only Scan (Backward )?using bars_1m_pkey on bars_1m/);
  const { n } = await db.one<{ n: string }>(`SELECT count(*) AS n FROM v_aggregation_frontier_health`);
  expect(Number(n)).toBe(Number((await db.sql<{ n: string }>(`SELECT count(*) AS n FROM data_agg_state`))[0]!.n));
});

test('the stall boundary: exactly 60.0 minutes is not in the stall query, 60.1 is (STALLED uses the same >)', async () => {
  // One transaction: now() stands still, so "exactly 60 minutes ago" stays exact.
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc, last_success_utc, registered_at_utc) VALUES
      ('EDGE60', '5m', NULL, now() - interval '60 minutes', now() - interval '1 day'),
      ('EDGE61', '5m', NULL, now() - interval '60 minutes 6 seconds', now() - interval '1 day')`);
    const { rows } = await client.query<{ canonical_symbol: string; minutes_since_success: number }>(
      `SELECT canonical_symbol, minutes_since_success FROM v_aggregation_frontier_health
        WHERE canonical_symbol LIKE 'EDGE%' ORDER BY 1`);
    expect(rows).toEqual([
      { canonical_symbol: 'EDGE60', minutes_since_success: 60 },
      { canonical_symbol: 'EDGE61', minutes_since_success: 60.1 },
    ]);
    const stalled = await client.query<{ canonical_symbol: string }>(
      `SELECT canonical_symbol FROM v_aggregation_frontier_health WHERE minutes_since_success > 60 AND canonical_symbol LIKE 'EDGE%'`);
    expect(stalled.rows.map((row) => row.canonical_symbol)).toEqual(['EDGE61']);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
});
