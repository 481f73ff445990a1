-- The aggregation of source bars into windows: set-based over a range, and one window as JSON.

-- Raised from inside the aggregation's SELECT (a CASE arm) when a window holds a corrupt bar.
CREATE OR REPLACE FUNCTION agg_raise_corrupt_source(
  p_symbol text, p_to_tf text, p_window_start timestamptz, p_window_end timestamptz, p_bad_rows bigint)
RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'corrupt source data for %/% window [%,%): % bar(s) with high < low, a price <= 0 or volume < 0',
    p_symbol, p_to_tf, p_window_start, p_window_end, p_bad_rows
    USING ERRCODE = 'data_exception',
          HINT = 'fix or delete the bad bars_1m rows, then the next run carries on';
END $$;

-- Every non-empty window in [p_from, p_to), set-based: one index range scan and one
-- GROUP BY instead of one query per window. A window containing a corrupt bar raises.
CREATE OR REPLACE FUNCTION aggregate_bar_windows(p_symbol text, p_to_tf text, p_from timestamptz, p_to timestamptz)
RETURNS TABLE (window_start timestamptz, window_end timestamptz, open numeric, high numeric,
               low numeric, close numeric, volume numeric, source_count integer)
LANGUAGE sql STABLE AS $$
  SELECT w.ws, w.ws + t.step, w.open, w.high, w.low, w.close, w.volume,
         CASE WHEN w.bad_rows > 0
              THEN agg_raise_corrupt_source(p_symbol, p_to_tf, w.ws, w.ws + t.step, w.bad_rows)
              ELSE w.n::integer END
  FROM agg_timeframes t
  CROSS JOIN LATERAL (
    SELECT agg_window_start(t.step, b.ts_utc) AS ws,
           (array_agg(b.open ORDER BY b.ts_utc))[1] AS open,
           max(b.high) AS high,
           min(b.low) AS low,
           (array_agg(b.close ORDER BY b.ts_utc DESC))[1] AS close,
           sum(b.volume) AS volume,
           count(*) AS n,
           count(*) FILTER (WHERE b.high < b.low OR b.low <= 0 OR b.open <= 0
                                  OR b.close <= 0 OR b.volume < 0) AS bad_rows
    FROM bars_1m b
    WHERE b.canonical_symbol = p_symbol AND b.ts_utc >= p_from AND b.ts_utc < p_to
    GROUP BY 1
  ) w
  WHERE t.timeframe = p_to_tf
  ORDER BY w.ws
$$;

-- One window as JSON, at least {"source_count": n}; the one-window form of the above.
CREATE OR REPLACE FUNCTION aggregate_bar_window(
  p_symbol text, p_to_tf text, p_window_start timestamptz, p_window_end timestamptz)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    (SELECT to_jsonb(w) FROM aggregate_bar_windows(p_symbol, p_to_tf, p_window_start, p_window_end) w LIMIT 1),
    jsonb_build_object('window_start', p_window_start, 'window_end', p_window_end, 'source_count', 0))
$$;
