-- Withdrawing an acknowledgement ("un-ack", docs/ACTIONS.md): an operator ends a current ack
-- before its problem ends. SECURITY DEFINER, granted to the write role (db/roles/actions.sql):
-- the ack ends with ended_reason = 'withdrawn' and one operator_actions row (action 'unack'),
-- in one transaction. Returns the ack's silence id, which the caller expires in Alertmanager.
-- No current ack (none, lapsed, resolved) is a failed action (55000), an unknown incident or
-- pair is P0002: both logged with ok = false. Bad arguments raise and write nothing.

CREATE OR REPLACE FUNCTION unack_finish(
  p_actor text, p_role text, p_source text, p_target text, p_args jsonb, p_ack_id bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_silence text;
  v_audit bigint;
BEGIN
  UPDATE acknowledgements SET ended_at_utc = now(), ended_reason = 'withdrawn'
   WHERE ack_id = p_ack_id RETURNING silence_id INTO v_silence;
  v_audit := record_operator_action(p_actor, p_role, p_source, 'unack', p_target, p_args,
    jsonb_strip_nulls(jsonb_build_object('ack_id', p_ack_id, 'silence_id', v_silence)), true);
  RETURN jsonb_strip_nulls(jsonb_build_object('ack_id', p_ack_id, 'silence_id', v_silence))
    || jsonb_build_object('ok', true, 'audit_id', v_audit);
END $$;

CREATE OR REPLACE FUNCTION unack_check(p_action text, p_reason text)
RETURNS void LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF p_reason IS NOT NULL AND char_length(btrim(p_reason)) > 500 THEN
    RAISE EXCEPTION '%: p_reason must be at most 500 characters', p_action USING ERRCODE = 'invalid_parameter_value';
  END IF;
END $$;

CREATE OR REPLACE FUNCTION action_unack_incident(
  p_actor text, p_role text, p_source text, p_incident_id bigint, p_reason text DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET timezone = 'UTC' SET lock_timeout = '5s' AS $$
DECLARE
  v_target text := 'incident/' || coalesce(p_incident_id::text, 'NULL');
  v_args jsonb := jsonb_strip_nulls(jsonb_build_object('reason', nullif(btrim(p_reason), '')));
  v_ack bigint;
BEGIN
  PERFORM agg_action_check('action_unack_incident', p_actor, p_role, p_source, 'operator', false, NULL);
  PERFORM unack_check('action_unack_incident', p_reason);
  BEGIN
    PERFORM 1 FROM incidents WHERE incident_id = p_incident_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'no incident %', p_incident_id USING ERRCODE = 'no_data_found';
    END IF;
    SELECT ack_id INTO v_ack FROM acknowledgements
     WHERE incident_id = p_incident_id AND ended_at_utc IS NULL FOR UPDATE;
    IF v_ack IS NULL OR NOT ack_is_current(v_ack) THEN
      RAISE EXCEPTION 'incident % has no current acknowledgement to withdraw', p_incident_id
        USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
  EXCEPTION WHEN OTHERS THEN
    RETURN agg_action_finish(p_actor, p_role, p_source, 'unack', v_target, v_args,
      jsonb_build_object('error', SQLERRM, 'sqlstate', SQLSTATE), false);
  END;
  RETURN unack_finish(p_actor, p_role, p_source, v_target, v_args, v_ack);
END $$;

CREATE OR REPLACE FUNCTION action_unack_pair(
  p_actor text, p_role text, p_source text, p_symbol text, p_to_tf text, p_reason text DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET timezone = 'UTC' SET lock_timeout = '5s' AS $$
DECLARE
  v_target text := coalesce(p_symbol, 'NULL') || '/' || coalesce(p_to_tf, 'NULL');
  v_args jsonb := jsonb_strip_nulls(jsonb_build_object('reason', nullif(btrim(p_reason), '')));
  v_ack bigint;
BEGIN
  PERFORM agg_action_check('action_unack_pair', p_actor, p_role, p_source, 'operator', false, NULL);
  PERFORM unack_check('action_unack_pair', p_reason);
  BEGIN
    PERFORM 1 FROM data_agg_state WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'no pair %/% in data_agg_state', p_symbol, p_to_tf USING ERRCODE = 'no_data_found';
    END IF;
    SELECT ack_id INTO v_ack FROM acknowledgements
     WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf AND incident_id IS NULL AND ended_at_utc IS NULL
       FOR UPDATE;
    IF v_ack IS NULL OR NOT ack_is_current(v_ack) THEN
      RAISE EXCEPTION 'pair %/% has no current acknowledgement to withdraw', p_symbol, p_to_tf
        USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
  EXCEPTION WHEN OTHERS THEN
    RETURN agg_action_finish(p_actor, p_role, p_source, 'unack', v_target, v_args,
      jsonb_build_object('error', SQLERRM, 'sqlstate', SQLSTATE), false);
  END;
  RETURN unack_finish(p_actor, p_role, p_source, v_target, v_args, v_ack);
END $$;

REVOKE ALL ON FUNCTION unack_finish(text, text, text, text, jsonb, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION action_unack_incident(text, text, text, bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION action_unack_pair(text, text, text, text, text, text) FROM PUBLIC;
