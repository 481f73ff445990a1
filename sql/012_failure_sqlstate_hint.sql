-- 012: a failed run keeps the SQLSTATE and the HINT its error was raised with, so that the
-- dashboard shows the pipeline's own advice instead of re-deriving it from message prefixes.
--   record_aggregation_failure grows two optional arguments; the SPEC's four-argument call
--   works as before (and records NULL for both). The four-argument version is dropped first:
--   beside a six-argument one with defaults, a four-argument call would be ambiguous.
--   Two raises that had no HINT get one (cursor moved backwards, window contract broken).

ALTER TABLE data_agg_state
  ADD COLUMN IF NOT EXISTS last_error_sqlstate text,
  ADD COLUMN IF NOT EXISTS last_error_hint text;

DROP FUNCTION record_aggregation_failure(text, text, text, timestamptz);

CREATE FUNCTION record_aggregation_failure(
  p_symbol text, p_to_tf text, p_error text, p_started_at timestamptz,
  p_sqlstate text DEFAULT NULL, p_hint text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_error text := left(coalesce(nullif(btrim(p_error), ''), '(no error message)'), 8000);
  v_hint text := left(nullif(btrim(p_hint), ''), 2000);
  v_started timestamptz := coalesce(p_started_at, now());
  v_cursor timestamptz;
BEGIN
  IF p_sqlstate IS NOT NULL AND p_sqlstate !~ '^[0-9A-Z]{5}$' THEN
    RAISE EXCEPTION 'record_aggregation_failure: p_sqlstate must be a five-character SQLSTATE such as 22000, got %',
      quote_literal(left(p_sqlstate, 40))
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE data_agg_state
     SET last_attempt_utc = v_started,
         last_error = v_error,
         last_error_utc = clock_timestamp(),
         last_error_sqlstate = p_sqlstate,
         last_error_hint = v_hint,
         consecutive_failures = consecutive_failures + 1,
         total_runs = total_runs + 1,
         recent_bars = agg_push_recent(recent_bars, 0),
         recent_bars_sum = (SELECT coalesce(sum(x), 0) FROM unnest(agg_push_recent(recent_bars, 0)) x),
         next_retry_utc = clock_timestamp() + agg_retry_delay(consecutive_failures + 1)
   WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf
  RETURNING last_agg_bar_ts_utc INTO v_cursor;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'record_aggregation_failure: pair %/% is not registered (p_symbol, p_to_tf)', p_symbol, p_to_tf
      USING ERRCODE = 'no_data_found';
  END IF;

  INSERT INTO data_agg_runs (canonical_symbol, timeframe, started_at_utc, finished_at_utc, ok, result, error)
  VALUES (p_symbol, p_to_tf, v_started, clock_timestamp(), false,
          jsonb_build_object('symbol', p_symbol, 'to_tf', p_to_tf, 'cursor_utc', v_cursor)
            || jsonb_strip_nulls(jsonb_build_object('sqlstate', p_sqlstate, 'hint', v_hint)),
          v_error);
END $$;

CREATE OR REPLACE FUNCTION agg_assert_cursor_forward(
  p_symbol text, p_to_tf text, p_start_cursor_utc timestamptz, p_end_cursor_utc timestamptz)
RETURNS void LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF p_end_cursor_utc < p_start_cursor_utc THEN
    RAISE EXCEPTION 'Cursor moved backwards: % < % for %/%',
      p_end_cursor_utc, p_start_cursor_utc, p_symbol, p_to_tf
      USING ERRCODE = 'internal_error',
            HINT = 'a logic bug: disable the pair (UPDATE data_agg_state SET enabled = false …) and report it';
  END IF;
END $$;

CREATE OR REPLACE FUNCTION agg_raise_window_contract(
  p_symbol text, p_to_tf text, p_from timestamptz, p_to timestamptz, p_response jsonb)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_hint constant text := 'the window function broke its contract; check the migrations applied last';
BEGIN
  IF p_response->'source_count' IS NULL OR jsonb_typeof(p_response->'source_count') <> 'number'
     OR (p_response->>'source_count')::numeric < 0 THEN
    RAISE EXCEPTION 'aggregate window returned no source_count for %/% window [%,%): response=%',
      p_symbol, p_to_tf, coalesce((p_response->>'window_start')::timestamptz, p_from),
      coalesce((p_response->>'window_end')::timestamptz, p_to), p_response
      USING ERRCODE = 'data_exception', HINT = v_hint;
  END IF;
  RAISE EXCEPTION 'aggregate window returned a window outside [%,%) for %/%: response=%',
    p_from, p_to, p_symbol, p_to_tf, p_response
    USING ERRCODE = 'data_exception', HINT = v_hint;
END $$;
