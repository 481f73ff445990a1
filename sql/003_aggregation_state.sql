-- 003: registering pairs, bootstrapping their cursor, recording failed runs.

-- Registers the pair if needed and sets a NULL cursor to the window before the earliest
-- source bar. A cursor that is already set is left alone. Raises when there is no source.
CREATE FUNCTION bootstrap_aggregation_cursor(p_symbol text, p_to_tf text)
RETURNS timestamptz LANGUAGE plpgsql AS $$
DECLARE
  v_step interval := agg_timeframe_step(p_to_tf, 'bootstrap_aggregation_cursor');
  v_first timestamptz;
  v_cursor timestamptz;
BEGIN
  IF p_symbol IS NULL OR btrim(p_symbol) = '' THEN
    RAISE EXCEPTION 'bootstrap_aggregation_cursor: p_symbol must be a non-empty symbol'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT min(ts_utc) INTO v_first FROM bars_1m WHERE canonical_symbol = p_symbol;
  IF v_first IS NULL THEN
    RAISE EXCEPTION 'bootstrap_aggregation_cursor: no source bars in bars_1m for % (p_symbol)', p_symbol
      USING ERRCODE = 'no_data_found';
  END IF;

  INSERT INTO data_agg_state (canonical_symbol, timeframe)
  VALUES (p_symbol, p_to_tf)
  ON CONFLICT (canonical_symbol, timeframe) DO NOTHING;

  UPDATE data_agg_state
     SET last_agg_bar_ts_utc = agg_window_start(v_step, v_first) - v_step
   WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf AND last_agg_bar_ts_utc IS NULL;

  SELECT last_agg_bar_ts_utc INTO v_cursor
    FROM data_agg_state WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf;
  RETURN v_cursor;
END $$;

-- Hardening 3 as a function of its own so that every cursor write goes through it.
CREATE FUNCTION agg_assert_cursor_forward(
  p_symbol text, p_to_tf text, p_start_cursor_utc timestamptz, p_end_cursor_utc timestamptz)
RETURNS void LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF p_end_cursor_utc < p_start_cursor_utc THEN
    RAISE EXCEPTION 'Cursor moved backwards: % < % for %/%',
      p_end_cursor_utc, p_start_cursor_utc, p_symbol, p_to_tf
      USING ERRCODE = 'internal_error';
  END IF;
END $$;

-- Keeps the last 20 entries of the recent-runs ring and its sum.
CREATE FUNCTION agg_push_recent(p_ring integer[], p_value integer)
RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (p_ring || p_value)[greatest(1, cardinality(p_ring) + 1 - 19):];

-- Called after a failed run was rolled back, in a new transaction.
CREATE FUNCTION record_aggregation_failure(
  p_symbol text, p_to_tf text, p_error text, p_started_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_error text := left(coalesce(nullif(btrim(p_error), ''), '(no error message)'), 8000);
  v_started timestamptz := coalesce(p_started_at, now());
  v_cursor timestamptz;
BEGIN
  UPDATE data_agg_state
     SET last_attempt_utc = v_started,
         last_error = v_error,
         last_error_utc = clock_timestamp(),
         consecutive_failures = consecutive_failures + 1,
         total_runs = total_runs + 1,
         recent_bars = agg_push_recent(recent_bars, 0),
         recent_bars_sum = (SELECT coalesce(sum(x), 0) FROM unnest(agg_push_recent(recent_bars, 0)) x)
   WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf
  RETURNING last_agg_bar_ts_utc INTO v_cursor;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'record_aggregation_failure: pair %/% is not registered (p_symbol, p_to_tf)', p_symbol, p_to_tf
      USING ERRCODE = 'no_data_found';
  END IF;

  INSERT INTO data_agg_runs (canonical_symbol, timeframe, started_at_utc, finished_at_utc, ok, result, error)
  VALUES (p_symbol, p_to_tf, v_started, clock_timestamp(), false,
          jsonb_build_object('symbol', p_symbol, 'to_tf', p_to_tf, 'cursor_utc', v_cursor), v_error);
END $$;
