-- Called after a failed run was rolled back, in a new transaction: the pair's failure
-- bookkeeping, its retry backoff (agg_retry_delay) and one data_agg_runs row with ok = false.
-- The SQLSTATE and HINT the error was raised with are kept (last_error_sqlstate,
-- last_error_hint, and the run's result), so the dashboard shows the pipeline's own advice.
-- The SPEC's four-argument call works and records NULL for both.

-- The four-argument form this replaced: beside this one with defaults, a four-argument call
-- would be ambiguous. Only that old signature is dropped, never the current one.
DROP FUNCTION IF EXISTS record_aggregation_failure(text, text, text, timestamptz);

CREATE OR REPLACE FUNCTION record_aggregation_failure(
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
