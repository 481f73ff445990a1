// Runs an adoption plan. Lock strategy (docs/ADOPTION.md):
// - nothing here takes a lock on bars_1m that blocks its writers: bars_1m is only read;
// - CREATE INDEX CONCURRENTLY steps run first, outside a transaction (writers go on meanwhile);
// - everything else runs in ONE transaction with a short lock_timeout: waiting behind a long
//   query for an ACCESS EXCLUSIVE lock would queue every writer behind us, so we give up after
//   LOCK_TIMEOUT and retry the whole transaction a few times instead.
import type pg from 'pg';
import { loadMigrationFiles } from 'postgres-migrations';
import { BASELINE_FILES, type AdoptionPlan } from './plan';

const LOCK_TIMEOUT = '2s';
const ATTEMPTS = 5;

export interface AdoptionOptions {
  logger: (line: string) => void;
  sqlDir: string;
}

/** The runner's own table and the rows it would have written had it applied 001–006 itself. */
export async function baselineStatements(
  sqlDir: string,
): Promise<{ createTable: string; rows: { id: number; name: string; hash: string }[] }> {
  const files = await loadMigrationFiles(sqlDir);
  const own = files.find((f) => f.id === 0);
  const baseline = files.filter((f) => BASELINE_FILES.includes(f.fileName));
  if (!own || baseline.length !== BASELINE_FILES.length)
    throw new Error(`adoption: the baseline files ${BASELINE_FILES.join(', ')} are not all in ${sqlDir}`);
  return { createTable: own.sql, rows: [own, ...baseline].map((f) => ({ id: f.id, name: f.name, hash: f.hash })) };
}

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === '55P03' || code === '40P01'; // lock_not_available, deadlock_detected
}

export async function applyAdoption(client: pg.Client, plan: AdoptionPlan, options: AdoptionOptions): Promise<void> {
  const { logger } = options;
  for (const step of plan.concurrent) {
    logger(`adopt: ${step.description}`);
    try {
      await client.query(step.sql);
    } catch (error) {
      // A failed CONCURRENTLY build leaves an INVALID index behind: take it away again.
      const index = /INDEX CONCURRENTLY IF NOT EXISTS (\w+)/.exec(step.sql)?.[1];
      if (index) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${index}`).catch(() => {});
      throw error;
    }
  }
  const baseline = await baselineStatements(options.sqlDir);
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      for (const step of plan.transaction) {
        logger(`adopt: ${step.description}`);
        await client.query(step.sql);
      }
      for (const install of plan.installs) {
        logger(`adopt: install the functions and views of ${install.file}`);
        await client.query(install.sql);
      }
      await client.query(baseline.createTable);
      for (const row of baseline.rows) {
        await client.query('INSERT INTO migrations (id, name, hash) VALUES ($1, $2, $3)', [row.id, row.name, row.hash]);
      }
      logger(`adopt: recorded ${BASELINE_FILES.join(', ')} as applied (baseline)`);
      await client.query('COMMIT');
      return;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if (!isRetryable(error) || attempt === ATTEMPTS) throw error;
      logger(
        `adopt: a lock was not granted within ${LOCK_TIMEOUT} (attempt ${attempt} of ${ATTEMPTS}); rolled back, retrying`,
      );
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}
