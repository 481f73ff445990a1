-- Audit and repair of finalized bars (SPEC §7, docs/AUDIT.md).
--
-- A finalized bar is compared with a recomputation from bars_1m: one GROUP BY over the source
-- rows of the range (aggregate_bar_windows) FULL JOINed with the range's bars_agg rows, one
-- statement for the whole range, never one query per window.
--
-- The audit keeps its bookkeeping in its own columns of the state row (added by
-- sql/008_audit_aggregation_range.sql); the catch-up's counters (total_runs, recent_bars,
-- last_success_utc, …) are left alone so that an audit never makes a stalled catch-up look
-- alive nor dilutes bars_per_run.
--   audit_last_utc             when the pair was last audited (the worker's schedule reads it)
--   audit_unrepaired           missing + drifted windows found and not repaired yet (0 = none known)
--   audit_unrepaired_from/_to  the window span [from, to) they lie in: the remediation re-audits it
--   audit_repairs_utc/_n       when and how many windows each repairing audit of the last 24 h
--                              wrote (trimmed at every write, at most 200 entries)

-- Windows repaired in the 24 h before p_now, from the two arrays above. Cheap for the usual
-- empty arrays: the view-side caller guards with cardinality() first.
CREATE OR REPLACE FUNCTION agg_audit_repaired_since(p_at timestamptz[], p_n integer[], p_since timestamptz)
RETURNS integer LANGUAGE sql STABLE PARALLEL SAFE
RETURN (SELECT coalesce(sum(n), 0)::integer FROM unnest(p_at, p_n) u(at, n) WHERE at > p_since);

CREATE OR REPLACE FUNCTION audit_aggregation_range(
  p_symbol text, p_to_tf text, p_from timestamptz, p_to timestamptz, p_repair boolean)
RETURNS jsonb LANGUAGE plpgsql SET timezone = 'UTC' AS $$
DECLARE
  v_t0 timestamptz := clock_timestamp();
  v_step interval;
  v_cursor timestamptz;
  v_found boolean;
  v_old record;
  v_oldest timestamptz;         -- the symbol's oldest source row
  v_start timestamptz;          -- first window checked
  v_end timestamptz;            -- end of the last window checked (exclusive)
  v_windows integer := 0;
  v_missing integer := 0;
  v_drifted integer := 0;
  v_orphaned integer := 0;
  v_repaired integer := 0;
  v_source_rows bigint := 0;
  v_bad_lo timestamptz;         -- span of the missing/drifted windows found
  v_bad_hi timestamptz;
  v_keep_old boolean;
  v_result jsonb;
BEGIN
  IF p_symbol IS NULL OR btrim(p_symbol) = '' THEN
    RAISE EXCEPTION 'audit_aggregation_range: p_symbol must be a non-empty symbol'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_to_tf IS NULL THEN
    RAISE EXCEPTION 'audit_aggregation_range: p_to_tf must not be NULL'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  v_step := agg_timeframe_step(p_to_tf, 'audit_aggregation_range');
  IF p_from IS NULL OR NOT isfinite(p_from) THEN
    RAISE EXCEPTION 'audit_aggregation_range: p_from must be a finite timestamp, got %', coalesce(p_from::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_to IS NULL OR NOT isfinite(p_to) THEN
    RAISE EXCEPTION 'audit_aggregation_range: p_to must be a finite timestamp, got %', coalesce(p_to::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_from >= p_to THEN
    RAISE EXCEPTION 'audit_aggregation_range: p_from % must be before p_to %', p_from, p_to
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_repair IS NULL THEN
    RAISE EXCEPTION 'audit_aggregation_range: p_repair must be true or false, not NULL'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  -- The same row lock as the catch-up: an audit and a catch-up of one pair run one after the
  -- other, so the audit reads a cursor (and the bars behind it) that cannot move under it, and
  -- a catch-up waiting here re-reads the state row after the audit commits. The worker claims
  -- with SKIP LOCKED, so it passes over a pair being audited instead of waiting.
  SELECT s.last_agg_bar_ts_utc, s.audit_unrepaired, s.audit_unrepaired_from, s.audit_unrepaired_to
    INTO v_old
    FROM data_agg_state s WHERE s.canonical_symbol = p_symbol AND s.timeframe = p_to_tf
     FOR UPDATE;
  v_found := FOUND;
  IF NOT v_found THEN
    RAISE EXCEPTION 'audit_aggregation_range: pair %/% is not registered in data_agg_state (p_symbol, p_to_tf)', p_symbol, p_to_tf
      USING ERRCODE = 'no_data_found',
            HINT = format('SELECT bootstrap_aggregation_cursor(%L, %L);', p_symbol, p_to_tf);
  END IF;
  v_cursor := v_old.last_agg_bar_ts_utc;

  -- Windows are those overlapping [p_from, p_to): p_from is aligned down to its window.
  -- The first window audited is the first that STARTS at or after the oldest source row:
  -- the window holding that row may have lost its first minutes to source retention, and
  -- "repairing" it would overwrite a good bar with a partial one. Nothing after the cursor.
  SELECT min(ts_utc) INTO v_oldest FROM bars_1m WHERE canonical_symbol = p_symbol;
  IF v_cursor IS NOT NULL AND v_oldest IS NOT NULL THEN
    v_start := greatest(agg_window_start(v_step, p_from),
                        agg_window_start(v_step, v_oldest)
                          + CASE WHEN agg_window_start(v_step, v_oldest) < v_oldest THEN v_step ELSE interval '0' END);
    v_end := least(agg_window_start(v_step, p_to)
                     + CASE WHEN agg_window_start(v_step, p_to) < p_to THEN v_step ELSE interval '0' END,
                   v_cursor + v_step);
  END IF;
  -- Nothing to check (no cursor, no source, or the range lies outside): an empty range.
  v_start := coalesce(v_start, agg_window_start(v_step, p_from));
  v_end := greatest(coalesce(v_end, v_start), v_start);

  IF v_start < v_end THEN
    v_windows := (extract(epoch FROM v_end - v_start) / extract(epoch FROM v_step))::integer;
    WITH recomputed AS (
      SELECT * FROM aggregate_bar_windows(p_symbol, p_to_tf, v_start, v_end)
    ), stored AS (
      SELECT a.ts_utc, a.open, a.high, a.low, a.close, a.volume, a.source_count
        FROM bars_agg a
       WHERE a.canonical_symbol = p_symbol AND a.timeframe = p_to_tf AND a.ts_utc >= v_start AND a.ts_utc < v_end
    ), compared AS (
      SELECT coalesce(r.window_start, s.ts_utc) AS ws, r.open, r.high, r.low, r.close, r.volume, r.source_count,
             CASE WHEN s.ts_utc IS NULL THEN 'missing'
                  WHEN r.window_start IS NULL THEN 'orphaned'
                  WHEN (r.open, r.high, r.low, r.close, r.volume, r.source_count)
                       IS DISTINCT FROM (s.open, s.high, s.low, s.close, s.volume, s.source_count) THEN 'drifted'
             END AS finding
        FROM recomputed r FULL JOIN stored s ON s.ts_utc = r.window_start
    ), written AS (
      INSERT INTO bars_agg AS a (canonical_symbol, timeframe, ts_utc, open, high, low, close, volume, source_count)
      SELECT p_symbol, p_to_tf, c.ws, c.open, c.high, c.low, c.close, c.volume, c.source_count
        FROM compared c
       WHERE p_repair AND c.finding IN ('missing', 'drifted')
      ON CONFLICT (canonical_symbol, timeframe, ts_utc) DO UPDATE
        SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
            volume = EXCLUDED.volume, source_count = EXCLUDED.source_count,
            aggregated_at_utc = EXCLUDED.aggregated_at_utc
      RETURNING 1
    )
    SELECT count(*) FILTER (WHERE c.finding = 'missing'),
           count(*) FILTER (WHERE c.finding = 'drifted'),
           count(*) FILTER (WHERE c.finding = 'orphaned'),
           (SELECT count(*) FROM written),
           coalesce(sum(c.source_count), 0),
           min(c.ws) FILTER (WHERE c.finding IN ('missing', 'drifted')),
           max(c.ws) FILTER (WHERE c.finding IN ('missing', 'drifted'))
      INTO v_missing, v_drifted, v_orphaned, v_repaired, v_source_rows, v_bad_lo, v_bad_hi
      FROM compared c;
  END IF;

  v_result := jsonb_build_object(
    'kind', 'audit',
    'symbol', p_symbol,
    'to_tf', p_to_tf,
    'from_utc', v_start,
    'to_utc', v_end,
    'windows_checked', v_windows,
    'missing', v_missing,
    'drifted', v_drifted,
    'orphaned', v_orphaned,
    'repaired', v_repaired,
    'repair', p_repair,
    'cursor_utc', v_cursor,
    'oldest_source_ts', v_oldest,
    'source_rows', v_source_rows,
    'first_finding_utc', v_bad_lo,
    'last_finding_utc', v_bad_hi,
    'duration_ms', round(extract(epoch FROM clock_timestamp() - v_t0) * 1000, 3));

  -- Unrepaired drift: what this audit found and left, plus what an earlier audit left outside
  -- this audit's range (an audit clears the earlier finding only when its range covered it).
  v_keep_old := v_old.audit_unrepaired > 0
                AND NOT (v_start < v_end AND v_old.audit_unrepaired_from >= v_start
                         AND v_old.audit_unrepaired_to <= v_end);
  UPDATE data_agg_state
     SET audit_last_utc = v_t0,
         audit_unrepaired = CASE WHEN v_keep_old THEN audit_unrepaired ELSE 0 END
                            + CASE WHEN p_repair THEN 0 ELSE v_missing + v_drifted END,
         audit_unrepaired_from = CASE WHEN NOT p_repair AND v_bad_lo IS NOT NULL
                                      THEN least(CASE WHEN v_keep_old THEN audit_unrepaired_from END, v_bad_lo)
                                      WHEN v_keep_old THEN audit_unrepaired_from END,
         audit_unrepaired_to = CASE WHEN NOT p_repair AND v_bad_hi IS NOT NULL
                                    THEN greatest(CASE WHEN v_keep_old THEN audit_unrepaired_to END, v_bad_hi + v_step)
                                    WHEN v_keep_old THEN audit_unrepaired_to END,
         audit_repairs_utc = CASE WHEN v_repaired > 0
                                  THEN (SELECT coalesce(array_agg(at ORDER BY at), '{}') FROM (
                                          SELECT at FROM unnest(audit_repairs_utc || v_t0) at
                                           WHERE at > v_t0 - interval '24 hours' ORDER BY at DESC LIMIT 200) k)
                                  ELSE audit_repairs_utc END,
         audit_repairs_n = CASE WHEN v_repaired > 0
                                THEN (SELECT coalesce(array_agg(n ORDER BY at), '{}') FROM (
                                        SELECT at, n FROM unnest(audit_repairs_utc || v_t0, audit_repairs_n || v_repaired) u(at, n)
                                         WHERE at > v_t0 - interval '24 hours' ORDER BY at DESC LIMIT 200) k)
                                ELSE audit_repairs_n END
   WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf;

  IF p_repair THEN
    INSERT INTO data_agg_runs (canonical_symbol, timeframe, started_at_utc, finished_at_utc, ok, result)
    VALUES (p_symbol, p_to_tf, v_t0, clock_timestamp(), true, v_result);
  END IF;
  RETURN v_result;
END $$;
