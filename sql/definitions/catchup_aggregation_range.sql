-- The hardened catch-up. Only complete windows are written or passed by the cursor.
--
-- Set-based: each loop turn aggregates a chunk of up to p_max_windows windows with one
-- INSERT ... SELECT (aggregate_bar_windows), and then jumps over any run of empty windows
-- with one index probe. Every window result is checked (hardening 2) inside that statement.
--
-- A run that finds nothing to do (the cursor does not move) updates the state row but
-- writes no data_agg_runs row: with 30,000 pairs polled every minute those rows would be
-- 43 million a day of "nothing happened". See docs/DESIGN.md.

-- Hardening 2's raise: a window result without a valid source_count, or outside the chunk.
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

-- Hardening 3 as a function of its own so that every cursor write goes through it.
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

-- Keeps the last 20 entries of the recent-runs ring (data_agg_state.recent_bars, the view's
-- bars_per_run); record_aggregation_failure pushes a 0 onto it.
CREATE OR REPLACE FUNCTION agg_push_recent(p_ring integer[], p_value integer)
RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (p_ring || p_value)[greatest(1, cardinality(p_ring) + 1 - 19):];

CREATE OR REPLACE FUNCTION catchup_aggregation_range(
  p_symbol text, p_to_tf text, p_start_cursor_utc timestamptz, p_max_windows integer,
  p_now timestamptz, p_grace_minutes integer, p_persist boolean)
RETURNS jsonb LANGUAGE plpgsql SET timezone = 'UTC' AS $$
DECLARE
  v_t0 timestamptz := clock_timestamp();
  v_step interval;
  v_stored timestamptz;
  v_max_source_ts timestamptz;
  v_target timestamptz;        -- start of the newest complete window
  v_cursor timestamptz := p_start_cursor_utc;
  v_from timestamptz;
  v_to timestamptz;
  v_next timestamptz;
  v_remaining integer := p_max_windows;
  v_bars integer := 0;
  v_rows bigint := 0;
  v_chunk_bars integer;
  v_chunk_rows bigint;
  v_stop text;
  v_windows integer;
  v_result jsonb;
BEGIN
  IF p_symbol IS NULL OR btrim(p_symbol) = '' THEN
    RAISE EXCEPTION 'catchup_aggregation_range: p_symbol must be a non-empty symbol'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_to_tf IS NULL THEN
    RAISE EXCEPTION 'catchup_aggregation_range: p_to_tf must not be NULL'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- Hardening 1
  IF p_start_cursor_utc IS NULL THEN
    RAISE EXCEPTION 'catchup_aggregation_range: start cursor is NULL for %/%', p_symbol, p_to_tf
      USING ERRCODE = 'null_value_not_allowed',
            HINT = format('bootstrap it: SELECT bootstrap_aggregation_cursor(%L, %L);', p_symbol, p_to_tf);
  END IF;
  v_step := agg_timeframe_step(p_to_tf, 'catchup_aggregation_range');
  IF p_max_windows IS NULL OR p_max_windows < 1 THEN
    RAISE EXCEPTION 'catchup_aggregation_range: p_max_windows must be >= 1, got %', coalesce(p_max_windows::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_now IS NULL OR NOT isfinite(p_now) THEN
    RAISE EXCEPTION 'catchup_aggregation_range: p_now must be a finite timestamp, got %', coalesce(p_now::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_grace_minutes IS NULL OR p_grace_minutes < 0 THEN
    RAISE EXCEPTION 'catchup_aggregation_range: p_grace_minutes must be >= 0, got %', coalesce(p_grace_minutes::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_persist IS NULL THEN
    RAISE EXCEPTION 'catchup_aggregation_range: p_persist must be true or false, not NULL'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT isfinite(p_start_cursor_utc) OR agg_window_start(v_step, p_start_cursor_utc) <> p_start_cursor_utc THEN
    RAISE EXCEPTION 'catchup_aggregation_range: p_start_cursor_utc % is not aligned to the % window grid (nearest: %)',
      p_start_cursor_utc, p_to_tf, CASE WHEN isfinite(p_start_cursor_utc) THEN agg_window_start(v_step, p_start_cursor_utc) END
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  IF p_persist THEN
    SELECT last_agg_bar_ts_utc INTO v_stored
      FROM data_agg_state WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf
       FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'catchup_aggregation_range: pair %/% is not registered in data_agg_state', p_symbol, p_to_tf
        USING ERRCODE = 'no_data_found',
              HINT = format('SELECT bootstrap_aggregation_cursor(%L, %L);', p_symbol, p_to_tf);
    END IF;
    IF v_stored IS DISTINCT FROM p_start_cursor_utc THEN
      RAISE EXCEPTION 'catchup_aggregation_range: stale start cursor for %/%: p_start_cursor_utc=% but the stored cursor is % (another run moved it)',
        p_symbol, p_to_tf, p_start_cursor_utc, coalesce(v_stored::text, 'NULL')
        USING ERRCODE = 'serialization_failure';
    END IF;
  END IF;

  SELECT max(ts_utc) INTO v_max_source_ts FROM bars_1m WHERE canonical_symbol = p_symbol;

  IF v_max_source_ts IS NULL THEN
    v_stop := 'no_source';
  ELSIF p_start_cursor_utc + v_step > v_max_source_ts + interval '1 minute' THEN
    RAISE EXCEPTION 'catchup_aggregation_range: cursor % of %/% is AHEAD of the source frontier %',
      p_start_cursor_utc, p_symbol, p_to_tf, v_max_source_ts
      USING ERRCODE = 'data_exception',
            HINT = 'inspect with SELECT * FROM reset_aggregation_cursors(true); then run it with false';
  ELSE
    v_target := agg_last_complete_window_start(v_step, p_now, p_grace_minutes, v_max_source_ts);
    v_from := p_start_cursor_utc + v_step;
    LOOP
      EXIT WHEN v_from > v_target;
      IF v_remaining = 0 THEN
        v_stop := 'max_windows';
        EXIT;
      END IF;
      v_to := least(v_target + v_step, v_from + v_remaining * v_step);

      WITH checked AS (
        SELECT w.*,
               CASE WHEN w.source_count IS NULL OR w.source_count < 0
                      OR w.window_start IS NULL OR w.window_start < v_from OR w.window_start >= v_to
                      OR w.window_start <> agg_window_start(v_step, w.window_start)
                    THEN agg_raise_window_contract(p_symbol, p_to_tf, v_from, v_to, to_jsonb(w))
                    ELSE 0 END AS violation
        FROM aggregate_bar_windows(p_symbol, p_to_tf, v_from, v_to) w
      ), written AS (
        INSERT INTO bars_agg AS a (canonical_symbol, timeframe, ts_utc, open, high, low, close, volume, source_count)
        SELECT p_symbol, p_to_tf, c.window_start, c.open, c.high, c.low, c.close, c.volume, c.source_count
          FROM checked c
         WHERE p_persist AND c.source_count > 0
        ON CONFLICT (canonical_symbol, timeframe, ts_utc) DO UPDATE
          SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
              volume = EXCLUDED.volume, source_count = EXCLUDED.source_count,
              aggregated_at_utc = EXCLUDED.aggregated_at_utc
        RETURNING 1
      )
      SELECT count(*) FILTER (WHERE c.source_count > 0), coalesce(sum(c.source_count), 0)
        INTO v_chunk_bars, v_chunk_rows
        FROM checked c
       WHERE c.violation = 0;

      v_bars := v_bars + v_chunk_bars;
      v_rows := v_rows + v_chunk_rows;
      v_remaining := v_remaining - v_chunk_bars;
      v_cursor := v_to - v_step;

      -- Jump over empty windows: the next source bar, if any, before the target's end.
      SELECT min(ts_utc) INTO v_next
        FROM bars_1m
       WHERE canonical_symbol = p_symbol AND ts_utc >= v_to AND ts_utc < v_target + v_step;
      IF v_next IS NULL THEN
        v_cursor := v_target;
        EXIT;
      END IF;
      v_from := agg_window_start(v_step, v_next);
      v_cursor := v_from - v_step;
    END LOOP;

    IF v_stop IS NULL THEN
      v_stop := CASE WHEN v_target + 2 * v_step + make_interval(mins => p_grace_minutes) > p_now
                     THEN 'window_open' ELSE 'source_frontier' END;
    END IF;
  END IF;

  -- Hardening 3, and the completeness rule itself as an assertion.
  PERFORM agg_assert_cursor_forward(p_symbol, p_to_tf, p_start_cursor_utc, v_cursor);
  IF v_cursor > p_start_cursor_utc AND v_cursor > v_target THEN
    RAISE EXCEPTION 'catchup_aggregation_range: cursor % would pass the last complete window % for %/%',
      v_cursor, v_target, p_symbol, p_to_tf USING ERRCODE = 'internal_error';
  END IF;

  v_windows := (extract(epoch FROM v_cursor - p_start_cursor_utc) / extract(epoch FROM v_step))::integer;
  -- Hardening 4: max_source_ts; bars_behind is what is left for the next run.
  v_result := jsonb_build_object(
    'symbol', p_symbol,
    'to_tf', p_to_tf,
    'start_cursor_utc', p_start_cursor_utc,
    'cursor_utc', v_cursor,
    'windows_processed', v_windows,
    'bars_written', v_bars,
    'source_rows', v_rows,
    'max_source_ts', v_max_source_ts,
    'stop_reason', v_stop,
    'persisted', p_persist,
    'bars_behind', CASE WHEN v_target IS NOT NULL
                        THEN greatest(0, (extract(epoch FROM v_target - v_cursor) / extract(epoch FROM v_step))::integer) END,
    'now_utc', p_now,
    'duration_ms', round(extract(epoch FROM clock_timestamp() - v_t0) * 1000, 3));

  IF p_persist THEN
    IF v_windows > 0 THEN
      UPDATE data_agg_state
         SET last_agg_bar_ts_utc = v_cursor,
             last_attempt_utc = v_t0, last_success_utc = v_t0,
             consecutive_failures = 0,
             total_runs = total_runs + 1,
             total_bars_written = total_bars_written + v_bars,
             recent_bars = agg_push_recent(recent_bars, v_bars),
             recent_bars_sum = (SELECT coalesce(sum(x), 0) FROM unnest(agg_push_recent(recent_bars, v_bars)) x),
             last_result = v_result
       WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf;
      INSERT INTO data_agg_runs (canonical_symbol, timeframe, started_at_utc, finished_at_utc, ok, result)
      VALUES (p_symbol, p_to_tf, v_t0, clock_timestamp(), true, v_result);
    ELSE
      UPDATE data_agg_state
         SET last_attempt_utc = v_t0, last_success_utc = v_t0,
             consecutive_failures = 0,
             total_runs = total_runs + 1,
             last_result = v_result
       WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf;
    END IF;
  END IF;
  RETURN v_result;
END $$;
