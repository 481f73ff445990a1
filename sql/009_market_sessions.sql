-- 009: market sessions. Operators say when each symbol's market is open; outside its session
-- a silent feed is CLOSED on the dashboard instead of SOURCE_STALE (docs/SESSIONS.md).
--
-- Calendars live in the database so the SQL, the worker and every dashboard process agree.
-- This migration creates empty tables only: ready-made calendars are installed on request
-- (npm run ops -- calendar install …), never forced onto a database. A symbol with no
-- calendar is always open, as before.
--
-- Weekly hours are local wall-clock times in the calendar's IANA zone, so 09:30 New York is
-- 14:30 UTC in winter and 13:30 UTC in summer. A local time that does not exist on the day
-- clocks go forward (02:30) is read as PostgreSQL reads it: one hour later.

CREATE FUNCTION market_time_zone_is_known(p_time_zone text)
RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = p_time_zone)
$$;

CREATE TABLE market_calendars (
  calendar text COLLATE "C" PRIMARY KEY
    CONSTRAINT market_calendars_name_format CHECK (calendar ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  time_zone text NOT NULL
    CONSTRAINT market_calendars_time_zone_known CHECK (market_time_zone_is_known(time_zone)),
  description text NOT NULL DEFAULT '',
  created_at_utc timestamptz NOT NULL DEFAULT now()
);

-- One weekly session: from (open_dow, open_time) to the next (close_dow, close_time) after
-- it, so Sun 17:00 → Fri 17:00 is one five-day session and Mon 18:00 → Tue 17:00 crosses
-- midnight. The same day and time on both ends means a whole week (24/7). dow: 0 = Sunday.
CREATE TABLE market_calendar_sessions (
  calendar text COLLATE "C" NOT NULL REFERENCES market_calendars ON UPDATE CASCADE ON DELETE CASCADE,
  open_dow smallint NOT NULL CONSTRAINT market_calendar_sessions_open_dow CHECK (open_dow BETWEEN 0 AND 6),
  open_time time NOT NULL,
  close_dow smallint NOT NULL CONSTRAINT market_calendar_sessions_close_dow CHECK (close_dow BETWEEN 0 AND 6),
  close_time time NOT NULL,
  PRIMARY KEY (calendar, open_dow, open_time)
);

-- A closed date (a holiday) closes the calendar's local day [00:00, 24:00); with early_close
-- set, the day trades until then only ([early_close, 24:00) is closed).
CREATE TABLE market_calendar_closures (
  calendar text COLLATE "C" NOT NULL REFERENCES market_calendars ON UPDATE CASCADE ON DELETE CASCADE,
  closed_on date NOT NULL,
  early_close time,
  note text NOT NULL DEFAULT '',
  PRIMARY KEY (calendar, closed_on)
);

-- Which symbols follow which calendar. match = 'exact' names one symbol; 'like' is a LIKE
-- pattern ('ES%'). An exact name beats any pattern; among patterns the most specific wins
-- (most characters that are not % or _), then the pattern first in byte order.
-- No ON DELETE CASCADE: a calendar in use cannot be dropped by accident.
CREATE TABLE market_calendar_assignments (
  match text NOT NULL CONSTRAINT market_calendar_assignments_match CHECK (match IN ('exact', 'like')),
  pattern text COLLATE "C" NOT NULL CONSTRAINT market_calendar_assignments_pattern CHECK (pattern <> ''),
  calendar text COLLATE "C" NOT NULL REFERENCES market_calendars ON UPDATE CASCADE,
  assigned_at_utc timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (match, pattern)
);
CREATE INDEX market_calendar_assignments_calendar ON market_calendar_assignments (calendar);

-- A calendar's state at an instant. Sessions are laid out from 15 days before to 35 days
-- after p_at (wide enough that a calendar with any weekly break has its current and
-- previous sessions inside), merged (adjacent sessions join) and cut by the closures.
--   opened_at_utc: start of the session holding p_at; NULL when closed or open for more
--     than 7 days (24/7: no meaningful start). closes_at_utc: its end; NULL when closed or
--     not within 28 days. next_opens_at_utc: the next start after p_at (NULL when none
--     within 35 days). last_closed_at_utc: the latest end at or before p_at (within 15 days).
CREATE FUNCTION market_calendar_state(p_calendar text, p_at timestamptz)
RETURNS TABLE (is_open boolean, opened_at_utc timestamptz, closes_at_utc timestamptz,
               next_opens_at_utc timestamptz, last_closed_at_utc timestamptz)
LANGUAGE plpgsql STABLE ROWS 1
-- Runs with its owner's rights so that a read-only role needs SELECT on the view only; it
-- reads nothing but the calendar tables, and takes its arguments as values.
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  v_zone text;
  v_day date;
  v_open tstzmultirange;
  v_current tstzrange;
BEGIN
  IF p_at IS NULL THEN
    RAISE EXCEPTION 'market_calendar_state: p_at must not be NULL' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT c.time_zone INTO v_zone FROM market_calendars c WHERE c.calendar = p_calendar;
  IF v_zone IS NULL THEN
    RAISE EXCEPTION 'market_calendar_state: unknown calendar p_calendar=% (known: %)',
      coalesce(quote_literal(p_calendar), 'NULL'),
      coalesce((SELECT string_agg(c.calendar, ', ' ORDER BY c.calendar) FROM market_calendars c), 'none')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  v_day := (p_at AT TIME ZONE v_zone)::date;

  SELECT coalesce(range_agg(tstzrange(
           (d.day + s.open_time) AT TIME ZONE v_zone,
           (d.day + s.length_days + s.close_time) AT TIME ZONE v_zone)), '{}'::tstzmultirange)
       - coalesce((SELECT range_agg(tstzrange(
                     (c.closed_on + coalesce(c.early_close, time '00:00')) AT TIME ZONE v_zone,
                     (c.closed_on + 1)::timestamp AT TIME ZONE v_zone))
                     FROM market_calendar_closures c
                    WHERE c.calendar = p_calendar AND c.closed_on BETWEEN v_day - 23 AND v_day + 35
                      AND coalesce(c.early_close, time '00:00') < time '24:00'), '{}'::tstzmultirange)
    INTO v_open
    FROM (SELECT v_day + i AS day FROM generate_series(-15, 35) i) d
    JOIN (SELECT x.open_dow, x.open_time, x.close_time,
                 CASE WHEN (x.close_dow - x.open_dow + 7) % 7 = 0 AND x.close_time <= x.open_time THEN 7
                      ELSE (x.close_dow - x.open_dow + 7) % 7 END AS length_days
            FROM market_calendar_sessions x WHERE x.calendar = p_calendar) s
      ON s.open_dow = extract(dow FROM d.day);

  SELECT r INTO v_current FROM unnest(v_open) r WHERE r @> p_at;
  RETURN QUERY SELECT
    v_current IS NOT NULL,
    CASE WHEN lower(v_current) > p_at - interval '7 days' THEN lower(v_current) END,
    CASE WHEN upper(v_current) < p_at + interval '28 days' THEN upper(v_current) END,
    CASE WHEN v_current IS NULL THEN (SELECT min(lower(r)) FROM unnest(v_open) r WHERE lower(r) > p_at) END,
    (SELECT max(upper(r)) FROM unnest(v_open) r WHERE upper(r) <= p_at);
END $$;

-- Every symbol that has a calendar, with the calendar's state now(): exact names as assigned,
-- and the registered symbols (data_agg_state) a LIKE pattern matches. A symbol missing here is
-- always open. Each calendar's state is computed once (the MATERIALIZED CTE), not per symbol;
-- the symbol list is read only when a LIKE pattern exists. 30,000 pairs: docs/SESSIONS.md.
CREATE VIEW v_symbol_market_session AS
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

-- Which calendar a symbol follows (exact beats pattern, as the view), and the calendar's
-- state at p_at. No calendar: is_open true and the rest NULL.
CREATE FUNCTION market_session_at(p_symbol text, p_at timestamptz)
RETURNS TABLE (calendar text, time_zone text, matched_by text, pattern text, is_open boolean,
               opened_at_utc timestamptz, closes_at_utc timestamptz,
               next_opens_at_utc timestamptz, last_closed_at_utc timestamptz)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_assignment market_calendar_assignments;
BEGIN
  IF p_symbol IS NULL OR p_symbol = '' THEN
    RAISE EXCEPTION 'market_session_at: p_symbol must be a non-empty symbol' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_at IS NULL THEN
    RAISE EXCEPTION 'market_session_at: p_at must not be NULL' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT a.* INTO v_assignment FROM market_calendar_assignments a
   WHERE (a.match = 'exact' AND a.pattern = p_symbol COLLATE "C")
      OR (a.match = 'like' AND p_symbol COLLATE "C" LIKE a.pattern)
   ORDER BY a.match = 'like', length(replace(replace(a.pattern, '%', ''), '_', '')) DESC, a.pattern
   LIMIT 1;
  IF v_assignment.calendar IS NULL THEN
    RETURN QUERY SELECT NULL::text, NULL::text, NULL::text, NULL::text, true,
      NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz;
    RETURN;
  END IF;
  RETURN QUERY SELECT v_assignment.calendar::text, c.time_zone, v_assignment.match, v_assignment.pattern::text, st.is_open,
                      st.opened_at_utc, st.closes_at_utc, st.next_opens_at_utc, st.last_closed_at_utc
    FROM market_calendars c CROSS JOIN LATERAL market_calendar_state(c.calendar, p_at) st
   WHERE c.calendar = v_assignment.calendar;
END $$;

-- The read-only dashboard role (db/roles/dashboard-readonly.sql) reads the new view; the
-- calendar function reads the calendar tables with its owner's rights.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontier_dashboard') THEN
    GRANT SELECT ON v_symbol_market_session TO frontier_dashboard;
  END IF;
END $$;
