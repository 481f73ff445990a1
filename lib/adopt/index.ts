// Adoption of an existing pipeline database by `npm run db:migrate` (docs/ADOPTION.md).
// A database is adopted when this project never migrated it (no `migrations` table) but it
// already holds pipeline tables. It is then inspected, validated (refused before any change),
// brought up to 001–006 without touching a row, and baselined so the runner applies 007+.
import type pg from 'pg';
import { applyAdoption } from './apply';
import { inspectDatabase, type DatabaseInfo } from './inspect';
import { BASELINE_FILES, ownObjectNames, planAdoption, type AdoptionPlan } from './plan';
import { typeWarnings, validateDatabase, type Refusal } from './validate';

export class AdoptionRefusedError extends Error {
  constructor(readonly refusals: Refusal[]) {
    super(
      `this database cannot be adopted; nothing was changed:\n${refusals.map((r) => `  - ${r.message}`).join('\n')}`,
    );
    this.name = 'AdoptionRefusedError';
  }
}

export interface AdoptionOutcome {
  /** False when the database is new or was migrated by this project before. */
  adoption: boolean;
  plan?: AdoptionPlan;
}

function describeTables(info: DatabaseInfo): string {
  return [...info.tables.values()]
    .map((t) => {
      const rows =
        t.estimatedRows >= 0 ? `~${Math.round(t.estimatedRows).toLocaleString('en-US')} rows` : 'never analyzed';
      return t.kind === 'p'
        ? `${t.name} (partitioned: ${t.partitions.length} partitions, ${rows})`
        : `${t.name} (${rows})`;
    })
    .join(', ');
}

/** The plan as the dry run prints it: every statement, in the order the real run executes them. */
export function formatPlan(info: DatabaseInfo, plan: AdoptionPlan): string[] {
  const lines = [`adoption: found ${describeTables(info)}; no migrations table, so this project never migrated it`];
  if (plan.concurrent.length) {
    lines.push('first, each outside a transaction (writers are not blocked):');
    for (const step of plan.concurrent) lines.push(`  -- ${step.description}`, `  ${step.sql}`);
  }
  lines.push(`then in one transaction (lock_timeout 2s, retried; bars_1m is only read):`);
  for (const step of plan.transaction)
    lines.push(`  -- ${step.description}`, ...step.sql.split('\n').map((l) => `  ${l}`));
  for (const install of plan.installs) {
    lines.push(
      `  -- install ${install.file}: ${[...install.sql.matchAll(/^CREATE (FUNCTION|VIEW) (\w+)/gm)].map((m) => m[2]).join(', ')}`,
    );
  }
  lines.push(
    '  -- (005 is installed without its one-off cursor reset: run reset_aggregation_cursors yourself, see the README)',
  );
  lines.push(`  -- record ${BASELINE_FILES.join(', ')} as applied in the migrations table`);
  return lines;
}

export interface AdoptOptions {
  dryRun: boolean;
  logger: (line: string) => void;
  sqlDir: string;
  /** The SQL of the definition files: their functions and views are this project's too. */
  definitionSql: string[];
}

export async function adoptIfNeeded(client: pg.Client, options: AdoptOptions): Promise<AdoptionOutcome> {
  const objects = ownObjectNames(options.sqlDir, options.definitionSql);
  const info = await inspectDatabase(client, objects);
  if (info.hasMigrationsTable || info.tables.size === 0) return { adoption: false };
  // A role's statement_timeout must not cut off the duplicate check or an index build half-way
  // on a large table (this client is adoption's own; it is closed after the migration).
  await client.query('SET statement_timeout = 0');
  const refusals = await validateDatabase(client, info, objects);
  if (refusals.length) throw new AdoptionRefusedError(refusals);
  const plan = planAdoption(info, options.sqlDir);
  for (const warning of typeWarnings(info)) options.logger(warning);
  if (options.dryRun) {
    for (const line of formatPlan(info, plan)) options.logger(line);
    return { adoption: true, plan };
  }
  options.logger(`adoption: found ${describeTables(info)}`);
  await applyAdoption(client, plan, { logger: options.logger, sqlDir: options.sqlDir });
  return { adoption: true, plan };
}
