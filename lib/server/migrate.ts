import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadMigrationFiles, migrate } from 'postgres-migrations';
import { adoptIfNeeded } from '../adopt/index';
import { BASELINE_FILES } from '../adopt/plan';

export const SQL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'sql');

// postgres-migrations' advisory lock key: adoption holds the same lock, so two runners (or a
// runner and an adoption) never interleave. Session advisory locks nest, so the runner takes
// it again inside.
const RUNNER_LOCK = '-8525285245963000605';

export interface MigrationResult {
  applied: string[];
  /** True when the database was adopted (an existing pipeline database; docs/ADOPTION.md). */
  adopted: boolean;
  /** With dryRun: the files that would be applied; nothing was changed. */
  pending?: string[];
}

export interface MigrateOptions {
  dryRun?: boolean;
}

/**
 * Applies sql/NNN_*.sql in order, each once, in its own transaction, under an advisory
 * lock (postgres-migrations); refuses to go on when an applied file was changed. A database
 * that already holds the pipeline's tables but was never migrated by this project is adopted
 * first (lib/adopt).
 */
export async function migrateDatabase(
  connectionString: string,
  logger: (line: string) => void = () => {},
  directory: string = SQL_DIR,
  options: MigrateOptions = {},
): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString });
  client.on('notice', (notice) => logger(`NOTICE: ${notice.message}`));
  await client.connect();
  try {
    await takeRunnerLock(client);
    try {
      const adoption = await adoptIfNeeded(client, { dryRun: options.dryRun ?? false, logger, sqlDir: directory });
      if (options.dryRun) {
        return { applied: [], adopted: adoption.adoption, pending: await pendingFiles(client, directory, adoption.adoption) };
      }
      const done = await migrate({ client }, directory, { logger: () => {} });
      return { applied: done.filter((migration) => migration.id > 0).map((migration) => migration.fileName), adopted: adoption.adoption };
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
    ? new Map((await client.query<{ id: number; hash: string; name: string }>('SELECT id, name, hash FROM migrations')).rows.map((r) => [r.id, r]))
    : new Map<number, { hash: string; name: string }>();
  const changed = files.filter((f) => applied.has(f.id) && applied.get(f.id)!.hash !== f.hash);
  if (changed.length) throw new Error(`Hashes don't match for migrations '${changed.map((f) => f.fileName).join("', '")}'`);
  return files.filter((f) => !applied.has(f.id)).map((f) => f.fileName);
}
