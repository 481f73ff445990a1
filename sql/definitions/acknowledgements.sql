-- Acknowledgements (sql/017): what the write role (db/roles/actions.sql)
-- may EXECUTE to ack an open incident or a pair in a problem state. SECURITY DEFINER; each call
-- writes the ack and its operator_actions row in one transaction, and returns the result with
-- ok and audit_id (agg_action_finish of operator_pair_actions.sql, resolved when called).
-- A newer ack of the same target ends the current one ('replaced'). Bad arguments (actor, role,
-- source, note, until) raise naming the argument and write nothing; a target that is not there
-- (P0002) or has nothing to acknowledge (55000) is a failed action: its row says ok = false.

-- Raises for a blank or too long note, or an until that is not in the future.
CREATE OR REPLACE FUNCTION ack_check(p_action text, p_note text, p_until timestamptz)
RETURNS void LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF p_note IS NULL OR btrim(p_note) = '' OR char_length(btrim(p_note)) > 500 THEN
    RAISE EXCEPTION '%: p_note must say why, in 1 to 500 characters', p_action USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_until IS NOT NULL AND p_until <= now() THEN
    RAISE EXCEPTION '%: p_until must be in the future, got %', p_action, p_until USING ERRCODE = 'invalid_parameter_value';
  END IF;
END $$;

CREATE OR REPLACE FUNCTION action_ack_incident(
  p_actor text, p_role text, p_source text, p_incident_id bigint, p_note text, p_until timestamptz DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET timezone = 'UTC' SET lock_timeout = '5s' AS $$
DECLARE
  v_target text := 'incident/' || coalesce(p_incident_id::text, 'NULL');
  v_args jsonb := jsonb_strip_nulls(jsonb_build_object('note', btrim(p_note), 'until', p_until));
  v_resolved timestamptz;
  v_ack bigint;
  v_replaced bigint;
  v_audit bigint;
BEGIN
  PERFORM agg_action_check('action_ack_incident', p_actor, p_role, p_source, 'operator', false, NULL);
  PERFORM ack_check('action_ack_incident', p_note, p_until);
  BEGIN
    SELECT resolved_at INTO v_resolved FROM incidents WHERE incident_id = p_incident_id FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'no incident %', p_incident_id USING ERRCODE = 'no_data_found';
    END IF;
    IF v_resolved IS NOT NULL THEN
      RAISE EXCEPTION 'incident % resolved at %: nothing to acknowledge', p_incident_id, v_resolved
        USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE acknowledgements SET ended_at_utc = now(), ended_reason = 'replaced'
     WHERE incident_id = p_incident_id AND ended_at_utc IS NULL
    RETURNING ack_id INTO v_replaced;
    INSERT INTO acknowledgements (incident_id, acked_by, role, note, until_utc)
    VALUES (p_incident_id, p_actor, p_role, btrim(p_note), p_until) RETURNING ack_id INTO v_ack;
  EXCEPTION WHEN OTHERS THEN
    RETURN agg_action_finish(p_actor, p_role, p_source, 'ack', v_target, v_args,
      jsonb_build_object('error', SQLERRM, 'sqlstate', SQLSTATE), false);
  END;
  v_audit := record_operator_action(p_actor, p_role, p_source, 'ack', v_target, v_args,
    jsonb_strip_nulls(jsonb_build_object('ack_id', v_ack, 'replaced', v_replaced)), true);
  UPDATE acknowledgements SET audit_id = v_audit WHERE ack_id = v_ack;
  RETURN jsonb_strip_nulls(jsonb_build_object('ack_id', v_ack, 'replaced', v_replaced))
    || jsonb_build_object('ok', true, 'audit_id', v_audit);
END $$;

CREATE OR REPLACE FUNCTION action_ack_pair(
  p_actor text, p_role text, p_source text, p_symbol text, p_to_tf text, p_note text, p_until timestamptz DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET timezone = 'UTC' SET lock_timeout = '5s' AS $$
DECLARE
  v_target text := coalesce(p_symbol, 'NULL') || '/' || coalesce(p_to_tf, 'NULL');
  v_args jsonb := jsonb_strip_nulls(jsonb_build_object('note', btrim(p_note), 'until', p_until));
  v_state text;
  v_ack bigint;
  v_replaced bigint;
  v_audit bigint;
BEGIN
  PERFORM agg_action_check('action_ack_pair', p_actor, p_role, p_source, 'operator', false, NULL);
  PERFORM ack_check('action_ack_pair', p_note, p_until);
  BEGIN
    PERFORM 1 FROM data_agg_state WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'no pair %/% in data_agg_state', p_symbol, p_to_tf USING ERRCODE = 'no_data_found';
    END IF;
    -- The recorded state (the history writer's); a pair it has not recorded yet may be acked.
    SELECT state INTO v_state FROM pair_state_current WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf;
    IF FOUND AND NOT history_is_problem(v_state) THEN
      RAISE EXCEPTION 'pair %/% is %: nothing to acknowledge', p_symbol, p_to_tf, v_state
        USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE acknowledgements SET ended_at_utc = now(), ended_reason = 'replaced'
     WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf AND incident_id IS NULL AND ended_at_utc IS NULL
    RETURNING ack_id INTO v_replaced;
    INSERT INTO acknowledgements (canonical_symbol, timeframe, acked_by, role, note, until_utc)
    VALUES (p_symbol, p_to_tf, p_actor, p_role, btrim(p_note), p_until) RETURNING ack_id INTO v_ack;
  EXCEPTION WHEN OTHERS THEN
    RETURN agg_action_finish(p_actor, p_role, p_source, 'ack', v_target, v_args,
      jsonb_build_object('error', SQLERRM, 'sqlstate', SQLSTATE), false);
  END;
  v_audit := record_operator_action(p_actor, p_role, p_source, 'ack', v_target, v_args,
    jsonb_strip_nulls(jsonb_build_object('ack_id', v_ack, 'replaced', v_replaced)), true);
  UPDATE acknowledgements SET audit_id = v_audit WHERE ack_id = v_ack;
  RETURN jsonb_strip_nulls(jsonb_build_object('ack_id', v_ack, 'replaced', v_replaced))
    || jsonb_build_object('ok', true, 'audit_id', v_audit);
END $$;

REVOKE ALL ON FUNCTION action_ack_incident(text, text, text, bigint, text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION action_ack_pair(text, text, text, text, text, text, timestamptz) FROM PUBLIC;
