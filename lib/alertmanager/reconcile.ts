import type pg from 'pg';
import type { Logger } from '../server/log';
import { AlertmanagerError, expireSilence, postSilence } from './client';
import { ackMatchers, SILENCE_EXTEND_BELOW_MS, SILENCE_HORIZON_MS, silenceSpec, type AckScope } from './scope';

/**
 * Keeps each ack's Alertmanager silence in step with the ack (docs/ACTIONS.md "The silence"),
 * run by the history writer after each evaluation (so by one process at a time, the one holding
 * the history lock) when ALERTMANAGER_URL is set:
 * - an ack no longer current (resolved, lapsed, replaced, withdrawn) → its silence expired;
 * - a current ack without one (Alertmanager was down, or not configured when it was made) →
 *   created; one made by the ack route in the last GRACE_MS is left to the route;
 * - a current ack without `until` whose silence ends within the horizon's half → extended.
 * Idempotent, and it only touches silences whose id it stored: nothing else in Alertmanager.
 */

/** An ack younger than this is the route's to silence: no duplicate while the route is at it. */
const GRACE_MS = 30_000;
/** Work per pass is bounded; the rest waits for the next pass. */
const BATCH = 200;

interface Row {
  ack_id: string;
  incident_id: string | null;
  canonical_symbol: string | null;
  timeframe: string | null;
  acked_by: string;
  note: string;
  at_utc: Date;
  until_utc: Date | null;
  silence_id: string | null;
  silence_state: string | null;
  silence_ends_at: Date | null;
  current: boolean;
  scope: string | null;
  incident_state: string | null;
  incident_symbol: string | null;
}

export interface ReconcileOptions {
  alertmanagerUrl: string;
  dashboardUrl?: string;
  log: Logger;
}

export interface ReconcileResult {
  created: number;
  extended: number;
  expired: number;
  failed: number;
  none: number;
}

const record = async (
  client: pg.ClientBase,
  ackId: number,
  state: 'active' | 'failed' | 'expired' | 'none',
  silenceId: string | null,
  error: string | null,
  endsAt: string | null,
  previousId: string | null = null,
): Promise<boolean> => {
  const { rows } = await client.query<{ stored: boolean }>(
    'SELECT ack_silence_record($1, $2, $3, $4, $5, $6) AS stored',
    [ackId, state, silenceId, error, endsAt, previousId],
  );
  return rows[0]!.stored;
};

function scopeOf(row: Row): AckScope & { by: string; note: string; until: Date | null } {
  return {
    ackId: Number(row.ack_id),
    incidentId: row.incident_id === null ? null : Number(row.incident_id),
    symbol: row.canonical_symbol,
    timeframe: row.timeframe,
    incident: row.scope ? { scope: row.scope, state: row.incident_state!, symbol: row.incident_symbol } : null,
    by: row.acked_by,
    note: row.note,
    until: row.until_utc,
  };
}

export async function reconcileSilences(client: pg.ClientBase, options: ReconcileOptions): Promise<ReconcileResult> {
  const result: ReconcileResult = { created: 0, extended: 0, expired: 0, failed: 0, none: 0 };
  // Only the acks with something to do, so that long-lived current acks with their silence in
  // place never crowd the batch: ended ones not yet settled, ones without a silence, and
  // silences near their horizon.
  const { rows } = await client.query<Row>(
    `SELECT * FROM (
       SELECT a.ack_id, a.incident_id, a.canonical_symbol, a.timeframe, a.acked_by, a.note, a.at_utc, a.until_utc,
              a.silence_id, a.silence_state, a.silence_ends_at, ack_is_current(a.ack_id) AS current,
              i.scope, i.state AS incident_state, i.symbol AS incident_symbol
         FROM acknowledgements a LEFT JOIN incidents i ON i.incident_id = a.incident_id
        WHERE a.silence_state IS NULL OR a.silence_state IN ('active', 'failed')) w
      WHERE NOT w.current OR w.silence_state IS DISTINCT FROM 'active'
         OR (w.until_utc IS NULL AND w.silence_ends_at < now() + $1 * interval '1 millisecond')
      ORDER BY w.ack_id LIMIT ${BATCH}`,
    [SILENCE_EXTEND_BELOW_MS],
  );
  const base = options.alertmanagerUrl;
  for (const row of rows) {
    const ack = scopeOf(row);
    const now = new Date();
    try {
      if (!row.current) {
        if (row.silence_id && row.silence_state === 'active') {
          await expireSilence(base, row.silence_id);
          await record(client, ack.ackId, 'expired', row.silence_id, null, null);
          result.expired += 1;
        } else if (!row.silence_id) {
          await record(client, ack.ackId, 'none', null, null, null);
          result.none += 1;
        }
        continue;
      }
      const matchers = ackMatchers(ack);
      if (!matchers) continue;
      if (!row.silence_id) {
        if (row.silence_state === null && now.getTime() - row.at_utc.getTime() < GRACE_MS) continue;
        const spec = silenceSpec(ack, matchers, now, options.dashboardUrl);
        let id: string;
        try {
          id = await postSilence(base, spec);
        } catch (error) {
          if (!(error instanceof AlertmanagerError)) throw error;
          await record(client, ack.ackId, 'failed', null, error.message, null);
          result.failed += 1;
          continue;
        }
        // Lost a race with the route: keep theirs, take ours back.
        if (await record(client, ack.ackId, 'active', id, null, spec.endsAt)) result.created += 1;
        else await expireSilence(base, id);
        continue;
      }
      const endsAt = row.silence_ends_at?.getTime() ?? 0;
      if (row.until_utc === null && endsAt - now.getTime() < SILENCE_EXTEND_BELOW_MS) {
        const spec = { ...silenceSpec(ack, matchers, now, options.dashboardUrl), id: row.silence_id };
        spec.endsAt = new Date(now.getTime() + SILENCE_HORIZON_MS).toISOString();
        const id = await postSilence(base, spec);
        await record(client, ack.ackId, 'active', id, null, spec.endsAt, row.silence_id);
        result.extended += 1;
      }
    } catch (error) {
      if (!(error instanceof AlertmanagerError)) throw error;
      // Retried on the next pass; said once per pass and ack.
      options.log.warn('silence reconciler: Alertmanager call failed', { ack_id: ack.ackId, error: error.message });
    }
  }
  return result;
}
