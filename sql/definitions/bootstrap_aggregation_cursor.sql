-- Registers the pair if needed and sets a NULL cursor to the window before the earliest
-- source bar. A cursor that is already set is left alone. Raises when there is no source.
CREATE OR REPLACE FUNCTION bootstrap_aggregation_cursor(p_symbol text, p_to_tf text)
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
