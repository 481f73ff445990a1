-- Failing pairs are retried with capped exponential backoff instead of on every pass:
-- record_aggregation_failure sets data_agg_state.next_retry_utc, the worker does not claim a
-- pair before it. See docs/HISTORY.md, "Retry backoff".

-- The delay before retrying after the n-th consecutive failure: base · 2^(n−1), at most cap.
-- base and cap come from the session settings frontier.retry_base_seconds and
-- frontier.retry_cap_seconds (the worker sets them from RETRY_BACKOFF_*), else 30 s and 15 min.
CREATE OR REPLACE FUNCTION agg_retry_delay(p_failures integer)
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

-- The trigger data_agg_state_clear_retry (sql/011_retry_backoff.sql, with the table) calls it
-- when something changes what the pair would do: its cursor moved by a bootstrap or reset,
-- enabled toggled, or a success.
CREATE OR REPLACE FUNCTION agg_clear_retry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.next_retry_utc := NULL;
  RETURN NEW;
END $$;
