// db:migrate on a legacy production database: adopted with every row kept, legacy cursors
// shown as they are, reset by the operator, caught up by the worker's run_catchup.
import { readdirSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GET as healthList } from '../../app/api/health/route';
import { GET as pairPage } from '../../app/api/pairs/[symbol]/[timeframe]/route';
import { GET as pairRuns } from '../../app/api/pairs/[symbol]/[timeframe]/runs/route';
import { closePool } from '../../lib/server/db';
import { loadDefinitions, migrateDatabase, SQL_DIR } from '../../lib/server/migrate';
import { BASELINE_FILES } from '../../lib/adopt/plan';
import type { HealthListResponse, PairDetailResponse, RunsPage } from '../../lib/shared/types';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from '../support/database';
import { call, pointApiAt } from '../api/support';
import { makeWorker } from '../worker/support';
import { catalogSnapshot, createLegacyTables, fillLegacyRows, legacyChecksums, T } from './legacy';

const LATER_FILES = readdirSync(SQL_DIR)
  .filter((f) => f.endsWith('.sql') && !BASELINE_FILES.includes(f))
  .sort();
const DEFINITIONS = loadDefinitions(SQL_DIR).map((d) => d.name);

let db: TestDatabase;
let before: Awaited<ReturnType<typeof legacyChecksums>>;
const log: string[] = [];

beforeAll(async () => {
  db = await createEmptyDatabase();
  await createLegacyTables(db.pool, { partitioned: true, keyedAggregates: true });
  await fillLegacyRows(db.pool);
  await db.sql('ANALYZE');
  before = await legacyChecksums(db.pool);
});
afterAll(async () => {
  await closePool();
  await db.drop();
});

/** Every bar of a pair in (from, to] equals an independent recomputation from bars_1m. */
async function compareWithRecompute(symbol: string, tf: string, from: string, to: string) {
  return db.one<{ missing: number; wrong: number; windows: number }>(
    `
    WITH want AS (
      SELECT date_bin(t.step, b.ts_utc, '2000-01-01 00:00:00+00') AS ws, (array_agg(b.open ORDER BY b.ts_utc))[1] AS o,
             max(b.high) AS h, min(b.low) AS l, (array_agg(b.close ORDER BY b.ts_utc DESC))[1] AS c, sum(b.volume) AS v, count(*)::int AS n
        FROM bars_1m b JOIN agg_timeframes t ON t.timeframe = $2
       WHERE b.canonical_symbol = $1 AND b.ts_utc >= $3::timestamptz + t.step AND b.ts_utc < $4::timestamptz + t.step
       GROUP BY 1),
    have AS (
      SELECT ts_utc, open, high, low, close, volume::numeric, source_count FROM bars_agg
       WHERE canonical_symbol = $1 AND timeframe = $2 AND ts_utc > $3 AND ts_utc <= $4)
    SELECT (SELECT count(*) FROM (SELECT * FROM want EXCEPT SELECT * FROM have) x)::int AS missing,
           (SELECT count(*) FROM (SELECT * FROM have EXCEPT SELECT * FROM want) y)::int AS wrong,
           (SELECT count(*) FROM want)::int AS windows`,
    [symbol, tf, from, to],
  );
}

/** One pass of the real worker (run_catchup per enabled pair, failures recorded). */
async function workerPass() {
  const { worker, close } = makeWorker(db.url);
  try {
    return await worker.runPass();
  } finally {
    await close();
  }
}

describe('adopting a pre-fix production database (partitioned bars_1m)', () => {
  test('--dry-run prints the plan and changes nothing', async () => {
    const catalog = await catalogSnapshot(db.pool);
    const lines: string[] = [];
    const result = await migrateDatabase(db.url, (line) => lines.push(line), SQL_DIR, { dryRun: true });
    expect(result).toEqual({
      applied: [],
      definitions: [],
      adopted: true,
      pending: LATER_FILES,
      pendingDefinitions: DEFINITIONS,
    });
    expect(lines[0]).toMatch(
      /^adoption: found bars_1m \(partitioned: 3 partitions, ~\d[\d,]* rows\), bars_agg \(~\d+ rows\), data_agg_state \(~6 rows\)/,
    );
    for (const statement of [
      'CREATE TABLE agg_timeframes (',
      'CREATE TABLE data_agg_runs (',
      'ALTER TABLE bars_agg ADD COLUMN source_count integer;',
      'ALTER TABLE bars_agg ALTER COLUMN aggregated_at_utc SET DEFAULT now();',
      'ALTER TABLE data_agg_state ADD COLUMN enabled boolean NOT NULL DEFAULT true;',
      '-- install 006_aggregation_monitoring_view.sql: v_aggregation_frontier_health',
    ])
      expect(
        lines.some((l) => l.trim().startsWith(statement)),
        statement,
      ).toBe(true);
    expect(lines.join('\n')).not.toMatch(/ALTER TABLE bars_1m|CONCURRENTLY/); // the source is never altered; keys exist
    expect(await catalogSnapshot(db.pool)).toBe(catalog);
    expect(await legacyChecksums(db.pool)).toEqual(before);
  });

  test('migrate adopts it: every legacy row unchanged, 001–006 baselined, later files applied', async () => {
    const result = await migrateDatabase(db.url, (line) => log.push(line));
    expect(result).toEqual({ applied: LATER_FILES, definitions: DEFINITIONS, adopted: true });
    expect(await legacyChecksums(db.pool)).toEqual(before);
    expect(log).not.toContain('NOTICE: Post-reset validation: All cursors within valid range'); // no silent reset
    const { rows } = await db.pool.query(`SELECT id, name FROM migrations ORDER BY id`);
    expect(rows.map((r) => r.name)).toEqual([
      'create-migrations-table',
      ...[...BASELINE_FILES, ...LATER_FILES].map((f) => f.replace(/^\d+_|\.sql$/g, '')),
    ]);
    // Legacy bars have no count; new state columns have their defaults.
    expect(
      await db.one(
        `SELECT count(*)::int AS n, count(source_count)::int AS counted, count(aggregated_at_utc)::int AS stamped FROM bars_agg`,
      ),
    ).toMatchObject({ counted: 0, stamped: 0 });
    expect(
      await db.one(`SELECT bool_and(enabled) AS enabled, sum(total_runs)::int AS runs FROM data_agg_state`),
    ).toEqual({ enabled: true, runs: 0 });
  });

  test('the functions installed are byte for byte those of a database this project created', async () => {
    const fresh = await createTestDatabase();
    try {
      const q = `SELECT oid::regprocedure::text AS name, pg_get_functiondef(oid) AS def
                   FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1`;
      const functions = await db.sql(q);
      expect(functions.length).toBeGreaterThan(30);
      expect(functions).toEqual(await fresh.sql(q));
      // The views' columns: the same names (an adopted database's varchar symbols keep their type).
      const v = `SELECT attrelid::regclass::text AS view, string_agg(attname, ',' ORDER BY attnum) AS columns FROM pg_attribute
                  WHERE attrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'v') GROUP BY 1 ORDER BY 1`;
      expect(await db.sql(v)).toEqual(await fresh.sql(v));
      const h = `SELECT name, hash FROM migration_definitions ORDER BY name`;
      expect(await db.sql(h)).toEqual(await fresh.sql(h));
    } finally {
      await fresh.drop();
    }
  });

  test('running it again has nothing to do', async () => {
    expect(await migrateDatabase(db.url)).toEqual({ applied: [], definitions: [], adopted: false });
    expect(await migrateDatabase(db.url, () => {}, SQL_DIR, { dryRun: true })).toEqual({
      applied: [],
      definitions: [],
      adopted: false,
      pending: [],
      pendingDefinitions: [],
    });
  });

  test('the view and GET /api/health show the legacy cursors as they are', async () => {
    const view = await db.sql<{ pair: string; cursor_status: string; bars_behind: number | null }>(
      `SELECT canonical_symbol || '/' || timeframe AS pair, cursor_status, bars_behind FROM v_aggregation_frontier_health ORDER BY 1`,
    );
    expect(view).toEqual([
      { pair: 'EURUSD/1h', cursor_status: 'AHEAD', bars_behind: 0 },
      { pair: 'EURUSD/5m', cursor_status: 'NULL', bars_behind: null },
      { pair: 'GBPUSD/15m', cursor_status: 'OK', bars_behind: 24 },
      { pair: 'GBPUSD/1d', cursor_status: 'AHEAD', bars_behind: 0 },
      { pair: 'NOSRC/5m', cursor_status: 'AHEAD', bars_behind: null },
      { pair: 'USDJPY/5m', cursor_status: 'OK', bars_behind: 1 },
    ]);
    await pointApiAt(db.url);
    const { status, body } = await call<HealthListResponse>(healthList, '/api/health');
    expect(status).toBe(200);
    const states = Object.fromEntries(body.rows.map((r) => [`${r.symbol}/${r.timeframe}`, r.cursorStatus]));
    expect(states).toEqual({
      'EURUSD/1h': 'AHEAD',
      'EURUSD/5m': 'NULL',
      'GBPUSD/15m': 'OK',
      'GBPUSD/1d': 'AHEAD',
      'NOSRC/5m': 'AHEAD',
      'USDJPY/5m': 'OK',
    });
    expect(body.rows.find((r) => r.symbol === 'EURUSD' && r.timeframe === '5m')!.state).toBe('NULL');
    // The pair page's data works on the adopted tables too (no run history yet).
    const pair = await call<PairDetailResponse>(pairPage, '/api/pairs/EURUSD/1h', {
      symbol: 'EURUSD',
      timeframe: '1h',
    });
    expect(pair.status).toBe(200);
    expect(pair.body.pair.cursorStatus).toBe('AHEAD');
    expect(pair.body.history).toEqual([]);
    expect(pair.body.remediationSql).toContain("reset_aggregation_cursor('EURUSD', '1h', true)");
    const runs = await call<RunsPage>(pairRuns, '/api/pairs/EURUSD/1h/runs', { symbol: 'EURUSD', timeframe: '1h' });
    expect(runs.status).toBe(200);
    expect(runs.body.runs).toEqual([]);
  });

  test('reset(true) lists, reset(false) repairs and validates, keeping every bar', async () => {
    const client = new pg.Client({ connectionString: db.url });
    const notices: string[] = [];
    client.on('notice', (n) => notices.push(n.message ?? ''));
    await client.connect();
    try {
      const rows = (r: pg.QueryResult) =>
        r.rows.map((x) => [`${x.canonical_symbol}/${x.timeframe}`, x.new_cursor_utc?.toISOString() ?? null, x.reason]);
      const expected = [
        ['EURUSD/1h', '2026-02-01T11:00:00.000Z', 'ahead_of_source'],
        ['EURUSD/5m', '2026-01-31T19:55:00.000Z', 'null_cursor'],
        ['GBPUSD/1d', '2026-02-28T00:00:00.000Z', 'ahead_of_source'],
        ['NOSRC/5m', null, 'no_source'],
      ];
      expect(rows(await client.query(`SELECT * FROM reset_aggregation_cursors(true)`))).toEqual(expected);
      // 48 complete + 1 partial EURUSD/5m, the EURUSD 12:00 and GBPUSD day bars, the NOSRC orphan.
      expect(notices).toEqual([
        'Dry run: 4 cursor(s) would be reset; nothing was written',
        'Dry run: 52 bar(s) in bars_agg lie past the new cursors; they would be kept and re-aggregated as the cursors pass again',
      ]);
      expect(await legacyChecksums(db.pool)).toEqual(before);
      expect(rows(await client.query(`SELECT * FROM reset_aggregation_cursors(false)`))).toEqual(expected);
      expect(notices.slice(2)).toEqual([
        'Reset 4 cursor(s); 52 bar(s) in bars_agg lie past the new cursors: kept, and re-aggregated as the cursors pass again',
        'Post-reset validation: All cursors within valid range',
      ]);
    } finally {
      await client.end();
    }
    const after = await legacyChecksums(db.pool);
    expect(after.bars_1m).toBe(before.bars_1m);
    expect(after.bars_agg).toBe(before.bars_agg); // the reset deletes nothing (007)
    expect(await db.sql(`SELECT cursor_status FROM v_aggregation_frontier_health WHERE cursor_status <> 'OK'`)).toEqual(
      [{ cursor_status: 'NULL' }],
    ); // NOSRC: to bootstrap once it has source
  });

  test('the worker re-aggregates every window it passes, equal to an independent recompute', async () => {
    const pass = await workerPass();
    // NOSRC's cursor is NULL again and it has no source: it fails loudly, the others go on.
    expect(pass).toMatchObject({ pairs: 6, failed: 1, behind: 0, bars: 198 + 24 + 1 });
    expect(
      await db.one(`SELECT consecutive_failures, last_error FROM data_agg_state WHERE canonical_symbol = 'NOSRC'`),
    ).toEqual({ consecutive_failures: 1, last_error: 'catchup_aggregation_range: start cursor is NULL for NOSRC/5m' });
    // The NULL pair was bootstrapped by the reset: all its bars, the partial 00:00 one included, are right now.
    expect(await compareWithRecompute('EURUSD', '5m', '2026-01-31T19:55:00Z', '2026-02-01T12:25:00Z')).toEqual({
      missing: 0,
      wrong: 0,
      windows: 198,
    });
    expect(await compareWithRecompute('GBPUSD', '15m', '2026-02-28T23:45:00Z', '2026-03-01T05:45:00Z')).toEqual({
      missing: 0,
      wrong: 0,
      windows: 24,
    });
    expect(await compareWithRecompute('USDJPY', '5m', '2026-03-01T03:50:00Z', '2026-03-01T03:55:00Z')).toEqual({
      missing: 0,
      wrong: 0,
      windows: 1,
    });
    // The feed goes on: EURUSD's 12:00 hour completes, and the kept partial bar is rewritten as the cursor passes.
    await insertBars(
      db.pool,
      randomWalkBars('EURUSD', minutesBetween(T('2026-02-01T12:30:00Z'), T('2026-02-01T13:00:00Z')), 42, 1.1),
    );
    await new Promise((resolve) => setTimeout(resolve, 50)); // the worker skips a pair attempted less than half an interval ago
    expect(await workerPass()).toMatchObject({ failed: 1, bars: 1 + 6 }); // the 12:00 hour and six more 5m bars
    expect(await compareWithRecompute('EURUSD', '1h', '2026-02-01T11:00:00Z', '2026-02-01T12:00:00Z')).toEqual({
      missing: 0,
      wrong: 0,
      windows: 1,
    });
    // Bars at or before a reset cursor are not the catch-up's business (the audit's): untouched.
    expect(
      await db.one(
        `SELECT open::float8 AS open, source_count FROM bars_agg WHERE canonical_symbol = 'EURUSD' AND timeframe = '1h' AND ts_utc = '2026-02-01T11:00:00Z'`,
      ),
    ).toEqual({ open: 2, source_count: null });
    expect((await legacyChecksums(db.pool)).bars_1m).not.toBe(before.bars_1m); // only because of the 30 new minutes
    expect(
      await db.one(
        `SELECT count(*)::int AS n FROM bars_1m WHERE ts_utc < '2026-02-01T12:30:00Z' OR canonical_symbol <> 'EURUSD'`,
      ),
    ).toEqual({ n: Number(before.bars_1m.split(':')[1]) });
  });
});
