import { closeWritePool as closeSharedWritePool, getWritePool } from '../server/write-db';
import { env } from '../server/env';
import { log } from '../server/log';
import type { ActionsStatus } from '../shared/actions';

/**
 * The writable connection of the dashboard: DATABASE_WRITE_URL, else DATABASE_URL (a host list
 * works). Its pool is lib/server/write-db.ts, shared with the maintenance windows' routes.
 */
export function writeUrl(): string | undefined {
  const config = env();
  return config.DATABASE_WRITE_URL ?? config.DATABASE_URL;
}

export async function closeWritePool(): Promise<void> {
  statusCache = undefined;
  await closeSharedWritePool();
}

/** Every function the write path calls; the status says which one the role may not run. */
export const ACTION_FUNCTIONS = [
  'action_retry_pair(text,text,text,text,text,text)',
  'action_set_pair_enabled(text,text,text,text,text,boolean,text)',
  'action_bootstrap_pair(text,text,text,text,text,boolean,text)',
  'action_reset_pair(text,text,text,text,text,boolean,text)',
  'action_repair_range(text,text,text,text,text,timestamptz,timestamptz,boolean,text)',
  'action_ack_incident(text,text,text,bigint,text,timestamptz)',
  'action_ack_pair(text,text,text,text,text,text,timestamptz)',
  'action_unack_incident(text,text,text,bigint,text)',
  'action_unack_pair(text,text,text,text,text,text)',
] as const;

const STATUS_TTL_MS = 30_000;
let statusCache: { at: number; status: Promise<ActionsStatus> } | undefined;

async function probe(): Promise<ActionsStatus> {
  if (!writeUrl()) return { writable: false, reason: 'no database is configured (DATABASE_URL)' };
  try {
    const { rows } = await getWritePool().query<{ fn: string; present: boolean; can: boolean | null }>(
      `SELECT f AS fn, to_regprocedure(f) IS NOT NULL AS present,
              CASE WHEN to_regprocedure(f) IS NOT NULL THEN has_function_privilege(f, 'EXECUTE') END AS can
         FROM unnest($1::text[]) f`,
      [ACTION_FUNCTIONS],
    );
    const missing = rows.find((row) => !row.present);
    if (missing) return { writable: false, reason: `the database lacks ${missing.fn}: run npm run db:migrate on it` };
    const refused = rows.find((row) => !row.can);
    if (refused)
      return {
        writable: false,
        reason: `the write connection may not run ${refused.fn}: run db/roles/actions.sql and set DATABASE_WRITE_URL to frontier_actions`,
      };
    return { writable: true, reason: null };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason =
      code === '25006'
        ? 'the database connection is read-only: set DATABASE_WRITE_URL to the write role (db/roles/actions.sql)'
        : 'the write connection failed: see the server log';
    log.warn('actions: no writable connection', { error: error instanceof Error ? error.message : String(error) });
    return { writable: false, reason };
  }
}

/** Can the dashboard run actions? Asked at most every 30 s; shown on the action panel. */
export function actionsStatus(): Promise<ActionsStatus> {
  const now = Date.now();
  if (!statusCache || now - statusCache.at > STATUS_TTL_MS) statusCache = { at: now, status: probe() };
  return statusCache.status;
}
