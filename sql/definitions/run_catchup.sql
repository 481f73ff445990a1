-- Locks the pair's state row and catches it up from its stored cursor as of now().
CREATE OR REPLACE FUNCTION run_catchup(
  p_symbol text, p_to_tf text, p_max_windows integer DEFAULT 1000, p_grace_minutes integer DEFAULT 1)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_cursor timestamptz;
  v_enabled boolean;
BEGIN
  SELECT last_agg_bar_ts_utc, enabled INTO v_cursor, v_enabled
    FROM data_agg_state WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf
     FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'run_catchup: pair %/% is not registered in data_agg_state', p_symbol, p_to_tf
      USING ERRCODE = 'no_data_found',
            HINT = format('SELECT bootstrap_aggregation_cursor(%L, %L);', p_symbol, p_to_tf);
  END IF;
  IF NOT v_enabled THEN
    RAISE EXCEPTION 'run_catchup: pair %/% is disabled', p_symbol, p_to_tf
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  RETURN catchup_aggregation_range(p_symbol, p_to_tf, v_cursor, p_max_windows, now(), p_grace_minutes, true);
END $$;
