// State history: incidents, their statistics and a pair's timeline (tables of sql/010), read so
// that a database without them (not migrated, or a role not granted them) still answers.
import { query } from '../server/db';
import { log } from '../server/log';
import type { IncidentPairRef, IncidentStatsResponse, StateInterval } from '../shared/history-types';
import { iso } from './frontier';

// 42P01 undefined_table (migration 010 not applied yet), 42501 insufficient_privilege (a
// dashboard role created before 011 and not granted the history tables: db/roles/).
const MISSING = new Set(['42P01', '42501']);
const warned = new Set<string>();

/**
 * A history read that the page can live without: when the tables are missing or not granted,
 * the health list and pair page still answer (without state_since), and the log says why once.
 */
export async function withoutHistoryIfMissing<T>(what: string, read: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    if (!MISSING.has(code)) throw error;
    if (!warned.has(code)) {
      warned.add(code);
      log.warn(`state history unavailable (${what}); run npm run db:migrate and db/roles/dashboard-readonly.sql`, {
        code,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    return fallback;
  }
}

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
  team: string | null;
  total: number;
  open_total: number;
}

/**
 * An incident's team (docs/HEALTH.md, "Owners"): its symbol's for a symbol incident; for a
 * global one the team all its symbols share, else NULL (one of them unowned, or two teams).
 * Nothing is resolved while no owner is set; each symbol is resolved once, by owner_team.
 */
const incidentTeam = (alias: string) => `CASE
    WHEN NOT EXISTS (SELECT 1 FROM owners) THEN NULL
    WHEN ${alias}.symbol IS NOT NULL THEN owner_team(${alias}.symbol)
    ELSE (SELECT CASE WHEN count(DISTINCT coalesce(y.team, '')) = 1 THEN min(y.team) END
            FROM (SELECT owner_team(x.canonical_symbol) AS team
                    FROM (SELECT DISTINCT ip.canonical_symbol FROM incident_pairs ip
                           WHERE ip.incident_id = ${alias}.incident_id) x) y)
  END`;

/**
 * A page of incidents, open first (newest first), then resolved (latest resolved first).
 * Merged incidents (their pairs moved into a global one) are left out: the global one has them.
 * The counts come along on every row (and are read from the first), so one round trip.
 */
export async function fetchIncidents(
  status: IncidentStatusFilter,
  limit: number,
  offset: number,
  team: string | null = null,
): Promise<{ rows: IncidentDbRow[]; total: number; open: number }> {
  // Only the incidents of this team (NULL: every incident); applied before the page is cut.
  const ofTeam = (alias: string, param: string) =>
    `(${param}::text IS NULL OR ${incidentTeam(alias)} = ${param}::text)`;
  const rows = await query<IncidentDbRow>(
    'incidents',
    `WITH counts AS (
       SELECT count(*) FILTER (WHERE $1 = 'all' OR ($1 = 'open') = (resolved_at IS NULL))::int AS total,
              count(*) FILTER (WHERE resolved_at IS NULL)::int AS open_total
         FROM incidents i WHERE merged_into IS NULL AND ${ofTeam('i', '$4')}
     ), page AS (
       SELECT * FROM incidents i
        WHERE merged_into IS NULL AND ($1 = 'all' OR ($1 = 'open') = (resolved_at IS NULL)) AND ${ofTeam('i', '$4')}
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
            ${incidentTeam('p')} AS team, c.total, c.open_total
       FROM page p
      CROSS JOIN counts c
      ORDER BY p.resolved_at IS NULL DESC, coalesce(p.resolved_at, p.opened_at) DESC, p.incident_id DESC`,
    [status, limit, offset, team],
  );
  if (rows.length > 0) return { rows, total: rows[0]!.total, open: rows[0]!.open_total };
  // An empty page still says how many there are.
  const counts = await query<{ total: number; open: number }>(
    'incidents-count',
    `SELECT count(*) FILTER (WHERE $1 = 'all' OR ($1 = 'open') = (resolved_at IS NULL))::int AS total,
            count(*) FILTER (WHERE resolved_at IS NULL)::int AS open
       FROM incidents i WHERE merged_into IS NULL AND ${ofTeam('i', '$2')}`,
    [status, team],
  );
  return { rows: [], total: counts[0]?.total ?? 0, open: counts[0]?.open ?? 0 };
}

type Stats = Pick<IncidentStatsResponse, 'byTimeframe' | 'topSymbols'>;

/**
 * MTTR and time in problem per timeframe and for the worst symbols over the last `hours`, from
 * the recorded intervals: consecutive problem intervals of a pair (FAILING then STALLED, say)
 * are one episode (gaps and islands), clipped to the window for the time in problem. With a
 * team, only the pairs whose symbol it owns now (owner_team), in the episodes and in `pairs`.
 */
export async function fetchIncidentStats(hours: number, team: string | null = null): Promise<Stats> {
  const rows = await query<{ stats: Stats }>(
    'incident-stats',
    `WITH w AS (SELECT now() - make_interval(hours => $1) AS lo, now() AS hi),
     iv AS (
       SELECT i.canonical_symbol, i.timeframe, i.since, i.until, history_is_problem(i.state) AS bad,
              lag(history_is_problem(i.state)) OVER (PARTITION BY i.canonical_symbol, i.timeframe ORDER BY i.since) AS prev_bad
         FROM pair_state_intervals i, w
        WHERE i.since < w.hi AND (i.until IS NULL OR i.until > w.lo)
          AND ($2::text IS NULL OR owner_team(i.canonical_symbol) = $2)
     ), numbered AS (
       SELECT *, count(*) FILTER (WHERE bad AND prev_bad IS NOT TRUE)
                   OVER (PARTITION BY canonical_symbol, timeframe ORDER BY since) AS episode
         FROM iv
     ), episodes AS (
       SELECT canonical_symbol, timeframe, min(since) AS started,
              CASE WHEN bool_or(until IS NULL) THEN NULL ELSE max(until) END AS ended
         FROM numbered WHERE bad GROUP BY canonical_symbol, timeframe, episode
     ), measured AS (
       SELECT e.canonical_symbol, e.timeframe,
              extract(epoch FROM least(coalesce(e.ended, w.hi), w.hi) - greatest(e.started, w.lo)) / 60 AS minutes,
              extract(epoch FROM e.ended - e.started) / 60 AS recovered_after
         FROM episodes e, w
     ), by_tf AS (
       SELECT t.timeframe, t.step,
              (SELECT count(*) FROM data_agg_state s
                WHERE s.timeframe = t.timeframe AND ($2::text IS NULL OR owner_team(s.canonical_symbol) = $2))::int AS pairs,
              count(m.timeframe)::int AS episodes, coalesce(sum(m.minutes), 0) AS problem_minutes,
              avg(m.recovered_after) AS mttr
         FROM agg_timeframes t LEFT JOIN measured m ON m.timeframe = t.timeframe
        GROUP BY t.timeframe, t.step
     ), by_symbol AS (
       SELECT canonical_symbol, count(*)::int AS episodes, sum(minutes) AS problem_minutes, avg(recovered_after) AS mttr
         FROM measured GROUP BY canonical_symbol ORDER BY sum(minutes) DESC, canonical_symbol LIMIT 10
     )
     SELECT jsonb_build_object(
       'byTimeframe', coalesce((SELECT jsonb_agg(jsonb_build_object(
           'timeframe', timeframe, 'pairs', pairs, 'episodes', episodes, 'problemMinutes', round(problem_minutes),
           'problemPct', CASE WHEN pairs = 0 THEN 0 ELSE round((100 * problem_minutes / (pairs * $1 * 60.0))::numeric, 2) END,
           'mttrMinutes', round(mttr)) ORDER BY step) FROM by_tf), '[]'),
       'topSymbols', coalesce((SELECT jsonb_agg(jsonb_build_object(
           'symbol', canonical_symbol, 'episodes', episodes, 'problemMinutes', round(problem_minutes), 'mttrMinutes', round(mttr))
           ORDER BY problem_minutes DESC, canonical_symbol) FROM by_symbol), '[]')) AS stats`,
    [hours, team],
  );
  return rows[0]?.stats ?? { byTimeframe: [], topSymbols: [] };
}

interface TimelineDbRow {
  state: string;
  since: string;
  until: string | null;
  reason: string | null;
  flapping: boolean;
  registered: boolean;
}

/**
 * A pair's state intervals overlapping [from, to), newest `limit` of them, oldest first;
 * null when the pair is neither registered nor in the history. Index: (symbol, timeframe, since DESC).
 */
export async function fetchPairTimeline(
  symbol: string,
  timeframe: string,
  from: Date,
  to: Date,
  limit: number,
): Promise<StateInterval[] | null> {
  const rows = await query<TimelineDbRow>(
    'pair-timeline',
    `SELECT i.state, ${iso('i.since')}, ${iso('i.until')}, i.reason, i.flapping, true AS registered
       FROM (SELECT * FROM pair_state_intervals
              WHERE canonical_symbol = $1 AND timeframe = $2 AND since < $4 AND (until IS NULL OR until > $3)
              ORDER BY since DESC LIMIT $5) i
     UNION ALL
     SELECT NULL, NULL, NULL, NULL, false, EXISTS (SELECT 1 FROM data_agg_state WHERE canonical_symbol = $1 AND timeframe = $2)
     ORDER BY 2 NULLS LAST`,
    [symbol, timeframe, from, to, limit],
  );
  const marker = rows.pop();
  if (rows.length === 0 && !marker?.registered) return null;
  return rows.map(({ state, since, until, reason, flapping }) => ({ state, since, until, reason, flapping }));
}
