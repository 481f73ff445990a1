// Other starting points: a plain legacy bars_1m with unkeyed aggregates, a database an earlier
// version of this project migrated, one this version migrated, and two runners adopting at once.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { loadDefinitions, migrateDatabase, SQL_DIR } from '../../lib/server/migrate';
import { BASELINE_FILES } from '../../lib/adopt/plan';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from '../support/database';
import { createLegacyTables, fillLegacyRows, legacyChecksums } from './legacy';
import { readdirSync } from 'node:fs';

const LATER_FILES = readdirSync(SQL_DIR)
  .filter((f) => f.endsWith('.sql') && !BASELINE_FILES.includes(f))
  .sort();
const DEFINITIONS = loadDefinitions(SQL_DIR).map((d) => d.name);
let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.drop();
  db = undefined;
});

test('a plain bars_1m and aggregates without keys: the keys are built (bars_agg CONCURRENTLY), the catch-up upserts', async () => {
  db = await createEmptyDatabase();
  await createLegacyTables(db.pool, { partitioned: false, keyedAggregates: false });
  await fillLegacyRows(db.pool);
  const before = await legacyChecksums(db.pool);
  const dry: string[] = [];
  await migrateDatabase(db.url, (l) => dry.push(l), SQL_DIR, { dryRun: true });
  expect(dry).toContain(
    '  CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS bars_agg_symbol_tf_ts ON bars_agg (canonical_symbol, timeframe, ts_utc);',
  );
  expect(dry).toContain('  CREATE UNIQUE INDEX data_agg_state_pair ON data_agg_state (canonical_symbol, timeframe);');
  expect(dry[0]).toMatch(/^adoption: found bars_1m \(never analyzed\), bars_agg/);

  expect(await migrateDatabase(db.url)).toEqual({ applied: LATER_FILES, definitions: DEFINITIONS, adopted: true });
  expect(await legacyChecksums(db.pool)).toEqual(before);
  expect(
    await db.sql(`SELECT indexrelid::regclass::text AS name, indisunique AS unique, indisvalid AS valid FROM pg_index
                        WHERE indrelid IN ('bars_agg'::regclass, 'data_agg_state'::regclass) ORDER BY 1`),
  ).toEqual([
    { name: 'bars_agg_symbol_tf_ts', unique: true, valid: true },
    { name: 'data_agg_state_pair', unique: true, valid: true },
  ]);
  // The legacy 15m bars are upserted over (ON CONFLICT needs the built key) once the cursor is moved back by hand.
  await db.sql(
    `UPDATE data_agg_state SET last_agg_bar_ts_utc = '2026-02-28T17:45:00Z' WHERE canonical_symbol = 'GBPUSD' AND timeframe = '15m'`,
  );
  const { r } = await db.one<{ r: { bars_written: number } }>(`SELECT run_catchup('GBPUSD', '15m', 10000, 0) AS r`);
  expect(r.bars_written).toBe(48);
  expect(
    await db.one(
      `SELECT count(*)::int AS n, count(source_count)::int AS counted FROM bars_agg WHERE canonical_symbol = 'GBPUSD' AND timeframe = '15m'`,
    ),
  ).toEqual({ n: 48, counted: 48 });
});

test('keys in another column order serve bars_agg and data_agg_state (ON CONFLICT infers from the set): nothing is built', async () => {
  db = await createEmptyDatabase();
  await createLegacyTables(db.pool, { partitioned: true, keyedAggregates: false });
  await db.sql(
    `ALTER TABLE bars_agg ADD PRIMARY KEY (ts_utc, canonical_symbol, timeframe); ALTER TABLE data_agg_state ADD PRIMARY KEY (timeframe, canonical_symbol)`,
  );
  await fillLegacyRows(db.pool);
  const plan: string[] = [];
  await migrateDatabase(db.url, (l) => plan.push(l), SQL_DIR, { dryRun: true });
  expect(plan.join('\n')).not.toMatch(/CREATE UNIQUE INDEX/);
  await migrateDatabase(db.url);
  const { r } = await db.one<{ r: { bars_written: number } }>(`SELECT run_catchup('USDJPY', '5m', 10, 0) AS r`);
  expect(r.bars_written).toBe(1);
});

test('bars_agg columns narrower than the source are adopted with a warning that names the fix', async () => {
  db = await createEmptyDatabase();
  await createLegacyTables(db.pool, { partitioned: false, keyedAggregates: true });
  await db.sql(
    `ALTER TABLE bars_1m ALTER COLUMN volume TYPE numeric; ALTER TABLE bars_agg ALTER COLUMN close TYPE double precision`,
  );
  const lines: string[] = [];
  await migrateDatabase(db.url, (l) => lines.push(l), SQL_DIR, { dryRun: true });
  expect(lines.filter((l) => l.startsWith('warning: '))).toEqual([
    'warning: bars_agg.close is double precision but bars_1m.close is numeric(18,6): what the catch-up writes is cast to double precision (rounded), and the audit would report those bars as drift. To keep them exact: ALTER TABLE bars_agg ALTER COLUMN close TYPE numeric (rewrites bars_agg)',
    'warning: bars_agg.volume is bigint but bars_1m.volume is numeric: what the catch-up writes is cast to bigint (rounded), and the audit would report those bars as drift. To keep them exact: ALTER TABLE bars_agg ALTER COLUMN volume TYPE numeric (rewrites bars_agg)',
  ]);
  expect((await migrateDatabase(db.url)).adopted).toBe(true);
});

test("a partitioned bars_agg without a key: each partition's index CONCURRENTLY, then the parent's ON ONLY with them attached", async () => {
  db = await createEmptyDatabase();
  await createLegacyTables(db.pool, { partitioned: true, keyedAggregates: true });
  await db.sql(`DROP TABLE bars_agg;
    CREATE TABLE bars_agg (canonical_symbol varchar(32) NOT NULL, timeframe varchar(8) NOT NULL, ts_utc timestamptz NOT NULL,
      open numeric(18,6), high numeric(18,6), low numeric(18,6), close numeric(18,6), volume bigint) PARTITION BY RANGE (ts_utc);
    CREATE TABLE bars_agg_2026_01 PARTITION OF bars_agg FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
    CREATE TABLE bars_agg_2026_02 PARTITION OF bars_agg FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
    CREATE TABLE bars_agg_2026_03 PARTITION OF bars_agg FOR VALUES FROM ('2026-03-01') TO ('2026-04-01');
    CREATE UNIQUE INDEX jan_key ON bars_agg_2026_01 (canonical_symbol, timeframe, ts_utc)`);
  await fillLegacyRows(db.pool);
  const before = await legacyChecksums(db.pool);
  const plan: string[] = [];
  await migrateDatabase(db.url, (l) => plan.push(l), SQL_DIR, { dryRun: true });
  const oid = async (t: string) => (await db!.one<{ oid: number }>(`SELECT $1::regclass::oid::int AS oid`, [t])).oid;
  const [feb, mar] = [await oid('bars_agg_2026_02'), await oid('bars_agg_2026_03')];
  expect(plan.filter((l) => /INDEX/.test(l) && !l.includes('data_agg_runs'))).toEqual([
    `  CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS bars_agg_p${feb}_key ON bars_agg_2026_02 (canonical_symbol, timeframe, ts_utc);`,
    `  CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS bars_agg_p${mar}_key ON bars_agg_2026_03 (canonical_symbol, timeframe, ts_utc);`,
    '  CREATE UNIQUE INDEX bars_agg_symbol_tf_ts ON ONLY bars_agg (canonical_symbol, timeframe, ts_utc);',
    '  ALTER INDEX bars_agg_symbol_tf_ts ATTACH PARTITION jan_key;',
    `  ALTER INDEX bars_agg_symbol_tf_ts ATTACH PARTITION bars_agg_p${feb}_key;`,
    `  ALTER INDEX bars_agg_symbol_tf_ts ATTACH PARTITION bars_agg_p${mar}_key;`,
  ]);
  expect((await migrateDatabase(db.url)).adopted).toBe(true);
  expect(await legacyChecksums(db.pool)).toEqual(before);
  expect(
    await db.one(
      `SELECT indisunique AS unique, indisvalid AS valid FROM pg_index WHERE indexrelid = 'bars_agg_symbol_tf_ts'::regclass`,
    ),
  ).toEqual({ unique: true, valid: true });
  // The upsert goes through the partitioned key: the legacy 15m bars are rewritten, not duplicated.
  await db.sql(
    `UPDATE data_agg_state SET last_agg_bar_ts_utc = '2026-02-28T17:45:00Z' WHERE canonical_symbol = 'GBPUSD' AND timeframe = '15m'`,
  );
  await db.sql(`SELECT run_catchup('GBPUSD', '15m', 10000, 0)`);
  expect(
    await db.one(
      `SELECT count(*)::int AS n, count(source_count)::int AS counted FROM bars_agg WHERE canonical_symbol = 'GBPUSD' AND timeframe = '15m'`,
    ),
  ).toEqual({ n: 48, counted: 48 });
});

test('a database migrated by an earlier version (001–006 applied) keeps migrating: the later files only', async () => {
  db = await createEmptyDatabase();
  const old = mkdtempSync(path.join(os.tmpdir(), 'frontier-old-sql-'));
  try {
    for (const file of BASELINE_FILES) cpSync(path.join(SQL_DIR, file), path.join(old, file));
    const first = await migrateDatabase(db.url, () => {}, old);
    expect(first).toEqual({ applied: BASELINE_FILES, definitions: [], adopted: false }); // that version had no definitions
  } finally {
    rmSync(old, { recursive: true, force: true });
  }
  expect(await migrateDatabase(db.url, () => {}, SQL_DIR, { dryRun: true })).toEqual({
    applied: [],
    definitions: [],
    adopted: false,
    pending: LATER_FILES,
    pendingDefinitions: DEFINITIONS,
  });
  expect(await migrateDatabase(db.url)).toEqual({ applied: LATER_FILES, definitions: DEFINITIONS, adopted: false });
});

test('a database this version migrated: nothing to do, and an empty one is migrated as before', async () => {
  db = await createTestDatabase();
  expect(await migrateDatabase(db.url)).toEqual({ applied: [], definitions: [], adopted: false });
  await db.drop();
  db = await createEmptyDatabase();
  expect(await migrateDatabase(db.url, () => {}, SQL_DIR, { dryRun: true })).toEqual({
    applied: [],
    definitions: [],
    adopted: false,
    pending: [...BASELINE_FILES, ...LATER_FILES],
    pendingDefinitions: DEFINITIONS,
  });
  expect(await db.sql(`SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace`)).toEqual([]);
  expect(await migrateDatabase(db.url)).toEqual({
    applied: [...BASELINE_FILES, ...LATER_FILES],
    definitions: DEFINITIONS,
    adopted: false,
  });
});

test('two runners adopting the same database at once: one adopts, the other finds nothing to do', async () => {
  db = await createEmptyDatabase();
  await createLegacyTables(db.pool, { partitioned: true, keyedAggregates: false });
  await fillLegacyRows(db.pool);
  const results = await Promise.all([migrateDatabase(db.url), migrateDatabase(db.url)]);
  expect(results.map((r) => r.adopted).sort()).toEqual([false, true]);
  expect(results.map((r) => r.applied.length).sort()).toEqual([0, LATER_FILES.length]);
  expect(await db.one(`SELECT count(*)::int AS n FROM migrations`)).toEqual({
    n: 1 + BASELINE_FILES.length + LATER_FILES.length,
  });
});
