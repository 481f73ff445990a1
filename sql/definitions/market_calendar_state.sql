-- Market sessions: a calendar's state at an instant, and which calendar a symbol follows
-- (docs/SESSIONS.md). The calendar tables are in sql/009_market_sessions.sql.

-- The CHECK on market_calendars.time_zone calls it: it must keep accepting every zone in use.
CREATE OR REPLACE FUNCTION market_time_zone_is_known(p_time_zone text)
RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = p_time_zone)
$$;

-- A calendar's state at an instant. Sessions are laid out from 15 days before to 35 days
-- after p_at (wide enough that a calendar with any weekly break has its current and
-- previous sessions inside), merged (adjacent sessions join) and cut by the closures.
--   opened_at_utc: start of the session holding p_at; NULL when closed or open for more
--     than 7 days (24/7: no meaningful start). closes_at_utc: its end; NULL when closed or
--     not within 28 days. next_opens_at_utc: the next start after p_at (NULL when none
--     within 35 days). last_closed_at_utc: the latest end at or before p_at (within 15 days).
CREATE OR REPLACE FUNCTION market_calendar_state(p_calendar text, p_at timestamptz)
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

-- Which calendar a symbol follows (exact beats pattern, as v_symbol_market_session), and the
-- calendar's state at p_at. No calendar: is_open true and the rest NULL.
CREATE OR REPLACE FUNCTION market_session_at(p_symbol text, p_at timestamptz)
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
   WHERE agg_symbol_pattern_matches(a.match, a.pattern, p_symbol)
   ORDER BY agg_symbol_pattern_rank(a.match, a.pattern), a.pattern
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
