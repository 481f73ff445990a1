// A pipeline database as production had it before this project: made by hand with the old
// aggregator's tables, not by our migrations. Legacy types on purpose (varchar symbols, bigint
// volumes, no COLLATE "C", no CHECKs), the three legacy state columns only, and bars_agg
// without source_count holding the partial bars the old bug wrote.
import type pg from 'pg';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';

export const T = (iso: string) => new Date(iso);

/** Source minutes of each legacy symbol (bars_1m crosses the month partitions). */
export const LEGACY_SOURCE = {
  EURUSD: [T('2026-01-31T20:00:00Z'), T('2026-02-01T12:30:00Z')], // F = 12:29, across Jan → Feb
  GBPUSD: [T('2026-02-28T18:00:00Z'), T('2026-03-01T06:00:00Z')], // F = 05:59, across Feb → Mar
  USDJPY: [T('2026-03-01T00:00:00Z'), T('2026-03-01T04:00:00Z')], // F = 03:59
} as const;

export interface LegacyOptions {
  /** Partition bars_1m by month (the common production layout) or keep it a plain table. */
  partitioned: boolean;
  /** Give bars_agg and data_agg_state their keys (a PK), or leave them without (adoption builds them). */
  keyedAggregates: boolean;
}

export async function createLegacyTables(db: pg.Pool, options: LegacyOptions): Promise<void> {
  await db.query(`CREATE TABLE bars_1m (
      canonical_symbol varchar(32) NOT NULL,
      ts_utc timestamptz NOT NULL,
      open numeric(18,6) NOT NULL, high numeric(18,6) NOT NULL, low numeric(18,6) NOT NULL, close numeric(18,6) NOT NULL,
      volume bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (canonical_symbol, ts_utc)) ${options.partitioned ? 'PARTITION BY RANGE (ts_utc)' : ''}`);
  if (options.partitioned) {
    for (const [name, from, to] of [
      ['2026_01', '2026-01-01', '2026-02-01'],
      ['2026_02', '2026-02-01', '2026-03-01'],
      ['2026_03', '2026-03-01', '2026-04-01'],
    ]) {
      await db.query(`CREATE TABLE bars_1m_${name} PARTITION OF bars_1m FOR VALUES FROM ('${from}') TO ('${to}')`);
    }
  }
  const key = (columns: string) => (options.keyedAggregates ? `, PRIMARY KEY (${columns})` : '');
  await db.query(`CREATE TABLE bars_agg (
      canonical_symbol varchar(32) NOT NULL, timeframe varchar(8) NOT NULL, ts_utc timestamptz NOT NULL,
      open numeric(18,6), high numeric(18,6), low numeric(18,6), close numeric(18,6), volume bigint
      ${key('canonical_symbol, timeframe, ts_utc')})`);
  await db.query(`CREATE TABLE data_agg_state (
      canonical_symbol varchar(32) NOT NULL, timeframe varchar(8) NOT NULL, last_agg_bar_ts_utc timestamptz
      ${key('canonical_symbol, timeframe')})`);
}

/**
 * The legacy rows: source bars, cursors in every legacy state, and aggregates the old
 * aggregator wrote — some complete, some partial (written before their window was complete).
 */
export async function fillLegacyRows(db: pg.Pool): Promise<void> {
  let seed = 1;
  for (const [symbol, [from, to]] of Object.entries(LEGACY_SOURCE)) {
    await insertBars(db, randomWalkBars(symbol, minutesBetween(from, to), seed++, 1 + seed));
  }
  await db.query(`INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc) VALUES
    ('EURUSD', '5m', NULL),                    -- NULL: registered, never bootstrapped
    ('EURUSD', '1h', '2026-02-01T13:00:00Z'),  -- AHEAD: past F (12:29); wrote the open 12:00 window early
    ('GBPUSD', '15m', '2026-02-28T23:45:00Z'), -- behind: OK, hours to catch up
    ('GBPUSD', '1d', '2026-03-01T00:00:00Z'),  -- AHEAD: the day of March 1 is far from complete
    ('USDJPY', '5m', '2026-03-01T03:50:00Z'),  -- OK and caught up: [03:55, 04:00) completes at F
    ('NOSRC', '5m', '2026-03-01T00:00:00Z')    -- a set cursor on a symbol with no source`);
  // Complete legacy bars, recomputed from the source as the old aggregator did.
  await db.query(`INSERT INTO bars_agg (canonical_symbol, timeframe, ts_utc, open, high, low, close, volume)
    SELECT canonical_symbol, tf, date_bin(step, ts_utc, '2000-01-01'), (array_agg(open ORDER BY ts_utc))[1], max(high), min(low),
           (array_agg(close ORDER BY ts_utc DESC))[1], sum(volume)
      FROM bars_1m CROSS JOIN (VALUES ('15m', interval '15 minutes'), ('5m', interval '5 minutes')) t(tf, step)
     WHERE (canonical_symbol = 'GBPUSD' AND tf = '15m' AND ts_utc < '2026-03-01T00:00:00Z')
        OR (canonical_symbol = 'USDJPY' AND tf = '5m' AND ts_utc < '2026-03-01T03:55:00Z')
        OR (canonical_symbol = 'EURUSD' AND tf = '5m' AND ts_utc < '2026-02-01T00:00:00Z')
     GROUP BY 1, 2, 3`);
  // Partial bars: the old aggregator finalized windows that were still filling.
  await db.query(`INSERT INTO bars_agg (canonical_symbol, timeframe, ts_utc, open, high, low, close, volume) VALUES
    ('EURUSD', '5m', '2026-02-01T00:00:00Z', 1, 1, 1, 1, 1),       -- behind the NULL cursor: rewritten after bootstrap
    ('EURUSD', '1h', '2026-02-01T11:00:00Z', 2, 2, 2, 2, 2),       -- before the reset cursor: left for the audit
    ('EURUSD', '1h', '2026-02-01T12:00:00Z', 3, 3, 3, 3, 3),       -- past the reset cursor: kept, rewritten as it passes
    ('GBPUSD', '1d', '2026-03-01T00:00:00Z', 4, 4, 4, 4, 4),       -- the AHEAD day bar: kept
    ('NOSRC', '5m', '2026-02-28T23:55:00Z', 5, 5, 5, 5, 5)         -- an orphan: no source at all`);
}

/** md5 of every row in key order: equal before and after means not one value changed. */
export async function checksum(db: pg.Pool, table: string, columns: string, key: string): Promise<string> {
  const { rows } = await db.query<{ sum: string }>(
    `SELECT md5(coalesce(string_agg(row(${columns})::text, E'\\n' ORDER BY ${key}), '')) || ':' || count(*) AS sum FROM ${table}`,
  );
  return rows[0]!.sum;
}

export const legacyChecksums = async (db: pg.Pool) => ({
  bars_1m: await checksum(
    db,
    'bars_1m',
    'canonical_symbol, ts_utc, open, high, low, close, volume',
    'canonical_symbol, ts_utc',
  ),
  bars_agg: await checksum(
    db,
    'bars_agg',
    'canonical_symbol, timeframe, ts_utc, open, high, low, close, volume',
    'canonical_symbol, timeframe, ts_utc',
  ),
  data_agg_state: await checksum(
    db,
    'data_agg_state',
    'canonical_symbol, timeframe, last_agg_bar_ts_utc',
    'canonical_symbol, timeframe',
  ),
});

/** Everything the catalog says about the public schema: equal before and after means nothing changed. */
export async function catalogSnapshot(db: pg.Pool): Promise<string> {
  const { rows } = await db.query<{ s: string }>(`
    SELECT string_agg(x, E'\\n' ORDER BY x) AS s FROM (
      SELECT 'class ' || relname || ' ' || relkind::text || ' ' || relnatts AS x FROM pg_class WHERE relnamespace = 'public'::regnamespace
      UNION ALL SELECT 'attribute ' || attrelid::regclass || '.' || attname || ' ' || format_type(atttypid, atttypmod) || ' ' || attnotnull || ' ' || atthasdef
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = 'public'::regnamespace AND attnum > 0 AND NOT attisdropped
      UNION ALL SELECT 'proc ' || oid::regprocedure || ' ' || md5(prosrc) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
      UNION ALL SELECT 'index ' || indexrelid::regclass || ' ' || indisvalid || ' ' || indkey::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'public'::regnamespace
      UNION ALL SELECT 'constraint ' || conname || ' ' || contype::text FROM pg_constraint WHERE connamespace = 'public'::regnamespace) s`);
  return rows[0]!.s ?? '';
}
