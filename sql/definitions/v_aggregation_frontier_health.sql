-- One row per pair with everything a monitor needs.
--   F is found once per symbol by an index look-up (never a GROUP BY over bars_1m).
--   bars_behind counts complete windows (no grace: the view does not know the worker's).
--   minutes_since_success counts from registration when a pair never succeeded, so a pair
--     that fails from the start is caught by "minutes_since_success > 60" too.
--   bars_per_run is over the last 20 runs that had work to do (failed runs count 0 bars);
--     runs that found nothing complete to aggregate are left out, so quiet hours and
--     daily bars do not look inefficient. NULL before the first such run.
--   health_policy and policy_*: the health policy that applies to the pair (sql/019, docs/HEALTH.md)
--     and its thresholds; NULL where none applies or the policy leaves a threshold to the
--     default, which is the dashboard's environment (HEALTH_STALL_MINUTES, …).
-- Minutes and bars_per_run are double precision rounded to 0.1 and 0.001: numeric
-- arithmetic here cost more than the index look-ups at 30,000 pairs (docs/PERFORMANCE.md).
CREATE OR REPLACE VIEW v_aggregation_frontier_health AS
-- Health policies (sql/019) are resolved per symbol, then per pair from two look-ups: the
-- symbol's best any-timeframe policy and its best policy for the pair's timeframe, the latter
-- winning unless the former matches the symbol more closely (health_policy_candidates' order:
-- exact, most literal characters, timeframe-specific). Patterns are matched against each symbol
-- once; the symbol list is read only when a LIKE policy exists, and with no policy at all both
-- look-ups are empty hashes.
WITH symbols AS MATERIALIZED (
  SELECT DISTINCT canonical_symbol FROM data_agg_state
), policy_best AS MATERIALIZED (
  SELECT DISTINCT ON (m.canonical_symbol, m.timeframe) m.canonical_symbol, m.timeframe, m.policy, m.stall_minutes,
         m.lag_bars, m.source_stale_minutes, m.min_bars_per_run,
         CASE WHEN m.match = 'exact' THEN 0 ELSE 1000 - length(replace(replace(m.pattern, '%', ''), '_', '')) END AS closeness
    FROM (SELECT p.pattern AS canonical_symbol, p.* FROM health_policies p WHERE p.match = 'exact'
          UNION ALL
          -- LATERAL keeps the patterns outside: with no pattern the symbol list is never read.
          SELECT y.canonical_symbol, p.* FROM health_policies p
           CROSS JOIN LATERAL (SELECT x.canonical_symbol FROM symbols x WHERE x.canonical_symbol LIKE p.pattern) y
           WHERE p.match = 'like') m
   ORDER BY m.canonical_symbol, m.timeframe, closeness, m.policy
)
SELECT s.canonical_symbol,
       s.timeframe,
       s.enabled,
       s.last_agg_bar_ts_utc AS cursor_utc,
       f.max_ts AS source_max_ts_utc,
       CASE WHEN s.last_agg_bar_ts_utc IS NULL THEN 'NULL'
            WHEN f.max_ts IS NULL OR s.last_agg_bar_ts_utc + t.step > f.max_ts + interval '1 minute' THEN 'AHEAD'
            ELSE 'OK' END AS cursor_status,
       f.max_ts - s.last_agg_bar_ts_utc AS gap,
       round(date_part('epoch', f.max_ts - s.last_agg_bar_ts_utc) / 6) / 10 AS gap_minutes,
       CASE WHEN s.last_agg_bar_ts_utc IS NOT NULL AND f.max_ts IS NOT NULL  -- greatest() would turn NULL into 0
            THEN greatest(0, floor(date_part('epoch', agg_last_complete_window_start(t.step, now(), 0, f.max_ts)
                                                      - s.last_agg_bar_ts_utc) / date_part('epoch', t.step)))::integer
       END AS bars_behind,
       round(date_part('epoch', now() - f.max_ts) / 6) / 10 AS source_age_minutes,
       s.last_attempt_utc,
       s.last_success_utc,
       round(date_part('epoch', now() - coalesce(s.last_success_utc, s.registered_at_utc)) / 6) / 10 AS minutes_since_success,
       s.last_error,
       s.last_error_utc,
       s.consecutive_failures,
       s.total_runs,
       s.total_bars_written,
       round(s.recent_bars_sum * 1000.0::float8 / nullif(cardinality(s.recent_bars), 0)) / 1000 AS bars_per_run,
       CASE WHEN ht.policy IS NOT NULL AND (ha.policy IS NULL OR ht.closeness <= ha.closeness) THEN ht.policy ELSE ha.policy END AS health_policy,
       CASE WHEN ht.policy IS NOT NULL AND (ha.policy IS NULL OR ht.closeness <= ha.closeness) THEN ht.stall_minutes ELSE ha.stall_minutes END AS policy_stall_minutes,
       CASE WHEN ht.policy IS NOT NULL AND (ha.policy IS NULL OR ht.closeness <= ha.closeness) THEN ht.lag_bars ELSE ha.lag_bars END AS policy_lag_bars,
       CASE WHEN ht.policy IS NOT NULL AND (ha.policy IS NULL OR ht.closeness <= ha.closeness) THEN ht.source_stale_minutes ELSE ha.source_stale_minutes END AS policy_source_stale_minutes,
       CASE WHEN ht.policy IS NOT NULL AND (ha.policy IS NULL OR ht.closeness <= ha.closeness) THEN ht.min_bars_per_run ELSE ha.min_bars_per_run END AS policy_min_bars_per_run
  FROM data_agg_state s
  JOIN agg_timeframes t ON t.timeframe = s.timeframe
  LEFT JOIN policy_best ha ON ha.canonical_symbol = s.canonical_symbol AND ha.timeframe IS NULL
  LEFT JOIN policy_best ht ON ht.canonical_symbol = s.canonical_symbol AND ht.timeframe = s.timeframe
  -- One index-only look-up per symbol: the planner memoizes it across the symbol's timeframes.
  LEFT JOIN LATERAL (
    SELECT b.ts_utc AS max_ts FROM bars_1m b
     WHERE b.canonical_symbol = s.canonical_symbol
     ORDER BY b.ts_utc DESC LIMIT 1
  ) f ON true;

-- The read-only dashboard role (db/roles/dashboard-readonly.sql) reads this view. CREATE OR
-- REPLACE keeps its grants; granting again here keeps them too when this file drops and
-- recreates the view (a change of its columns).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontier_dashboard') THEN
    GRANT SELECT ON v_aggregation_frontier_health TO frontier_dashboard;
  END IF;
END $$;
