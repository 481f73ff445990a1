-- Appends one row to the audit log and returns its id. SECURITY DEFINER: the role that runs
-- actions may EXECUTE it without any right on the table itself.
CREATE OR REPLACE FUNCTION record_operator_action(
  p_actor text,
  p_role text,
  p_source text,
  p_action text,
  p_target text,
  p_args jsonb,
  p_result jsonb,
  p_ok boolean
) RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  v_id bigint;
BEGIN
  IF p_actor IS NULL OR btrim(p_actor) = '' THEN
    RAISE EXCEPTION 'record_operator_action: p_actor must be given';
  END IF;
  IF p_action IS NULL OR btrim(p_action) = '' THEN
    RAISE EXCEPTION 'record_operator_action: p_action must be given';
  END IF;
  IF p_target IS NULL THEN
    RAISE EXCEPTION 'record_operator_action: p_target must be given';
  END IF;
  IF p_ok IS NULL THEN
    RAISE EXCEPTION 'record_operator_action: p_ok must be given';
  END IF;
  INSERT INTO operator_actions (actor, role, source, action, target, args, result, ok)
  VALUES (p_actor, p_role, p_source, p_action, p_target, COALESCE(p_args, '{}'::jsonb), p_result, p_ok)
  RETURNING id INTO v_id;
  RETURN v_id;
END;
$$;

REVOKE ALL ON FUNCTION record_operator_action(text, text, text, text, text, jsonb, jsonb, boolean) FROM PUBLIC;
