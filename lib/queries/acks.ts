import { query } from '../server/db';
import type { Ack } from '../shared/acks';

interface AckRow {
  target: string;
  acked_by: string;
  note: string;
  at_utc: Date;
  until_utc: Date | null;
}

const toAck = (row: AckRow): Ack => ({
  by: row.acked_by,
  note: row.note,
  at: row.at_utc.toISOString(),
  until: row.until_utc?.toISOString() ?? null,
});

// An ack is current while not ended (replaced), not past its until, and its problem lasts
// (sql/017, docs/ACTIONS.md): decided here, when read, so nothing has to run for it to end.
const LIVE = `a.ended_at_utc IS NULL AND (a.until_utc IS NULL OR a.until_utc > now())`;

/** The current ack of each of these incidents (an incident's ack ends when it resolves). */
export async function fetchIncidentAcks(ids: readonly number[]): Promise<Map<number, Ack>> {
  if (ids.length === 0) return new Map();
  const rows = await query<AckRow>(
    'incident-acks',
    `SELECT a.incident_id::text AS target, a.acked_by, a.note, a.at_utc, a.until_utc
       FROM acknowledgements a JOIN incidents i ON i.incident_id = a.incident_id
      WHERE a.incident_id = ANY ($1::bigint[]) AND i.resolved_at IS NULL AND ${LIVE}`,
    [ids],
  );
  return new Map(rows.map((row) => [Number(row.target), toAck(row)]));
}

/**
 * A pair's current ack: it ends when the pair's recorded state is quiet (OK, CLOSED, DISABLED) at
 * any time after it was made, so a pair that recovered and failed again is not still acked.
 */
export async function fetchPairAck(symbol: string, timeframe: string): Promise<Ack | null> {
  const rows = await query<AckRow>(
    'pair-ack',
    `SELECT a.canonical_symbol AS target, a.acked_by, a.note, a.at_utc, a.until_utc
       FROM acknowledgements a
      WHERE a.incident_id IS NULL AND a.canonical_symbol = $1 AND a.timeframe = $2 AND ${LIVE}
        AND NOT EXISTS (SELECT 1 FROM pair_state_intervals s
                         WHERE s.canonical_symbol = a.canonical_symbol AND s.timeframe = a.timeframe
                           AND (s.until IS NULL OR s.until > a.at_utc) AND NOT history_is_problem(s.state))`,
    [symbol, timeframe],
  );
  return rows[0] ? toAck(rows[0]) : null;
}

/** A current ack and the pair it covers: its own (a pair ack) or one of an acked incident's open pairs. */
export interface PairAckRow {
  symbol: string;
  timeframe: string;
  ack: Ack;
}

/**
 * Every pair with a current ack, under the rules above: a pair's own ack, else the ack of the
 * open incident it is in now (its open membership in incident_pairs). A pair ack wins over its
 * incident's: it was made about that pair. Small (acks are made by people) and indexed by the
 * partial unique indexes of sql/017 and incident_pairs_open.
 */
export async function fetchCurrentPairAcks(): Promise<PairAckRow[]> {
  const rows = await query<AckRow & { symbol: string; timeframe: string }>(
    'current-pair-acks',
    `SELECT DISTINCT ON (symbol, timeframe) symbol, timeframe, target, acked_by, note, at_utc, until_utc
       FROM (
         SELECT a.canonical_symbol AS symbol, a.timeframe, 'pair' AS target, 0 AS rank,
                a.acked_by, a.note, a.at_utc, a.until_utc
           FROM acknowledgements a
          WHERE a.incident_id IS NULL AND ${LIVE}
            AND NOT EXISTS (SELECT 1 FROM pair_state_intervals s
                             WHERE s.canonical_symbol = a.canonical_symbol AND s.timeframe = a.timeframe
                               AND (s.until IS NULL OR s.until > a.at_utc) AND NOT history_is_problem(s.state))
         UNION ALL
         SELECT p.canonical_symbol, p.timeframe, 'incident', 1, a.acked_by, a.note, a.at_utc, a.until_utc
           FROM acknowledgements a
           JOIN incidents i ON i.incident_id = a.incident_id AND i.resolved_at IS NULL
           JOIN incident_pairs p ON p.incident_id = a.incident_id AND p.left_at IS NULL
          WHERE ${LIVE}
       ) current
      ORDER BY symbol, timeframe, rank, at_utc DESC`,
    [],
  );
  return rows.map((row) => ({ symbol: row.symbol, timeframe: row.timeframe, ack: toAck(row) }));
}
