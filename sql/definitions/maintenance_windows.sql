-- Maintenance windows (docs/MAINTENANCE.md); the table is in sql/018_maintenance_windows.sql.
-- The writes are SECURITY DEFINER functions that append their operator_actions row in the same
-- transaction, so a role that may only EXECUTE action functions can use them.

-- Plans a window for a symbol (p_match 'exact'), a LIKE pattern ('like'), optionally one
-- timeframe (a symbol and a timeframe: one pair). p_starts_at NULL: now.
CREATE OR REPLACE FUNCTION maintenance_add(
  p_actor text, p_role text, p_source text, p_match text, p_pattern text, p_timeframe text,
  p_starts_at timestamptz, p_ends_at timestamptz, p_reason text)
RETURNS jsonb LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  v_starts timestamptz := coalesce(p_starts_at, now());
  v_row maintenance_windows;
BEGIN
  IF p_actor IS NULL OR btrim(p_actor) = '' THEN
    RAISE EXCEPTION 'maintenance_add: p_actor must be given' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_match IS NULL OR p_match NOT IN ('exact', 'like') THEN
    RAISE EXCEPTION 'maintenance_add: p_match must be exact or like, got %', coalesce(quote_literal(p_match), 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_pattern IS NULL OR p_pattern = '' THEN
    RAISE EXCEPTION 'maintenance_add: p_pattern must be a symbol or a LIKE pattern' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_timeframe IS NOT NULL AND NOT EXISTS (SELECT 1 FROM agg_timeframes t WHERE t.timeframe = p_timeframe) THEN
    RAISE EXCEPTION 'maintenance_add: unknown timeframe p_timeframe=% (known: %; NULL for every timeframe)', quote_literal(p_timeframe),
      (SELECT string_agg(t.timeframe, ', ' ORDER BY t.step) FROM agg_timeframes t) USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_ends_at IS NULL OR p_ends_at <= v_starts THEN
    RAISE EXCEPTION 'maintenance_add: p_ends_at (%) must be after the start (%)', coalesce(p_ends_at::text, 'NULL'), v_starts
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_ends_at <= now() THEN
    RAISE EXCEPTION 'maintenance_add: p_ends_at (%) is in the past', p_ends_at USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_reason IS NULL OR btrim(p_reason) = '' THEN
    RAISE EXCEPTION 'maintenance_add: p_reason must say why (e.g. the vendor''s upgrade)' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO maintenance_windows (match, pattern, timeframe, starts_at, ends_at, reason, created_by)
  VALUES (p_match, p_pattern, p_timeframe, v_starts, p_ends_at, btrim(p_reason), p_actor)
  RETURNING * INTO v_row;
  PERFORM record_operator_action(p_actor, p_role, p_source, 'maintenance.add', 'maintenance:' || v_row.id,
    jsonb_build_object('match', p_match, 'pattern', p_pattern, 'timeframe', p_timeframe, 'starts_at', v_starts,
                       'ends_at', p_ends_at, 'reason', p_reason),
    to_jsonb(v_row), true);
  RETURN to_jsonb(v_row);
END $$;

-- Ends a window now (sets ended_at; the row stays). Raises for an unknown window and for one
-- that already ended.
CREATE OR REPLACE FUNCTION maintenance_end(p_actor text, p_role text, p_source text, p_id bigint)
RETURNS jsonb LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  v_row maintenance_windows;
BEGIN
  SELECT * INTO v_row FROM maintenance_windows w WHERE w.id = p_id FOR UPDATE;
  IF v_row.id IS NULL THEN
    RAISE EXCEPTION 'maintenance_end: no maintenance window p_id=%', coalesce(p_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  IF v_row.ended_at IS NOT NULL OR v_row.ends_at <= now() THEN
    RAISE EXCEPTION 'maintenance_end: window % already ended at %', p_id, coalesce(v_row.ended_at, v_row.ends_at)
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE maintenance_windows w SET ended_at = greatest(now(), w.starts_at), ended_by = p_actor
   WHERE w.id = p_id RETURNING * INTO v_row;
  PERFORM record_operator_action(p_actor, p_role, p_source, 'maintenance.end', 'maintenance:' || p_id, '{}'::jsonb,
    to_jsonb(v_row), true);
  RETURN to_jsonb(v_row);
END $$;

REVOKE ALL ON FUNCTION maintenance_add(text, text, text, text, text, text, timestamptz, timestamptz, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION maintenance_end(text, text, text, bigint) FROM PUBLIC;
