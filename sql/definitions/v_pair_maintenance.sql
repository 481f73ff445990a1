-- The maintenance window each pair is in now (sql/018, docs/MAINTENANCE.md): one row per pair
-- inside an active window (started, not past ends_at, not ended early). A pair in several
-- windows gets the one that ends last. Patterns are matched once per symbol; with no active
-- window nothing else is read.
CREATE OR REPLACE VIEW v_pair_maintenance AS
WITH active AS MATERIALIZED (
  SELECT w.* FROM maintenance_windows w
   WHERE w.ended_at IS NULL AND w.ends_at > now() AND w.starts_at <= now()
), symbols AS MATERIALIZED (
  SELECT DISTINCT canonical_symbol FROM data_agg_state
), matched AS (
  SELECT a.pattern AS canonical_symbol, a.* FROM active a WHERE a.match = 'exact'
  UNION ALL
  SELECT y.canonical_symbol, a.* FROM active a
   CROSS JOIN LATERAL (SELECT x.canonical_symbol FROM symbols x WHERE x.canonical_symbol LIKE a.pattern) y
   WHERE a.match = 'like'
)
SELECT DISTINCT ON (d.canonical_symbol, d.timeframe) d.canonical_symbol, d.timeframe, m.id AS window_id,
       m.match, m.pattern, m.timeframe AS window_timeframe, m.starts_at, m.ends_at, m.reason, m.created_by
  FROM matched m
  JOIN data_agg_state d ON d.canonical_symbol = m.canonical_symbol AND (m.timeframe IS NULL OR d.timeframe = m.timeframe)
 ORDER BY d.canonical_symbol, d.timeframe, m.ends_at DESC, m.id;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontier_dashboard') THEN
    GRANT SELECT ON v_pair_maintenance TO frontier_dashboard;
  END IF;
END $$;
