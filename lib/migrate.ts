import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrate } from 'postgres-migrations';

export const SQL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'sql');

export interface MigrationResult {
  applied: string[];
}

/**
 * Applies sql/NNN_*.sql in order, each once, in its own transaction, under an advisory
 * lock (postgres-migrations); refuses to go on when an applied file was changed.
 */
export async function migrateDatabase(
  connectionString: string,
  logger: (line: string) => void = () => {},
  directory: string = SQL_DIR,
): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString });
  client.on('notice', (notice) => logger(`NOTICE: ${notice.message}`));
  await client.connect();
  try {
    const done = await migrate({ client }, directory, { logger: () => {} });
    return { applied: done.filter((migration) => migration.id > 0).map((migration) => migration.fileName) };
  } finally {
    await client.end();
  }
}
