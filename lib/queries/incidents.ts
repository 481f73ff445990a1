import { query } from '../server/db';
import type { IncidentPairRef } from '../shared/history-types';
import { iso } from './frontier-columns';

export type IncidentStatusFilter = 'open' | 'resolved' | 'all';

export interface IncidentDbRow {
  incident_id: number;
  scope: 'symbol' | 'global';
  state: string;
  symbol: string | null;
  detail: string;
  opened_at: string;
  resolved_at: string | null;
  duration_minutes: number;
  pairs: number;
  open_pairs: number;
  symbols: number;
  open_symbols: number;
  sample: IncidentPairRef[];
  total: number;
  open_total: number;
}

/**
 * A page of incidents, open first (newest first), then resolved (latest resolved first).
 * Merged incidents (their pairs moved into a global one) are left out: the global one has them.
 * The counts come along on every row (and are read from the first), so one round trip.
 */
export async function fetchIncidents(status: IncidentStatusFilter, limit: number, offset: number): Promise<{ rows: IncidentDbRow[]; total: number; open: number }> {
  const rows = await query<IncidentDbRow>(
    'incidents',
    `WITH counts AS (
       SELECT count(*) FILTER (WHERE $1 = 'all' OR ($1 = 'open') = (resolved_at IS NULL))::int AS total,
              count(*) FILTER (WHERE resolved_at IS NULL)::int AS open_total
         FROM incidents WHERE merged_into IS NULL
     ), page AS (
       SELECT * FROM incidents
        WHERE merged_into IS NULL AND ($1 = 'all' OR ($1 = 'open') = (resolved_at IS NULL))
        ORDER BY resolved_at IS NULL DESC, coalesce(resolved_at, opened_at) DESC, incident_id DESC
        LIMIT $2 OFFSET $3
     )
     SELECT p.incident_id, p.scope, p.state, p.symbol, p.detail, ${iso('p.opened_at')}, ${iso('p.resolved_at')},
            round(extract(epoch FROM coalesce(p.resolved_at, now()) - p.opened_at) / 60)::int AS duration_minutes,
            p.pair_count AS pairs, p.open_pair_count AS open_pairs, p.symbol_count AS symbols, p.open_symbol_count AS open_symbols,
            -- 12 pairs by the primary key's order (open ones first), then in timeframe order:
            -- never a sort of a global incident's 30,000 pairs
            coalesce((SELECT jsonb_agg(jsonb_build_object('symbol', s.canonical_symbol, 'timeframe', s.timeframe, 'open', s.open)
                                       ORDER BY s.open DESC, s.canonical_symbol, t.step)
                        FROM (SELECT * FROM (
                                (SELECT canonical_symbol, timeframe, true AS open FROM incident_pairs
                                  WHERE incident_id = p.incident_id AND left_at IS NULL AND p.resolved_at IS NULL
                                  ORDER BY canonical_symbol, timeframe LIMIT 12)
                                UNION ALL
                                (SELECT canonical_symbol, timeframe, false FROM incident_pairs
                                  WHERE incident_id = p.incident_id AND left_at IS NOT NULL
                                  ORDER BY canonical_symbol, timeframe LIMIT 12)) u LIMIT 12) s
                        LEFT JOIN agg_timeframes t ON t.timeframe = s.timeframe), '[]') AS sample,
            c.total, c.open_total
       FROM page p
      CROSS JOIN counts c
      ORDER BY p.resolved_at IS NULL DESC, coalesce(p.resolved_at, p.opened_at) DESC, p.incident_id DESC`,
    [status, limit, offset],
  );
  if (rows.length > 0) return { rows, total: rows[0]!.total, open: rows[0]!.open_total };
  // An empty page still says how many there are.
  const counts = await query<{ total: number; open: number }>(
    'incidents-count',
    `SELECT count(*) FILTER (WHERE $1 = 'all' OR ($1 = 'open') = (resolved_at IS NULL))::int AS total,
            count(*) FILTER (WHERE resolved_at IS NULL)::int AS open
       FROM incidents WHERE merged_into IS NULL`,
    [status],
  );
  return { rows: [], total: counts[0]?.total ?? 0, open: counts[0]?.open ?? 0 };
}
