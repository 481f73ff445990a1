// The definition files (sql/definitions/): they hold the current body of every function and view,
// a database migrated before they existed gets them without a change of schema, and the runner
// re-applies a file when (and only when) it changed, one transaction per file.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate } from 'postgres-migrations';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { loadDefinitions, migrateDatabase, SQL_DIR } from '../../lib/server/migrate';
import { createEmptyDatabase, createTestDatabase, errorOf, type TestDatabase } from '../support/database';

const DEFINITIONS = loadDefinitions(SQL_DIR).map((d) => d.name);

/** Every function's pg_get_functiondef and every view's pg_get_viewdef in the public schema. */
async function definitionsOf(db: TestDatabase): Promise<{ name: string; def: string }[]> {
  return db.sql<{ name: string; def: string }>(`
    SELECT 'function ' || p.oid::regprocedure::text AS name, pg_get_functiondef(p.oid) AS def
      FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.prokind IN ('f', 'p')
    UNION ALL
    SELECT 'view ' || c.relname, pg_get_viewdef(c.oid)
      FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'v'
    ORDER BY 1`);
}

/** Changed in sql/definitions/ only, after the numbered files last created them. */
const REDEFINED_SINCE = [
  'view v_aggregation_frontier_health', // health policy columns appended (sql/019)
  'function history_is_problem(text)', // MAINTENANCE is quiet (sql/018)
  'function market_session_at(text,timestamp with time zone)', // matches through agg_symbol_pattern_*
];

const recorded = (db: TestDatabase) =>
  db.sql<{ name: string; hash: string; applied_at: Date }>(`SELECT name, hash, applied_at FROM migration_definitions ORDER BY name`);

let fresh: TestDatabase;
let freshDefinitions: { name: string; def: string }[];
let db: TestDatabase | undefined;
let dir: string | undefined;

beforeAll(async () => {
  fresh = await createTestDatabase();
  freshDefinitions = await definitionsOf(fresh);
});
afterAll(async () => { await fresh.drop(); });
afterEach(async () => {
  await db?.drop();
  db = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A copy of sql/ whose definition files can be edited. */
function sqlCopy(): string {
  dir = mkdtempSync(path.join(os.tmpdir(), 'frontier-definitions-'));
  cpSync(SQL_DIR, dir, { recursive: true });
  return dir;
}

function editDefinition(directory: string, name: string, from: string, to: string): void {
  const file = path.join(directory, 'definitions', name);
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${name} does not contain ${from}`);
  writeFileSync(file, text.replace(from, to));
}

test('a database migrated by the numbered files only gets the definitions; every function and view is the same as a fresh database\'s', async () => {
  expect(DEFINITIONS.length).toBeGreaterThan(10);
  expect(freshDefinitions.map((d) => d.name)).toContain('view v_aggregation_frontier_health');
  expect(freshDefinitions.map((d) => d.name)).toContain(
    'function record_aggregation_failure(text,text,text,timestamp with time zone,text,text)');
  db = await createEmptyDatabase();
  // As the runner before the definitions did: postgres-migrations over the numbered files.
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await migrate({ client }, SQL_DIR, { logger: () => {} });
  } finally {
    await client.end();
  }
  expect(await db.one(`SELECT to_regclass('migration_definitions') AS t`)).toEqual({ t: null });
  // The definition files hold the last redefinition of each: the numbered files alone made the same.
  // (Functions added since live only in sql/definitions/: compared after the runner, below.)
  // Objects whose definition file changed after the numbered files stopped redefining them
  // differ, by design: the runner brings them up to date below.
  const numberedOnly = await definitionsOf(db);
  const madeByNumbered = new Set(numberedOnly.map((d) => d.name));
  const unchanged = (d: { name: string }) => !REDEFINED_SINCE.includes(d.name);
  expect(numberedOnly.filter(unchanged)).toEqual(freshDefinitions.filter((d) => madeByNumbered.has(d.name) && unchanged(d)));
  expect(REDEFINED_SINCE.filter((name) => !madeByNumbered.has(name))).toEqual([]);
  expect(freshDefinitions.filter((d) => !madeByNumbered.has(d.name)).map((d) => d.name)).toEqual([
    'function ack_check(text,text,timestamp with time zone)',
    'function ack_is_current(bigint)',
    'function ack_silence_record(bigint,text,text,text,timestamp with time zone,text)',
    'function action_ack_incident(text,text,text,bigint,text,timestamp with time zone)',
    'function action_ack_pair(text,text,text,text,text,text,timestamp with time zone)',
    'function action_bootstrap_pair(text,text,text,text,text,boolean,text)',
    'function action_repair_range(text,text,text,text,text,timestamp with time zone,timestamp with time zone,boolean,text)',
    'function action_reset_pair(text,text,text,text,text,boolean,text)',
    'function action_retry_pair(text,text,text,text,text,text)',
    'function action_set_pair_enabled(text,text,text,text,text,boolean,text)',
    'function action_unack_incident(text,text,text,bigint,text)',
    'function action_unack_pair(text,text,text,text,text,text)',
    'function agg_action_check(text,text,text,text,text,boolean,text)',
    'function agg_action_finish(text,text,text,text,text,jsonb,jsonb,boolean)',
    'function agg_action_rollback()',
    'function agg_symbol_pattern_matches(text,text,text)',
    'function agg_symbol_pattern_rank(text,text)',
    'function api_token_role(text)',
    'function health_policy_candidates(text,text)',
    'function maintenance_add(text,text,text,text,text,text,timestamp with time zone,timestamp with time zone,text)',
    'function maintenance_end(text,text,text,bigint)',
    'function owner_remove(text,text,text,text,text)',
    'function owner_set(text,text,text,text,text,text,text)',
    'function owner_team(text)',
    'function policy_remove(text,text,text,text)',
    'function policy_set(text,text,text,text,text,text,text,integer,integer,integer,double precision,text)',
    'function record_operator_action(text,text,text,text,text,jsonb,jsonb,boolean)',
    'function source_frontier_at(text,timestamp with time zone[])',
    'function unack_check(text,text)',
    'function unack_finish(text,text,text,text,jsonb,bigint)',
    'view v_pair_maintenance',
  ]);

  expect(await migrateDatabase(db.url, () => {}, SQL_DIR, { dryRun: true }))
    .toEqual({ applied: [], definitions: [], adopted: false, pending: [], pendingDefinitions: DEFINITIONS });
  expect(await migrateDatabase(db.url)).toEqual({ applied: [], definitions: DEFINITIONS, adopted: false });
  expect(await definitionsOf(db)).toEqual(freshDefinitions);
  const hashes = (rows: { name: string; hash: string }[]) => rows.map((r) => `${r.name} ${r.hash}`);
  expect(hashes(await recorded(db))).toEqual(hashes(await recorded(fresh)));
  expect(await migrateDatabase(db.url)).toEqual({ applied: [], definitions: [], adopted: false });
});

test('the definitions alone create every function and view, in name order', async () => {
  db = await createTestDatabase();
  // CASCADE takes the trigger and the CHECK that call functions with them: this database is a test's.
  await db.sql(`DO $$
    DECLARE name text;
    BEGIN
      FOREACH name IN ARRAY (SELECT array_agg(c.oid::regclass::text) FROM pg_class c
                              WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'v') LOOP
        EXECUTE format('DROP VIEW IF EXISTS %s CASCADE', name);
      END LOOP;
      FOREACH name IN ARRAY (SELECT array_agg(p.oid::regprocedure::text) FROM pg_proc p
                              WHERE p.pronamespace = 'public'::regnamespace) LOOP
        EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', name);
      END LOOP;
    END $$`);
  expect(await definitionsOf(db)).toEqual([]);
  await db.sql(`DELETE FROM migration_definitions`);
  expect((await migrateDatabase(db.url)).definitions).toEqual(DEFINITIONS);
  expect(await definitionsOf(db)).toEqual(freshDefinitions);
});

test('a changed definition is applied again, the unchanged ones are not', async () => {
  db = await createTestDatabase();
  const directory = sqlCopy();
  editDefinition(directory, 'history_prune.sql', "'history_prune: p_batch must be >= 1, got %'", "'history_prune: p_batch must be at least 1, got %'");
  const before = await recorded(db);

  expect(await migrateDatabase(db.url, () => {}, directory, { dryRun: true }))
    .toEqual({ applied: [], definitions: [], adopted: false, pending: [], pendingDefinitions: ['history_prune.sql'] });
  expect(await errorOf(db.sql(`SELECT history_prune(30, 0)`))).toBe('history_prune: p_batch must be >= 1, got 0');

  expect(await migrateDatabase(db.url, () => {}, directory)).toEqual({ applied: [], definitions: ['history_prune.sql'], adopted: false });
  expect(await errorOf(db.sql(`SELECT history_prune(30, 0)`))).toBe('history_prune: p_batch must be at least 1, got 0');
  const after = await recorded(db);
  const changed = after.filter((row, i) => row.hash !== before[i]!.hash || row.applied_at.getTime() !== before[i]!.applied_at.getTime());
  expect(changed.map((r) => r.name)).toEqual(['history_prune.sql']);
  expect(after.find((r) => r.name === 'history_prune.sql')!.hash).toBe(loadDefinitions(directory).find((d) => d.name === 'history_prune.sql')!.hash);

  expect(await migrateDatabase(db.url, () => {}, directory)).toEqual({ applied: [], definitions: [], adopted: false });
  // Back to the repository's file: a change again, so applied again.
  expect((await migrateDatabase(db.url)).definitions).toEqual(['history_prune.sql']);
  expect(await definitionsOf(db)).toEqual(freshDefinitions);
});

test('a broken definition is rolled back alone and named; the ones after it wait for the fix', async () => {
  db = await createTestDatabase();
  const directory = sqlCopy();
  // Three changed files in name order: history_prune.sql < market_calendar_state.sql < run_catchup.sql.
  editDefinition(directory, 'history_prune.sql', "'history_prune: p_batch must be >= 1, got %'", "'history_prune: p_batch must be at least 1, got %'");
  editDefinition(directory, 'market_calendar_state.sql', "'market_session_at: p_at must not be NULL'", "'market_session_at: p_at is required'");
  const valid = readFileSync(path.join(directory, 'definitions', 'market_calendar_state.sql'), 'utf8');
  writeFileSync(path.join(directory, 'definitions', 'market_calendar_state.sql'),
    valid + '\nCREATE OR REPLACE FUNCTION market_broken() RETURNS int LANGUAGE sql AS $$ SELECT 1 FROM no_such_table $$;\n');
  editDefinition(directory, 'run_catchup.sql', "'run_catchup: pair %/% is disabled'", "'run_catchup: pair %/% is switched off'");
  const before = await recorded(db);

  const message = await errorOf(migrateDatabase(db.url, () => {}, directory));
  expect(message).toMatch(/^definition definitions\/market_calendar_state\.sql failed at line \d+ and was rolled back \(applied before it: history_prune\.sql; the ones after it were not run\): relation "no_such_table" does not exist$/);
  const line = Number(/at line (\d+)/.exec(message)![1]);
  expect(readFileSync(path.join(directory, 'definitions', 'market_calendar_state.sql'), 'utf8').split('\n')[line - 1]).toContain('no_such_table');
  // The file before it stays applied; the broken file's first statements were rolled back with it.
  expect(await errorOf(db.sql(`SELECT history_prune(30, 0)`))).toBe('history_prune: p_batch must be at least 1, got 0');
  expect(await errorOf(db.sql(`SELECT * FROM market_session_at('ES', NULL)`))).toBe('market_session_at: p_at must not be NULL');
  expect(await db.one(`SELECT to_regprocedure('market_broken()') AS f`)).toEqual({ f: null });
  expect((await db.one<{ src: string }>(`SELECT prosrc AS src FROM pg_proc WHERE proname = 'run_catchup'`)).src).toContain('is disabled');
  const hashOf = (rows: { name: string; hash: string }[], name: string) => rows.find((r) => r.name === name)!.hash;
  const after = await recorded(db);
  expect(hashOf(after, 'history_prune.sql')).not.toBe(hashOf(before, 'history_prune.sql'));
  expect(hashOf(after, 'market_calendar_state.sql')).toBe(hashOf(before, 'market_calendar_state.sql'));
  expect(hashOf(after, 'run_catchup.sql')).toBe(hashOf(before, 'run_catchup.sql'));

  writeFileSync(path.join(directory, 'definitions', 'market_calendar_state.sql'), valid);
  expect(await migrateDatabase(db.url, () => {}, directory)).toEqual({ applied: [], definitions: ['market_calendar_state.sql', 'run_catchup.sql'], adopted: false });
  expect(await errorOf(db.sql(`SELECT * FROM market_session_at('ES', NULL)`))).toBe('market_session_at: p_at is required');
});

test('after a run that applied a numbered file, every definition is applied again', async () => {
  db = await createTestDatabase();
  const directory = sqlCopy();
  // A later numbered file (after the last one there is) that has to drop the view to alter a column the view reads.
  const last = Math.max(...readdirSync(directory).filter((f) => /^\d{3}_.*\.sql$/.test(f)).map((f) => Number(f.slice(0, 3))));
  const later = `${String(last + 1).padStart(3, '0')}_alter_under_the_view.sql`;
  writeFileSync(path.join(directory, later),
    'DROP VIEW v_aggregation_frontier_health;\nALTER TABLE data_agg_state ALTER COLUMN total_runs TYPE numeric;\nALTER TABLE data_agg_state ALTER COLUMN total_runs TYPE bigint;\n');
  expect(await migrateDatabase(db.url, () => {}, directory, { dryRun: true }))
    .toEqual({ applied: [], definitions: [], adopted: false, pending: [later], pendingDefinitions: DEFINITIONS });
  expect(await migrateDatabase(db.url, () => {}, directory))
    .toEqual({ applied: [later], definitions: DEFINITIONS, adopted: false });
  expect(await definitionsOf(db)).toEqual(freshDefinitions);
});

test('a definition file that would touch a table or a row is refused before anything runs', async () => {
  db = await createTestDatabase();
  await db.sql(`INSERT INTO bars_1m VALUES ('EURUSD', '2026-01-05T10:00:00Z', 1, 1, 1, 1, 1)`);
  const directory = sqlCopy();
  editDefinition(directory, 'history_prune.sql', "'history_prune: p_batch must be >= 1, got %'", "'history_prune: p_batch must be at least 1, got %'");
  const refusals: [string, string][] = [
    ['DELETE FROM bars_1m;', 'DELETE FROM bars_1m'],
    ['drop table bars_agg;', 'drop table bars_agg'],
    ['TRUNCATE data_agg_runs;', 'TRUNCATE data_agg_runs'],
    ['ALTER TABLE data_agg_state ADD COLUMN x int;', 'ALTER TABLE data_agg_state ADD COLUMN x int'],
    ['CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;', 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$'],
    ['DROP FUNCTION IF EXISTS agg_window_start(interval, timestamptz) CASCADE;', 'DROP FUNCTION IF EXISTS agg_window_start(interval, timestamptz) CASCADE'],
    ['DO $$ BEGIN UPDATE data_agg_state SET enabled = false; END $$;', 'DO $$ BEGIN UPDATE data_agg_state SET enabled = false; END $$'],
    ['/* a comment; then */ INSERT INTO agg_timeframes VALUES (\'2h\', \'2 hours\');', "INSERT INTO agg_timeframes VALUES ('2h', '2 hours')"],
  ];
  for (const [statement, shown] of refusals) {
    writeFileSync(path.join(directory, 'definitions', 'zz_extra.sql'), `-- allowed: a comment saying DELETE FROM bars_1m;\n${statement}\n`);
    for (const dryRun of [true, false]) {
      expect(await errorOf(migrateDatabase(db.url, () => {}, directory, { dryRun }))).toBe(
        `definitions/zz_extra.sql: '${shown}' cannot be in a definition file, which holds only CREATE OR REPLACE FUNCTION/VIEW, ` +
        'DROP FUNCTION/VIEW IF EXISTS (never CASCADE), GRANT, REVOKE, COMMENT ON and DO blocks that only grant or revoke; ' +
        'tables and changes to rows belong in a numbered file. Nothing was changed');
    }
  }
  expect(await db.one(`SELECT count(*)::int AS n FROM bars_1m`)).toEqual({ n: 1 });
  expect(await errorOf(db.sql(`SELECT history_prune(30, 0)`))).toBe('history_prune: p_batch must be >= 1, got 0'); // not even the valid change ran
  // What a definition may hold: a body that writes rows when called, a drop of an old signature, a grant.
  writeFileSync(path.join(directory, 'definitions', 'zz_extra.sql'), [
    'DROP FUNCTION IF EXISTS zz_purge(text);',
    "CREATE OR REPLACE FUNCTION zz_purge(p text, q int) RETURNS void LANGUAGE sql AS $$ DELETE FROM bars_1m WHERE canonical_symbol = p AND q > 0 $$;",
    "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontier_dashboard') THEN GRANT EXECUTE ON FUNCTION zz_purge(text, int) TO frontier_dashboard; REVOKE UPDATE ON data_agg_state FROM frontier_dashboard; END IF; END $$;",
    "COMMENT ON FUNCTION zz_purge(text, int) IS 'a test''s; DELETE in a string is fine';",
    '',
  ].join('\n'));
  expect((await migrateDatabase(db.url, () => {}, directory)).definitions).toEqual(['history_prune.sql', 'zz_extra.sql']);
  expect(await db.one(`SELECT count(*)::int AS n FROM bars_1m`)).toEqual({ n: 1 });
});
