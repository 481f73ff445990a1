import { query } from '../server/db';
import type { IncidentStatsResponse } from '../shared/history-types';

type Stats = Pick<IncidentStatsResponse, 'byTimeframe' | 'topSymbols'>;

/**
 * MTTR and time in problem per timeframe and for the worst symbols over the last `hours`, from
 * the recorded intervals: consecutive problem intervals of a pair (FAILING then STALLED, say)
 * are one episode (gaps and islands), clipped to the window for the time in problem.
 */
export async function fetchIncidentStats(hours: number): Promise<Stats> {
  const rows = await query<{ stats: Stats }>(
    'incident-stats',
    `WITH w AS (SELECT now() - make_interval(hours => $1) AS lo, now() AS hi),
     iv AS (
       SELECT i.canonical_symbol, i.timeframe, i.since, i.until, history_is_problem(i.state) AS bad,
              lag(history_is_problem(i.state)) OVER (PARTITION BY i.canonical_symbol, i.timeframe ORDER BY i.since) AS prev_bad
         FROM pair_state_intervals i, w
        WHERE i.since < w.hi AND (i.until IS NULL OR i.until > w.lo)
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
              (SELECT count(*) FROM data_agg_state s WHERE s.timeframe = t.timeframe)::int AS pairs,
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
    [hours],
  );
  return rows[0]?.stats ?? { byTimeframe: [], topSymbols: [] };
}
