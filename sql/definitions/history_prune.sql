-- Bounded retention: deletes up to p_batch closed intervals and resolved incidents that ended
-- before the retention, oldest first; the writer calls it until it returns less than p_batch.
CREATE OR REPLACE FUNCTION history_prune(p_retention_days integer, p_batch integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_cutoff timestamptz;
  v_intervals integer;
  v_incidents integer;
BEGIN
  IF p_retention_days IS NULL OR p_retention_days < 1 THEN
    RAISE EXCEPTION 'history_prune: p_retention_days must be >= 1, got %', p_retention_days USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_batch IS NULL OR p_batch < 1 THEN
    RAISE EXCEPTION 'history_prune: p_batch must be >= 1, got %', p_batch USING ERRCODE = 'invalid_parameter_value';
  END IF;
  v_cutoff := now() - make_interval(days => p_retention_days);
  WITH doomed AS (
    SELECT interval_id FROM pair_state_intervals
     WHERE until IS NOT NULL AND until < v_cutoff ORDER BY until LIMIT p_batch
  )
  DELETE FROM pair_state_intervals i USING doomed d WHERE i.interval_id = d.interval_id;
  GET DIAGNOSTICS v_intervals = ROW_COUNT;
  WITH doomed AS (
    SELECT incident_id FROM incidents
     WHERE resolved_at IS NOT NULL AND resolved_at < v_cutoff ORDER BY resolved_at LIMIT p_batch
  )
  DELETE FROM incidents i USING doomed d WHERE i.incident_id = d.incident_id;
  GET DIAGNOSTICS v_incidents = ROW_COUNT;
  RETURN v_intervals + v_incidents;
END $$;
