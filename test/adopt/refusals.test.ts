// A legacy table that cannot serve is refused before anything changes, with a message naming
// the table, the column and the fix.
import { afterEach, expect, test } from 'vitest';
import { migrateDatabase, SQL_DIR } from '../../lib/server/migrate';
import { createEmptyDatabase, errorOf, type TestDatabase } from '../support/database';
import { catalogSnapshot, createLegacyTables, fillLegacyRows, legacyChecksums } from './legacy';

let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.drop();
  db = undefined;
});

/** Builds a legacy database, breaks it with `breakIt`, and returns the refusal (both for the dry and the real run). */
async function refusal(breakIt: string, fill = true, checksums = fill): Promise<string> {
  db = await createEmptyDatabase();
  await createLegacyTables(db.pool, { partitioned: true, keyedAggregates: true });
  if (fill) await fillLegacyRows(db.pool);
  await db.sql(breakIt);
  const catalog = await catalogSnapshot(db.pool);
  const rows = checksums ? await legacyChecksums(db.pool) : undefined;
  const dry = await errorOf(migrateDatabase(db.url, () => {}, SQL_DIR, { dryRun: true }));
  const real = await errorOf(migrateDatabase(db.url));
  expect(real).toBe(dry);
  expect(real.startsWith('this database cannot be adopted; nothing was changed:\n  - ')).toBe(true);
  expect(await catalogSnapshot(db.pool)).toBe(catalog);
  if (rows) expect(await legacyChecksums(db.pool)).toEqual(rows);
  return real;
}

test('bars_1m without a key on (canonical_symbol, ts_utc)', async () => {
  const message = await refusal(
    `ALTER TABLE bars_1m DROP CONSTRAINT bars_1m_pkey; CREATE INDEX bars_1m_by_symbol ON bars_1m (canonical_symbol, ts_utc)`,
  );
  expect(message).toContain(
    'bars_1m has no primary key or unique index on exactly (canonical_symbol, ts_utc); adoption needs one',
  );
  expect(message).toContain(
    'Fix: create a unique index on (canonical_symbol, ts_utc) on each partition with CREATE UNIQUE INDEX CONCURRENTLY, then CREATE UNIQUE INDEX bars_1m_symbol_ts ON ONLY bars_1m',
  );
});

test('a unique key in the other column order does not serve the frontier look-ups', async () => {
  const message = await refusal(
    `ALTER TABLE bars_1m DROP CONSTRAINT bars_1m_pkey; ALTER TABLE bars_1m ADD PRIMARY KEY (ts_utc, canonical_symbol)`,
  );
  expect(message).toMatch(/bars_1m has no primary key or unique index on exactly \(canonical_symbol, ts_utc\)/);
});

test('bars_1m.ts_utc of type text', async () => {
  const message = await refusal(
    `DROP TABLE bars_1m; CREATE TABLE bars_1m (canonical_symbol text, ts_utc text, open numeric, high numeric, low numeric, close numeric, volume numeric, PRIMARY KEY (canonical_symbol, ts_utc))`,
    false,
  );
  expect(message).toBe(
    'this database cannot be adopted; nothing was changed:\n' +
      '  - bars_1m.ts_utc is text; adoption needs timestamptz. Fix: ALTER TABLE bars_1m ALTER COLUMN ts_utc TYPE timestamptz USING ts_utc::timestamptz (this rewrites bars_1m under an exclusive lock: plan a maintenance window)',
  );
});

test('bars_1m.ts_utc without time zone, a missing column and a text price are all named at once', async () => {
  const message = await refusal(
    `DROP TABLE bars_1m; CREATE TABLE bars_1m (canonical_symbol text, ts_utc timestamp, open numeric, high numeric, low text, close numeric, PRIMARY KEY (canonical_symbol, ts_utc))`,
    false,
  );
  expect(message.split('\n').slice(1)).toEqual([
    "  - bars_1m.ts_utc is timestamp without time zone; adoption needs timestamptz (a timestamp without time zone means what the session time zone says, and windows would move with it). Fix: ALTER TABLE bars_1m ALTER COLUMN ts_utc TYPE timestamptz USING ts_utc AT TIME ZONE 'UTC' (this rewrites bars_1m under an exclusive lock: plan a maintenance window)",
    '  - bars_1m.low is text; adoption needs numeric. Fix: ALTER TABLE bars_1m ALTER COLUMN low TYPE numeric USING low::numeric (this rewrites bars_1m under an exclusive lock: plan a maintenance window)',
    '  - bars_1m.volume is missing; adoption needs a numeric column volume. Fix: add or rename it (ALTER TABLE bars_1m RENAME COLUMN … TO volume)',
  ]);
});

test('data_agg_state without the cursor column', async () => {
  const message = await refusal(`ALTER TABLE data_agg_state RENAME COLUMN last_agg_bar_ts_utc TO last_ts`, true, false);
  expect(message).toContain(
    'data_agg_state.last_agg_bar_ts_utc is missing; adoption needs a timestamptz column last_agg_bar_ts_utc',
  );
});

test('a timeframe this project does not know', async () => {
  const message = await refusal(`INSERT INTO data_agg_state VALUES ('EURUSD', '2h', NULL), ('EURUSD', '1w', NULL)`);
  expect(message).toContain(
    "data_agg_state has timeframe(s) '1w', '2h' that this project does not know (it knows 5m, 15m, 30m, 1h, 4h, 1d)",
  );
  expect(message).toContain("INSERT INTO agg_timeframes VALUES ('1w', interval '…'), ('2h', interval '…')");
  expect(message).toContain("DELETE FROM data_agg_state WHERE timeframe IN ('1w', '2h')");
});

test('duplicate aggregates where adoption must build the unique key', async () => {
  const message = await refusal(`ALTER TABLE bars_agg DROP CONSTRAINT bars_agg_pkey;
    INSERT INTO bars_agg (canonical_symbol, timeframe, ts_utc, open, high, low, close, volume) VALUES ('NOSRC', '5m', '2026-02-28T23:55:00Z', 6, 6, 6, 6, 6)`);
  expect(message).toContain(
    'bars_agg has more than one row for (canonical_symbol, timeframe, ts_utc) = (NOSRC,5m,"2026-02-28 23:55:00+00"); adoption needs them unique',
  );
});

test('a function of the same name as one this project installs', async () => {
  const message = await refusal(
    `CREATE FUNCTION catchup_aggregation_range(p_symbol text) RETURNS int LANGUAGE sql AS 'SELECT 1'`,
  );
  expect(message).toContain(
    'function catchup_aggregation_range(text) already exists and this project installs its own catchup_aggregation_range. Fix: rename the old one (e.g. ALTER FUNCTION catchup_aggregation_range(text) RENAME TO catchup_aggregation_range_legacy)',
  );
});

test('a function or view of a name only a definition file installs (not 002–006) is refused too', async () => {
  const message = await refusal(`CREATE FUNCTION history_prune(p_days integer) RETURNS int LANGUAGE sql AS 'SELECT 0';
    CREATE VIEW v_symbol_market_session AS SELECT 1 AS x`);
  expect(message).toContain(
    'function history_prune(integer) already exists and this project installs its own history_prune.',
  );
  expect(message).toContain(
    'view already exists and this project installs its own v_symbol_market_session. Fix: rename the old one (e.g. ALTER VIEW v_symbol_market_session RENAME TO v_symbol_market_session_legacy)',
  );
});

test('a "migrations" table another tool made is not taken for this project\'s history', async () => {
  db = await createEmptyDatabase();
  await createLegacyTables(db.pool, { partitioned: false, keyedAggregates: true });
  await db.sql(`CREATE TABLE migrations (id serial PRIMARY KEY, version text, run_on timestamptz)`);
  const catalog = await catalogSnapshot(db.pool);
  const message = await errorOf(migrateDatabase(db.url));
  expect(message).toMatch(
    /^a table named "migrations" exists but was not made by this project's runner .* Fix: rename it \(ALTER TABLE migrations RENAME TO migrations_other\)/,
  );
  expect(await catalogSnapshot(db.pool)).toBe(catalog);
});

test('every problem is listed at once: a type, a missing key and an unknown timeframe', async () => {
  const message = await refusal(
    `DROP TABLE bars_1m; CREATE TABLE bars_1m (canonical_symbol text, ts_utc text, open numeric, high numeric, low numeric, close numeric, volume numeric);
    INSERT INTO data_agg_state VALUES ('EURUSD', '2h', NULL)`,
    false,
  );
  const lines = message.split('\n').slice(1);
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^  - bars_1m\.ts_utc is text; adoption needs timestamptz\. Fix: /);
  expect(lines[1]).toMatch(/^  - bars_1m has no primary key or unique index on exactly \(canonical_symbol, ts_utc\)/);
  expect(lines[2]).toMatch(/^  - data_agg_state has timeframe\(s\) '2h' that this project does not know/);
});

test('a partitioned bars_agg without a key, partitioned by a column outside the key', async () => {
  const message = await refusal(`DROP TABLE bars_agg;
    CREATE TABLE bars_agg (canonical_symbol text, timeframe text, ts_utc timestamptz, open numeric, high numeric, low numeric, close numeric, volume numeric)
      PARTITION BY RANGE (volume);
    CREATE TABLE bars_agg_all PARTITION OF bars_agg FOR VALUES FROM (MINVALUE) TO (MAXVALUE)`);
  expect(message).toContain(
    'bars_agg has no unique index on (canonical_symbol, timeframe, ts_utc) and is partitioned by (volume), not by columns of the key, so adoption cannot build one. Fix: ',
  );
});
