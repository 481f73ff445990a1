-- 011: failing pairs are retried with capped exponential backoff instead of on every pass.
-- record_aggregation_failure (same four arguments as in 003) also sets next_retry_utc; the
-- worker does not claim a pair before it. Anything that changes what the pair would do (its
-- cursor moved by a bootstrap or reset, enabled toggled, a success) clears it, and so does
-- `npm run ops -- retry`. See docs/HISTORY.md, "Retry backoff".

ALTER TABLE data_agg_state ADD COLUMN IF NOT EXISTS next_retry_utc timestamptz;

-- The delay before retrying after the n-th consecutive failure: base · 2^(n−1), at most cap.
-- base and cap come from the session settings frontier.retry_base_seconds and
-- frontier.retry_cap_seconds (the worker sets them from RETRY_BACKOFF_*), else 30 s and 15 min.
CREATE FUNCTION agg_retry_delay(p_failures integer)
RETURNS interval LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_base double precision := coalesce(nullif(current_setting('frontier.retry_base_seconds', true), '')::double precision, 30);
  v_cap double precision := coalesce(nullif(current_setting('frontier.retry_cap_seconds', true), '')::double precision, 900);
BEGIN
  IF v_base <= 0 OR v_cap < v_base THEN
    RAISE EXCEPTION 'agg_retry_delay: frontier.retry_base_seconds (%) must be > 0 and frontier.retry_cap_seconds (%) >= it',
      v_base, v_cap USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_failures IS NULL OR p_failures < 1 THEN
    RAISE EXCEPTION 'agg_retry_delay: p_failures must be >= 1, got %', p_failures USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- least() before the power: 2^(n-1) of a pair failing for months would overflow
  RETURN make_interval(secs => least(v_cap, v_base * power(2, least(p_failures - 1, 40))));
END $$;

CREATE OR REPLACE FUNCTION record_aggregation_failure(
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
          jsonb_build_object('symbol', p_symbol, 'to_tf', p_to_tf, 'cursor_utc', v_cursor), v_error);
END $$;

CREATE FUNCTION agg_clear_retry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.next_retry_utc := NULL;
  RETURN NEW;
END $$;

-- The WHEN clause keeps the 30,000 updates of a pass that are not in backoff free of a call.
CREATE TRIGGER data_agg_state_clear_retry
  BEFORE UPDATE ON data_agg_state
  FOR EACH ROW
  WHEN (OLD.next_retry_utc IS NOT NULL AND NEW.next_retry_utc IS NOT DISTINCT FROM OLD.next_retry_utc
        AND (NEW.last_agg_bar_ts_utc IS DISTINCT FROM OLD.last_agg_bar_ts_utc
             OR NEW.enabled IS DISTINCT FROM OLD.enabled
             OR NEW.consecutive_failures = 0))
  EXECUTE FUNCTION agg_clear_retry();
