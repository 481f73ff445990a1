-- source_frontier_at: a symbol's source frontier (its newest bars_1m minute at or before each
-- time asked), for the pair page's chart of cursor against frontier. One index probe per time
-- on bars_1m's (canonical_symbol, ts_utc) key.
-- SECURITY DEFINER: the read-only dashboard role reads no bars_1m row (db/roles/); this gives
-- it what the monitoring view already shows (frontier timestamps), at chosen times, and no more.
-- At most 1,000 times per call.
CREATE OR REPLACE FUNCTION source_frontier_at(p_symbol text, p_times timestamptz[])
RETURNS TABLE (at_utc timestamptz, source_max_ts_utc timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF p_symbol IS NULL THEN
    RAISE EXCEPTION 'source_frontier_at: p_symbol must name a symbol, not NULL' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_times IS NULL OR cardinality(p_times) > 1000 THEN
    RAISE EXCEPTION 'source_frontier_at: p_times must be an array of at most 1000 times, got %',
      coalesce(cardinality(p_times)::text, 'NULL') USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN QUERY
    SELECT t.at_utc,
           (SELECT max(b.ts_utc) FROM bars_1m b WHERE b.canonical_symbol = p_symbol AND b.ts_utc <= t.at_utc)
      FROM unnest(p_times) WITH ORDINALITY AS t(at_utc, n)
     ORDER BY t.n;
END $$;
