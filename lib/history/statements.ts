import type pg from 'pg';
import type { HealthState } from '../shared/types';
import type { HistorySettings } from './settings';

/** The history writer's SQL (functions of sql/010_state_history.sql). One round trip each. */

/** Any number of processes compete for it; the one holding it writes. Per database. */
export const HISTORY_LOCK_KEY = 7_426_011_011;

/** Every pair's health now, as four parallel arrays: one bound parameter each, not 30,000 rows. */
export interface ObservedStates {
  symbols: string[];
  timeframes: string[];
  states: HealthState[];
  reasons: string[];
}

export function observedFrom(
  rows: ReadonlyArray<{ symbol: string; timeframe: string; state: HealthState; reason: string }>,
): ObservedStates {
  const observed: ObservedStates = { symbols: [], timeframes: [], states: [], reasons: [] };
  for (const row of rows) {
    observed.symbols.push(row.symbol);
    observed.timeframes.push(row.timeframe);
    observed.states.push(row.state);
    observed.reasons.push(row.reason);
  }
  return observed;
}

export async function tryHistoryLock(client: pg.ClientBase): Promise<boolean> {
  const result = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [HISTORY_LOCK_KEY]);
  return result.rows[0]?.got === true;
}

export interface EvaluationResult {
  at: string;
  observed: number;
  changed: number;
  new_pairs: number;
  gone: number;
  recorded: number;
  incidents: { opened: number; resolved: number; joined: number; left: number };
  duration_ms: number;
}

export async function recordStates(
  client: pg.ClientBase,
  observed: ObservedStates,
  settings: Pick<HistorySettings, 'settleSeconds' | 'flapWindowSeconds' | 'flapChanges' | 'globalSymbols'>,
): Promise<EvaluationResult> {
  const result = await client.query<{ r: EvaluationResult }>(
    'SELECT history_record_states($1, $2, $3, $4, $5, $6, $7, $8) AS r',
    [
      observed.symbols,
      observed.timeframes,
      observed.states,
      observed.reasons,
      settings.settleSeconds,
      settings.flapWindowSeconds,
      settings.flapChanges,
      settings.globalSymbols,
    ],
  );
  const row = result.rows[0];
  if (!row) throw new Error('history_record_states returned no row');
  return row.r;
}

export async function pruneHistoryBatch(client: pg.ClientBase, retentionDays: number, batch: number): Promise<number> {
  const result = await client.query<{ n: number }>('SELECT history_prune($1, $2) AS n', [retentionDays, batch]);
  return result.rows[0]?.n ?? 0;
}

/**
 * Can this connection write the history? 'no-privilege': this role or session never will (the
 * read-only dashboard role of db/roles/, default_transaction_read_only, or migration 010
 * missing). 'read-only': the node is a standby now, which a failover changes: not a reason to
 * stop competing.
 */
export async function canWriteHistory(client: pg.ClientBase): Promise<'yes' | 'no-privilege' | 'read-only'> {
  const result = await client.query<{ privileged: boolean; read_only: boolean; recovery: boolean }>(
    `SELECT CASE WHEN to_regclass('pair_state_current') IS NULL THEN false
                ELSE has_table_privilege('pair_state_current', 'INSERT')
                 AND has_table_privilege('incidents', 'INSERT') END AS privileged,
            current_setting('transaction_read_only') = 'on' AS read_only,
            pg_is_in_recovery() AS recovery`,
  );
  const row = result.rows[0];
  if (row?.recovery === true) return 'read-only';
  if (row?.privileged !== true || row.read_only) return 'no-privilege';
  return 'yes';
}
