-- 007: the cursor reset keeps every bar.
-- 005 deleted the bars of windows after a reset cursor. Those rows are users' data (on an
-- adopted database, years of them) and deleting them is never needed: the catch-up's upsert
-- rewrites each window as the cursor passes it again, and a bar whose window has no source
-- rows any more is reported as an orphan by the audit, never deleted. Both runs now say how
-- many bars lie past the new cursors.
-- Signature, result rows, reasons and the post-reset validation messages are 005's.

CREATE OR REPLACE FUNCTION reset_aggregation_cursors(p_dry_run boolean DEFAULT false)
RETURNS TABLE (canonical_symbol text, timeframe text, old_cursor_utc timestamptz,
               new_cursor_utc timestamptz, reason text)
LANGUAGE plpgsql SET timezone = 'UTC' AS $$
#variable_conflict use_column
DECLARE
  v_reset integer;
  v_past bigint;
BEGIN
  IF p_dry_run IS NULL THEN
    RAISE EXCEPTION 'reset_aggregation_cursors: p_dry_run must be true or false, not NULL'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  CREATE TEMP TABLE IF NOT EXISTS pg_temp.agg_cursor_reset (
    canonical_symbol text, timeframe text, old_cursor_utc timestamptz,
    new_cursor_utc timestamptz, reason text) ON COMMIT DROP;
  TRUNCATE pg_temp.agg_cursor_reset;

  INSERT INTO pg_temp.agg_cursor_reset
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
   WHERE (s.last_agg_bar_ts_utc IS NULL AND src.max_ts IS NOT NULL)
      OR (s.last_agg_bar_ts_utc IS NOT NULL
          AND (src.max_ts IS NULL OR s.last_agg_bar_ts_utc + t.step > src.max_ts + interval '1 minute'))
   ORDER BY 1, 2
     FOR UPDATE OF s;

  -- Bars past the new cursors: kept, and re-aggregated (upserted) as the cursors pass again.
  -- One index range probe per reset pair on bars_agg's key.
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
  ELSE
    UPDATE data_agg_state s
       SET last_agg_bar_ts_utc = r.new_cursor_utc
      FROM pg_temp.agg_cursor_reset r
     WHERE s.canonical_symbol = r.canonical_symbol AND s.timeframe = r.timeframe;
    RAISE NOTICE 'Reset % cursor(s); % bar(s) in bars_agg lie past the new cursors: kept, and re-aggregated as the cursors pass again', v_reset, v_past;

    -- Post-reset validation: no cursor may be ahead of its source.
    IF EXISTS (
      SELECT 1
        FROM data_agg_state s
        JOIN agg_timeframes t USING (timeframe)
        CROSS JOIN LATERAL (SELECT max(b.ts_utc) AS max_ts FROM bars_1m b
                             WHERE b.canonical_symbol = s.canonical_symbol) m
       WHERE s.last_agg_bar_ts_utc IS NOT NULL
         AND (m.max_ts IS NULL OR s.last_agg_bar_ts_utc + t.step > m.max_ts + interval '1 minute')
    ) THEN
      RAISE EXCEPTION 'Post-reset validation failed: cursor still ahead of source'
        USING ERRCODE = 'internal_error';
    END IF;
    RAISE NOTICE 'Post-reset validation: All cursors within valid range';
  END IF;

  RETURN QUERY SELECT r.canonical_symbol, r.timeframe, r.old_cursor_utc, r.new_cursor_utc, r.reason
                 FROM pg_temp.agg_cursor_reset r ORDER BY 1, 2;
END $$;
