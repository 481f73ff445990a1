// The migration runner: in order, once each, under a lock, refusing a changed applied file; then the
// definition files (test/sql/definitions.test.ts has their own cases).
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { loadDefinitions, migrateDatabase, SQL_DIR } from '../../lib/server/migrate';

const DEFINITIONS = loadDefinitions(SQL_DIR).map((d) => d.name);
const names = [`frontier_test_migrate_${process.pid}_a`, `frontier_test_migrate_${process.pid}_b`];
const urlOf = (name: string) => { const url = new URL(inject('adminUrl')); url.pathname = `/${name}`; return url.toString(); };

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('adminUrl') });
  await client.connect();
  try { await client.query(sql); } finally { await client.end(); }
}

async function schemaFingerprint(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ f: string }>(`
      SELECT string_agg(x, E'\\n' ORDER BY x) AS f FROM (
        SELECT 'table ' || table_name || '.' || column_name || ' ' || data_type AS x FROM information_schema.columns WHERE table_schema = 'public'
        UNION ALL SELECT 'function ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
        UNION ALL SELECT 'view ' || viewname || ' ' || md5(definition) FROM pg_views WHERE schemaname = 'public'
        UNION ALL SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public'
        UNION ALL SELECT 'row ' || timeframe || ' ' || step FROM agg_timeframes) s`);
    return result.rows[0]!.f;
  } finally {
    await client.end();
  }
}

beforeAll(async () => { for (const name of names) await admin(`CREATE DATABASE ${name}`); });
afterAll(async () => { for (const name of names) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); });

test('an empty database gets everything in order; a second run changes nothing', async () => {
  const url = urlOf(names[0]!);
  const notices: string[] = [];
  const first = await migrateDatabase(url, (line) => notices.push(line));
  const files = readdirSync(SQL_DIR).filter((f) => f.endsWith('.sql')).sort();
  expect(first.applied).toEqual(files);
  expect(first.definitions).toEqual(DEFINITIONS);
  expect(files.slice(3, 6)).toEqual(['004_fix_aggregator_cursor.sql', '005_reset_aggregator_cursors.sql', '006_aggregation_monitoring_view.sql']);
  expect(notices).toContain('NOTICE: Post-reset validation: All cursors within valid range');
  const before = await schemaFingerprint(url);
  expect(before).toMatch(/view v_aggregation_frontier_health/);
  expect(before).toMatch(/function catchup_aggregation_range\(text,text,timestamp with time zone,integer,timestamp with time zone,integer,boolean\)/);
  const second = await migrateDatabase(url);
  expect(second).toEqual({ applied: [], definitions: [], adopted: false });
  expect(await schemaFingerprint(url)).toBe(before);
});

test('a changed file that was already applied is refused', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'frontier-sql-'));
  try {
    cpSync(SQL_DIR, dir, { recursive: true });
    const file = path.join(dir, '002_aggregation_window.sql');
    writeFileSync(file, readFileSync(file, 'utf8') + '\n-- an innocent-looking edit\n');
    await expect(migrateDatabase(urlOf(names[0]!), () => {}, dir)).rejects.toThrow(/Hashes don't match for migrations '002_aggregation_window.sql'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two runners starting together apply each migration and each definition once', async () => {
  const url = urlOf(names[1]!);
  const results = await Promise.all([migrateDatabase(url), migrateDatabase(url)]);
  const applied = results.map((r) => r.applied.length).sort();
  expect(applied).toEqual([0, readdirSync(SQL_DIR).filter((f) => f.endsWith('.sql')).length]);
  expect(results.map((r) => r.definitions.length).sort()).toEqual([0, DEFINITIONS.length]);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rows = await client.query(`SELECT count(*)::int AS n, count(DISTINCT name)::int AS d FROM migrations`);
  await client.end();
  const files = readdirSync(SQL_DIR).filter((f) => f.endsWith('.sql')).length;
  expect(rows.rows[0]).toEqual({ n: files + 1, d: files + 1 }); // the files + the runner's own table
});
