// Adoption is all or nothing, and waits for a lock only briefly at a time (writers are not
// queued behind it for long): it rolls back and retries instead.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, expect, test } from 'vitest';
import { migrateDatabase, SQL_DIR } from '../../lib/server/migrate';
import { createEmptyDatabase, errorOf, type TestDatabase } from '../support/database';
import { catalogSnapshot, createLegacyTables, fillLegacyRows, legacyChecksums } from './legacy';

let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.drop();
  db = undefined;
});

test('a failure half-way through rolls everything back but the CONCURRENTLY-built key; the next run adopts', async () => {
  db = await createEmptyDatabase();
  await createLegacyTables(db.pool, { partitioned: true, keyedAggregates: false });
  await fillLegacyRows(db.pool);
  const rows = await legacyChecksums(db.pool);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'frontier-broken-sql-'));
  try {
    cpSync(SQL_DIR, dir, { recursive: true });
    const broken = path.join(dir, '006_aggregation_monitoring_view.sql');
    writeFileSync(broken, readFileSync(broken, 'utf8') + '\nSELECT no_such_function();\n');
    const message = await errorOf(migrateDatabase(db.url, () => {}, dir));
    expect(message).toMatch(/function no_such_function\(\) does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const after = await catalogSnapshot(db.pool);
  expect(after).not.toMatch(/proc |class migrations|class agg_timeframes|source_count/);
  expect(after).toMatch(/index bars_agg_symbol_tf_ts true/); // the one step outside the transaction
  expect(await legacyChecksums(db.pool)).toEqual(rows);
  expect((await migrateDatabase(db.url)).adopted).toBe(true);
});

test('a long transaction holding data_agg_state: adoption gives up the lock wait after 2 s, rolls back, retries, then adopts', async () => {
  db = await createEmptyDatabase();
  await createLegacyTables(db.pool, { partitioned: false, keyedAggregates: true });
  await fillLegacyRows(db.pool);
  const holder = new pg.Client({ connectionString: db.url });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT count(*) FROM data_agg_state'); // ACCESS SHARE until the end of the transaction
    const lines: string[] = [];
    const migrating = migrateDatabase(db.url, (l) => lines.push(l));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // Meanwhile a writer of data_agg_state is never stuck behind the waiting ALTER for more than 2 s.
    const t0 = performance.now();
    await db.sql(
      `UPDATE data_agg_state SET last_agg_bar_ts_utc = last_agg_bar_ts_utc WHERE canonical_symbol = 'USDJPY'`,
    );
    expect(performance.now() - t0).toBeLessThan(2_500);
    await holder.query('COMMIT');
    expect((await migrating).adopted).toBe(true);
    expect(lines).toContain('adopt: a lock was not granted within 2s (attempt 1 of 5); rolled back, retrying');
  } finally {
    await holder.end();
  }
}, 30_000);
