-- The cursor resets: reset_aggregation_cursors moves every NULL or AHEAD cursor (adopting a
-- database, where all of them have to move); reset_aggregation_cursor(symbol, timeframe,
-- dry_run) moves that pair's cursor, and only that pair's, to the same position, validates that
-- pair and raises the same messages (the pair page's remediation). Both take their rows from
-- one plan (agg_cursor_reset_plan) and their validation from one check
-- (agg_cursors_ahead_of_source), so the rule of "where a reset puts a cursor" and of "ahead of
-- its source" is written once. A reset keeps every bar: bars past a new cursor are upserted
-- again as the cursor passes them, and a bar whose window lost its source rows is the audit's
-- orphan, never deleted.

-- The pairs a reset would move and where to: every pair when p_symbol/p_to_tf are NULL.
--   NULL  -> the bootstrap position (the window before the earliest source bar);
--   AHEAD -> the last complete window before the source frontier F (cursor + step > F + 1 minute);
--   a set cursor on a symbol with no source at all -> NULL (it must be bootstrapped again).
CREATE OR REPLACE FUNCTION agg_cursor_reset_plan(p_symbol text DEFAULT NULL, p_to_tf text DEFAULT NULL)
RETURNS TABLE (canonical_symbol text, timeframe text, old_cursor_utc timestamptz,
               new_cursor_utc timestamptz, reason text)
LANGUAGE sql STABLE SET timezone = 'UTC' AS $$
  SELECT s.canonical_symbol, s.timeframe, s.last_agg_bar_ts_utc,
         CASE WHEN src.max_ts IS NULL THEN NULL
              WHEN s.last_agg_bar_ts_utc IS NULL THEN agg_window_start(t.step, src.min_ts) - t.step
              ELSE agg_last_complete_window_start(t.step, 'infinity', 0, src.max_ts) END,
         CASE WHEN s.last_agg_bar_ts_utc IS NULL THEN 'null_cursor'
              WHEN src.max_ts IS NULL THEN 'no_source'
              ELSE 'ahead_of_source' END
    FROM data_agg_state s
    JOIN agg_timeframes t USING (timeframe)
    CROSS JOIN LATERAL (
      SELECT (SELECT max(b.ts_utc) FROM bars_1m b WHERE b.canonical_symbol = s.canonical_symbol) AS max_ts,
             (SELECT min(b.ts_utc) FROM bars_1m b WHERE b.canonical_symbol = s.canonical_symbol) AS min_ts
    ) src
   WHERE (p_symbol IS NULL OR s.canonical_symbol = p_symbol)
     AND (p_to_tf IS NULL OR s.timeframe = p_to_tf)
     AND ((s.last_agg_bar_ts_utc IS NULL AND src.max_ts IS NOT NULL)
          OR (s.last_agg_bar_ts_utc IS NOT NULL
              AND (src.max_ts IS NULL OR s.last_agg_bar_ts_utc + t.step > src.max_ts + interval '1 minute')))
   ORDER BY 1, 2
$$;

-- True when a set cursor (of every pair, or of the one named) is still ahead of its source.
CREATE OR REPLACE FUNCTION agg_cursors_ahead_of_source(p_symbol text DEFAULT NULL, p_to_tf text DEFAULT NULL)
RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1
      FROM data_agg_state s
      JOIN agg_timeframes t USING (timeframe)
      CROSS JOIN LATERAL (SELECT max(b.ts_utc) AS max_ts FROM bars_1m b
                           WHERE b.canonical_symbol = s.canonical_symbol) m
     WHERE (p_symbol IS NULL OR s.canonical_symbol = p_symbol)
       AND (p_to_tf IS NULL OR s.timeframe = p_to_tf)
       AND s.last_agg_bar_ts_utc IS NOT NULL
       AND (m.max_ts IS NULL OR s.last_agg_bar_ts_utc + t.step > m.max_ts + interval '1 minute'))
$$;

-- Applies a plan held in pg_temp.agg_cursor_reset: the rows are locked and the plan was taken
-- after the lock. Bars past the new cursors are kept and re-aggregated as the cursors pass again.
CREATE OR REPLACE FUNCTION agg_apply_cursor_reset(p_dry_run boolean, p_symbol text, p_to_tf text)
RETURNS void LANGUAGE plpgsql SET timezone = 'UTC' AS $$
DECLARE
  v_reset integer;
  v_past bigint;
BEGIN
  SELECT coalesce(sum(n.bars), 0) INTO v_past
    FROM pg_temp.agg_cursor_reset r
    CROSS JOIN LATERAL (
      SELECT count(*) AS bars FROM bars_agg a
       WHERE a.canonical_symbol = r.canonical_symbol AND a.timeframe = r.timeframe
         AND (r.new_cursor_utc IS NULL OR a.ts_utc > r.new_cursor_utc)) n;
  SELECT count(*) INTO v_reset FROM pg_temp.agg_cursor_reset;

  IF p_dry_run THEN
    RAISE NOTICE 'Dry run: % cursor(s) would be reset; nothing was written', v_reset;
    RAISE NOTICE 'Dry run: % bar(s) in bars_agg lie past the new cursors; they would be kept and re-aggregated as the cursors pass again', v_past;
    RETURN;
  END IF;

  UPDATE data_agg_state s
     SET last_agg_bar_ts_utc = r.new_cursor_utc
    FROM pg_temp.agg_cursor_reset r
   WHERE s.canonical_symbol = r.canonical_symbol AND s.timeframe = r.timeframe;
  RAISE NOTICE 'Reset % cursor(s); % bar(s) in bars_agg lie past the new cursors: kept, and re-aggregated as the cursors pass again', v_reset, v_past;

  IF agg_cursors_ahead_of_source(p_symbol, p_to_tf) THEN
    RAISE EXCEPTION 'Post-reset validation failed: cursor still ahead of source'
      USING ERRCODE = 'internal_error';
  END IF;
  RAISE NOTICE 'Post-reset validation: All cursors within valid range';
END $$;

-- Fills pg_temp.agg_cursor_reset (dropped at commit) with the plan, taken after locking the
-- candidates' state rows.
CREATE OR REPLACE FUNCTION agg_plan_cursor_reset(p_symbol text, p_to_tf text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS pg_temp.agg_cursor_reset (
    canonical_symbol text, timeframe text, old_cursor_utc timestamptz,
    new_cursor_utc timestamptz, reason text) ON COMMIT DROP;
  TRUNCATE pg_temp.agg_cursor_reset;
  -- Lock the candidates first, then plan from what the lock let us see.
  PERFORM 1 FROM data_agg_state s
    JOIN agg_cursor_reset_plan(p_symbol, p_to_tf) p
      ON p.canonical_symbol = s.canonical_symbol AND p.timeframe = s.timeframe
     FOR UPDATE OF s;
  INSERT INTO pg_temp.agg_cursor_reset SELECT * FROM agg_cursor_reset_plan(p_symbol, p_to_tf);
END $$;

-- Every NULL or AHEAD cursor in the database, with the SPEC's signature, rows, reasons and
-- messages.
CREATE OR REPLACE FUNCTION reset_aggregation_cursors(p_dry_run boolean DEFAULT false)
RETURNS TABLE (canonical_symbol text, timeframe text, old_cursor_utc timestamptz,
               new_cursor_utc timestamptz, reason text)
LANGUAGE plpgsql SET timezone = 'UTC' AS $$
#variable_conflict use_column
BEGIN
  IF p_dry_run IS NULL THEN
    RAISE EXCEPTION 'reset_aggregation_cursors: p_dry_run must be true or false, not NULL'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM agg_plan_cursor_reset(NULL, NULL);
  PERFORM agg_apply_cursor_reset(p_dry_run, NULL, NULL);
  RETURN QUERY SELECT r.canonical_symbol, r.timeframe, r.old_cursor_utc, r.new_cursor_utc, r.reason
                 FROM pg_temp.agg_cursor_reset r ORDER BY 1, 2;
END $$;

-- One pair: the same position, the same validation (for that pair), the same notices; no other
-- pair's cursor moves. A pair whose cursor is neither NULL nor AHEAD returns no row.
CREATE OR REPLACE FUNCTION reset_aggregation_cursor(p_symbol text, p_to_tf text, p_dry_run boolean DEFAULT false)
RETURNS TABLE (canonical_symbol text, timeframe text, old_cursor_utc timestamptz,
               new_cursor_utc timestamptz, reason text)
LANGUAGE plpgsql SET timezone = 'UTC' AS $$
#variable_conflict use_column
BEGIN
  IF p_symbol IS NULL OR btrim(p_symbol) = '' THEN
    RAISE EXCEPTION 'reset_aggregation_cursor: p_symbol must name a symbol, got %', coalesce(quote_literal(p_symbol), 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_to_tf IS NULL OR NOT EXISTS (SELECT 1 FROM agg_timeframes t WHERE t.timeframe = p_to_tf) THEN
    RAISE EXCEPTION 'reset_aggregation_cursor: p_to_tf must be one of agg_timeframes (%), got %',
      (SELECT string_agg(t.timeframe, ' ' ORDER BY t.step) FROM agg_timeframes t), coalesce(quote_literal(p_to_tf), 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_dry_run IS NULL THEN
    RAISE EXCEPTION 'reset_aggregation_cursor: p_dry_run must be true or false, not NULL'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM data_agg_state s WHERE s.canonical_symbol = p_symbol AND s.timeframe = p_to_tf) THEN
    RAISE EXCEPTION 'reset_aggregation_cursor: no pair %/% in data_agg_state (p_symbol, p_to_tf)', p_symbol, p_to_tf
      USING ERRCODE = 'no_data_found';
  END IF;
  PERFORM agg_plan_cursor_reset(p_symbol, p_to_tf);
  PERFORM agg_apply_cursor_reset(p_dry_run, p_symbol, p_to_tf);
  RETURN QUERY SELECT r.canonical_symbol, r.timeframe, r.old_cursor_utc, r.new_cursor_utc, r.reason
                 FROM pg_temp.agg_cursor_reset r ORDER BY 1, 2;
END $$;
