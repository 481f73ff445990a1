-- The window arithmetic: alignment, the completeness rule and a timeframe's step.

-- Start of the window holding p_ts. Windows are aligned to 2000-01-01 00:00 UTC.
CREATE OR REPLACE FUNCTION agg_window_start(p_step interval, p_ts timestamptz)
RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN date_bin(p_step, p_ts, timestamptz '2000-01-01 00:00:00+00');

-- Start of the newest complete window. A window [ws, we) is complete when
-- we + grace <= now and the source frontier F >= we - 1 minute.
-- The one place this rule is written: catch-up, reset and the view all call it.
-- STABLE with a plain SELECT body so the planner inlines it (timestamptz ± interval is
-- stable; an IMMUTABLE label would block inlining and cost ~5 µs a row in the view).
CREATE OR REPLACE FUNCTION agg_last_complete_window_start(
  p_step interval, p_now timestamptz, p_grace_minutes integer, p_frontier timestamptz)
RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT date_bin(p_step,
                  least(p_now - p_grace_minutes * interval '1 minute', p_frontier + interval '1 minute'),
                  timestamptz '2000-01-01 00:00:00+00') - p_step
$$;

-- The step of a timeframe; raises naming the argument when it is unknown.
CREATE OR REPLACE FUNCTION agg_timeframe_step(p_to_tf text, p_caller text)
RETURNS interval LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_step interval;
BEGIN
  SELECT step INTO v_step FROM agg_timeframes WHERE timeframe = p_to_tf;
  IF v_step IS NULL THEN
    RAISE EXCEPTION '%: unknown timeframe p_to_tf=% (known: %)', p_caller, coalesce(quote_literal(p_to_tf), 'NULL'),
      (SELECT string_agg(timeframe, ', ' ORDER BY step) FROM agg_timeframes)
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN v_step;
END $$;
