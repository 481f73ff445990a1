-- Every symbol that has a calendar, with the calendar's state now(): exact names as assigned,
-- and the registered symbols (data_agg_state) a LIKE pattern matches. A symbol missing here is
-- always open. Each calendar's state is computed once (the MATERIALIZED CTE), not per symbol;
-- the symbol list is read only when a LIKE pattern exists. 30,000 pairs: docs/SESSIONS.md.
CREATE OR REPLACE VIEW v_symbol_market_session AS
WITH symbols AS MATERIALIZED (
  SELECT DISTINCT canonical_symbol COLLATE "C" AS canonical_symbol FROM data_agg_state
), patterns AS MATERIALIZED (
  SELECT a.pattern, a.calendar FROM market_calendar_assignments a WHERE a.match = 'like'
), candidates AS (
  SELECT a.pattern AS canonical_symbol, a.calendar, a.match, a.pattern, 0 AS rank, 0 AS literal
    FROM market_calendar_assignments a WHERE a.match = 'exact'
  UNION ALL
  -- LATERAL keeps the patterns outside: with no pattern the symbol list is never read.
  SELECT s.canonical_symbol, p.calendar, 'like', p.pattern, 1, length(replace(replace(p.pattern, '%', ''), '_', ''))
    FROM patterns p
    CROSS JOIN LATERAL (SELECT y.canonical_symbol FROM symbols y WHERE y.canonical_symbol LIKE p.pattern) s
), chosen AS MATERIALIZED (
  SELECT DISTINCT ON (canonical_symbol) canonical_symbol, calendar, match, pattern
    FROM candidates
   ORDER BY canonical_symbol, rank, literal DESC, pattern
), states AS MATERIALIZED (
  SELECT c.calendar, c.time_zone, st.*
    FROM market_calendars c
    CROSS JOIN LATERAL market_calendar_state(c.calendar, now()) st
   WHERE c.calendar IN (SELECT calendar FROM chosen)
)
SELECT ch.canonical_symbol, ch.calendar, st.time_zone, ch.match AS matched_by, ch.pattern,
       st.is_open, st.opened_at_utc, st.closes_at_utc, st.next_opens_at_utc, st.last_closed_at_utc,
       round(date_part('epoch', now() - st.opened_at_utc) / 6) / 10 AS minutes_since_open,
       round(date_part('epoch', st.closes_at_utc - now()) / 6) / 10 AS minutes_until_close,
       round(date_part('epoch', st.next_opens_at_utc - now()) / 6) / 10 AS minutes_until_open,
       round(date_part('epoch', now() - st.last_closed_at_utc) / 6) / 10 AS minutes_since_close
  FROM chosen ch JOIN states st ON st.calendar = ch.calendar;

-- The read-only dashboard role (db/roles/dashboard-readonly.sql) reads this view. CREATE OR
-- REPLACE keeps its grants; granting again here keeps them too when this file drops and
-- recreates the view (a change of its columns).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontier_dashboard') THEN
    GRANT SELECT ON v_symbol_market_session TO frontier_dashboard;
  END IF;
END $$;
