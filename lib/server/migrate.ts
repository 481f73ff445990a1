import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { loadMigrationFiles, migrate } from 'postgres-migrations';
import { adoptIfNeeded } from '../adopt/index';
import { BASELINE_FILES } from '../adopt/plan';
import { connectClient } from './connect';

export const SQL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'sql');

/** Beside the numbered files: one file per function or view concern, re-applied when it changes. */
export const DEFINITIONS_DIR = 'definitions';

// postgres-migrations' advisory lock key: adoption holds the same lock, so two runners (or a
// runner and an adoption) never interleave. Session advisory locks nest, so the runner takes
// it again inside.
const RUNNER_LOCK = '-8525285245963000605';

export interface MigrationResult {
  /** Numbered files applied. */
  applied: string[];
  /** Definition files (sql/definitions/) applied, in the order they ran. */
  definitions: string[];
  /** True when the database was adopted (an existing pipeline database; docs/ADOPTION.md). */
  adopted: boolean;
  /** With dryRun: the numbered files that would be applied; nothing was changed. */
  pending?: string[];
  /** With dryRun: the definition files that would be (re)applied. */
  pendingDefinitions?: string[];
}

export interface MigrateOptions {
  dryRun?: boolean;
}

/**
 * Applies sql/NNN_*.sql in order, each once, in its own transaction, under an advisory
 * lock (postgres-migrations); refuses to go on when an applied file was changed. A database
 * that already holds the pipeline's tables but was never migrated by this project is adopted
 * first (lib/adopt). Then, under the same lock, the definition files (applyDefinitions).
 */
export async function migrateDatabase(
  connectionString: string,
  logger: (line: string) => void = () => {},
  directory: string = SQL_DIR,
  options: MigrateOptions = {},
): Promise<MigrationResult> {
  const definitions = loadDefinitions(directory); // a file that may not be a definition stops us here, before any change
  const client = await connectClient(connectionString, {}, { defaultTargetSessionAttrs: 'read-write' });
  client.on('notice', (notice) => logger(`NOTICE: ${notice.message}`));
  try {
    await takeRunnerLock(client);
    try {
      const adoption = await adoptIfNeeded(client, {
        dryRun: options.dryRun ?? false,
        logger,
        sqlDir: directory,
        definitionSql: definitions.map((d) => d.sql),
      });
      if (options.dryRun) {
        const pending = await pendingFiles(client, directory, adoption.adoption);
        const redo = await definitionsToApply(client, definitions, pending.length > 0);
        return {
          applied: [],
          definitions: [],
          adopted: adoption.adoption,
          pending,
          pendingDefinitions: redo.map((d) => d.name),
        };
      }
      const done = await migrate({ client }, directory, { logger: () => {} });
      const applied = done.filter((migration) => migration.id > 0).map((migration) => migration.fileName);
      const redo = await definitionsToApply(client, definitions, applied.length > 0);
      return { applied, definitions: await applyDefinitions(client, redo), adopted: adoption.adoption };
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${RUNNER_LOCK})`).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

/**
 * Polls for the lock as postgres-migrations does. Not pg_advisory_lock(): a session waiting in
 * it holds a snapshot, and the other runner's CREATE INDEX CONCURRENTLY waits for every older
 * snapshot to go away — a deadlock.
 */
async function takeRunnerLock(client: pg.Client): Promise<void> {
  for (;;) {
    const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${RUNNER_LOCK}) AS ok`);
    if (rows[0]!.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Files the runner would apply, after checking applied files were not changed (as the runner does). */
async function pendingFiles(client: pg.Client, directory: string, adopting: boolean): Promise<string[]> {
  const files = (await loadMigrationFiles(directory)).filter((f) => f.id > 0);
  if (adopting) {
    return files.filter((f) => !BASELINE_FILES.includes(f.fileName)).map((f) => f.fileName);
  }
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('migrations')::text AS t`);
  const applied = exists.rows[0]!.t
    ? new Map(
        (
          await client.query<{ id: number; hash: string; name: string }>('SELECT id, name, hash FROM migrations')
        ).rows.map((r) => [r.id, r]),
      )
    : new Map<number, { hash: string; name: string }>();
  const changed = files.filter((f) => applied.has(f.id) && applied.get(f.id)!.hash !== f.hash);
  if (changed.length)
    throw new Error(`Hashes don't match for migrations '${changed.map((f) => f.fileName).join("', '")}'`);
  return files.filter((f) => !applied.has(f.id)).map((f) => f.fileName);
}

// ---- Definitions ------------------------------------------------------------------------------
// sql/definitions/*.sql hold the current body of every function and view (Flyway's repeatable
// migrations): CREATE OR REPLACE, applied after the numbered files in name order, each in its own
// transaction, and again whenever its content changes (migration_definitions keeps the sha256 of
// what was applied). After a run that applied numbered files every definition is applied again:
// a numbered file may have dropped a view to alter its table, and unchanged definitions must put
// it back. Writing one: sql/README.md.

export interface DefinitionFile {
  name: string;
  sql: string;
  hash: string;
}

const DEFINITIONS_TABLE = `CREATE TABLE migration_definitions (
  name text PRIMARY KEY,
  hash text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/** The definition files of a sql directory in the order they are applied (none when it has no definitions/). */
export function loadDefinitions(directory: string): DefinitionFile[] {
  const dir = path.join(directory, DEFINITIONS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name), 'utf8');
      const refused = refusedStatement(sql);
      if (refused) {
        throw new Error(
          `${DEFINITIONS_DIR}/${name}: '${refused.slice(0, 80)}' cannot be in a definition file, which holds only CREATE OR REPLACE FUNCTION/VIEW, ` +
            'DROP FUNCTION/VIEW IF EXISTS (never CASCADE), GRANT, REVOKE, COMMENT ON and DO blocks that only grant or revoke; ' +
            'tables and changes to rows belong in a numbered file. Nothing was changed',
        );
      }
      return { name, sql, hash: createHash('sha256').update(sql).digest('hex') };
    });
}

const ALLOWED = /^(CREATE OR REPLACE (FUNCTION|VIEW)|DROP (FUNCTION|VIEW) IF EXISTS|GRANT|REVOKE|COMMENT ON|DO)\b/i;
// What a DO block may not say outside its GRANTs and REVOKEs: it runs when the file is applied,
// and a definition touches no table and no row.
const DO_FORBIDDEN = /\b(INSERT|UPDATE|DELETE|TRUNCATE|MERGE|COPY|DROP|ALTER|CREATE|CASCADE)\b/i;
const PRIVILEGES = /\b(GRANT|REVOKE)\b[^;]*/gi;

/**
 * The first top-level statement a definition file may not hold, or undefined. Function bodies are
 * not looked into (they run when called, not when the file is applied); DO blocks are.
 */
function refusedStatement(sql: string): string | undefined {
  return topLevelStatements(sql).find(
    (statement) =>
      !ALLOWED.test(statement) ||
      (/^DROP\b/i.test(statement) && /\bCASCADE\b/i.test(statement)) ||
      (/^DO\b/i.test(statement) && DO_FORBIDDEN.test(statement.replace(PRIVILEGES, ''))),
  );
}

// Comments, quoted strings and identifiers, dollar-quoted bodies (tag matched), a statement's end.
const TOKEN =
  /--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"|\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$|;|[^-/'"$;]+|[\s\S]/g;

function topLevelStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  for (const [token] of sql.matchAll(TOKEN)) {
    if (token === ';') {
      statements.push(current);
      current = '';
    } else {
      current += token.startsWith('--') || token.startsWith('/*') ? ' ' : token;
    }
  }
  statements.push(current);
  return statements.map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** The definitions to apply: all of them after numbered files ran (or would run), else those whose hash differs. */
async function definitionsToApply(
  client: pg.Client,
  files: DefinitionFile[],
  everything: boolean,
): Promise<DefinitionFile[]> {
  if (everything || !files.length || !(await hasDefinitionsTable(client))) return files;
  const { rows } = await client.query<{ name: string; hash: string }>('SELECT name, hash FROM migration_definitions');
  const recorded = new Map(rows.map((r) => [r.name, r.hash]));
  return files.filter((f) => recorded.get(f.name) !== f.hash);
}

async function hasDefinitionsTable(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ t: string | null }>(`SELECT to_regclass('migration_definitions')::text AS t`);
  return rows[0]!.t !== null;
}

/**
 * Each file in its own transaction with its hash. A file that fails is rolled back alone: those
 * before it stay applied, those after it are not run, and the error names it.
 */
async function applyDefinitions(client: pg.Client, files: DefinitionFile[]): Promise<string[]> {
  if (files.length && !(await hasDefinitionsTable(client))) await client.query(DEFINITIONS_TABLE);
  const applied: string[] = [];
  for (const file of files) {
    try {
      await client.query('BEGIN');
      await client.query(file.sql);
      await client.query(
        `INSERT INTO migration_definitions (name, hash) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET hash = EXCLUDED.hash, applied_at = now()`,
        [file.name, file.hash],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      const position = Number((error as { position?: string }).position);
      const line = position > 0 ? ` at line ${file.sql.slice(0, position).split('\n').length}` : '';
      const before = applied.length ? `applied before it: ${applied.join(', ')}` : 'none was applied before it';
      throw new Error(
        `definition ${DEFINITIONS_DIR}/${file.name} failed${line} and was rolled back (${before}; the ones after it were not run): ` +
          `${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    applied.push(file.name);
  }
  return applied;
}
