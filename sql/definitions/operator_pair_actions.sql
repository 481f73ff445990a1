-- The product's actions on one pair: what the dashboard's
-- write role (db/roles/actions.sql, frontier_actions) may EXECUTE, and nothing else. Each is
-- SECURITY DEFINER: the role holds no right on any table. Each call appends exactly one
-- operator_actions row (record_operator_action) with its arguments and its result, in the same
-- transaction as what it did, and returns that result with `ok` and `audit_id`:
--   action_retry_pair        operator  clear the retry backoff: the worker runs the pair next pass
--   action_set_pair_enabled  operator  let the worker run the pair, or stop it
--   action_bootstrap_pair    admin     register the pair / set a NULL cursor (bootstrap_aggregation_cursor)
--   action_reset_pair        admin     move a NULL or AHEAD cursor (reset_aggregation_cursor)
--   action_repair_range      admin     audit [from, to) and upsert the missing and drifted bars
-- The last three take p_dry_run: the result then says what they would change and nothing but the
-- audit row is written; applying needs a non-blank p_reason.
--
-- A bad argument (actor, role, source, reason) raises naming it, and writes no row. A failure of
-- the action itself (an unregistered pair, a lock held past lock_timeout, a failed validation)
-- is caught: its row says ok = false with the error and SQLSTATE, and the result carries them,
-- so the caller answers with the reason and the attempt stays in the log. The actor and role are
-- the dashboard's word: the functions trust the caller that holds EXECUTE to have checked them,
-- and check only that the role is enough for the action.

-- Raises for a bad actor/role/source/reason; the rank rule is lib/auth/identity.ts roleAtLeast.
CREATE OR REPLACE FUNCTION agg_action_check(
  p_action text, p_actor text, p_role text, p_source text, p_needed text, p_apply boolean, p_reason text)
RETURNS void LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  v_rank constant text[] := ARRAY['viewer', 'operator', 'admin'];
BEGIN
  IF p_actor IS NULL OR btrim(p_actor) = '' THEN
    RAISE EXCEPTION '%: p_actor must name who acts', p_action USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_role IS NULL OR NOT p_role = ANY (v_rank) THEN
    RAISE EXCEPTION '%: p_role must be viewer, operator or admin, got %', p_action, coalesce(quote_literal(p_role), 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_source IS NULL OR p_source NOT IN ('ui', 'api', 'ops') THEN
    RAISE EXCEPTION '%: p_source must be ui, api or ops, got %', p_action, coalesce(quote_literal(p_source), 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF array_position(v_rank, p_role) < array_position(v_rank, p_needed) THEN
    RAISE EXCEPTION '%: needs the % role; p_role is %', p_action, p_needed, p_role
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_apply IS NULL THEN
    RAISE EXCEPTION '%: p_dry_run must be true or false, not NULL', p_action USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_apply AND (p_reason IS NULL OR btrim(p_reason) = '') THEN
    RAISE EXCEPTION '%: p_reason must say why, to apply (a dry run needs none)', p_action
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
END $$;

-- Records the row and returns the result with ok and audit_id.
CREATE OR REPLACE FUNCTION agg_action_finish(
  p_actor text, p_role text, p_source text, p_action text, p_target text, p_args jsonb, p_result jsonb, p_ok boolean)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint := record_operator_action(p_actor, p_role, p_source, p_action, p_target, p_args, p_result, p_ok);
BEGIN
  RETURN coalesce(p_result, '{}'::jsonb) || jsonb_build_object('ok', p_ok, 'audit_id', v_id);
END $$;

-- A dry run that needs the real function's answer runs it in a block ended by this SQLSTATE:
-- the block's writes roll back, the variables it set stay (PL/pgSQL keeps them).
CREATE OR REPLACE FUNCTION agg_action_rollback() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dry run: rolled back' USING ERRCODE = 'FRDRY';
END $$;

CREATE OR REPLACE FUNCTION action_retry_pair(
  p_actor text, p_role text, p_source text, p_symbol text, p_to_tf text, p_reason text DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET timezone = 'UTC' SET lock_timeout = '5s' AS $$
DECLARE
  v_args jsonb := jsonb_strip_nulls(jsonb_build_object('reason', nullif(btrim(p_reason), '')));
  v_was timestamptz;
  v_failures integer;
BEGIN
  PERFORM agg_action_check('action_retry_pair', p_actor, p_role, p_source, 'operator', false, p_reason);
  BEGIN
    SELECT next_retry_utc, consecutive_failures INTO v_was, v_failures
      FROM data_agg_state WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'no pair %/% in data_agg_state', p_symbol, p_to_tf USING ERRCODE = 'no_data_found';
    END IF;
    UPDATE data_agg_state SET next_retry_utc = NULL
     WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf AND next_retry_utc IS NOT NULL;
  EXCEPTION WHEN OTHERS THEN
    RETURN agg_action_finish(p_actor, p_role, p_source, 'retry', p_symbol || '/' || p_to_tf, v_args,
      jsonb_build_object('error', SQLERRM, 'sqlstate', SQLSTATE), false);
  END;
  RETURN agg_action_finish(p_actor, p_role, p_source, 'retry', p_symbol || '/' || p_to_tf, v_args,
    jsonb_build_object('was_due_utc', v_was, 'cleared', v_was IS NOT NULL, 'consecutive_failures', v_failures), true);
END $$;

CREATE OR REPLACE FUNCTION action_set_pair_enabled(
  p_actor text, p_role text, p_source text, p_symbol text, p_to_tf text, p_enabled boolean, p_reason text DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET timezone = 'UTC' SET lock_timeout = '5s' AS $$
DECLARE
  v_action text := CASE WHEN p_enabled THEN 'enable' ELSE 'disable' END;
  v_args jsonb := jsonb_strip_nulls(jsonb_build_object('reason', nullif(btrim(p_reason), '')));
  v_was boolean;
BEGIN
  PERFORM agg_action_check('action_set_pair_enabled', p_actor, p_role, p_source, 'operator', false, p_reason);
  IF p_enabled IS NULL THEN
    RAISE EXCEPTION 'action_set_pair_enabled: p_enabled must be true or false, not NULL'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  BEGIN
    SELECT enabled INTO v_was FROM data_agg_state
     WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'no pair %/% in data_agg_state', p_symbol, p_to_tf USING ERRCODE = 'no_data_found';
    END IF;
    UPDATE data_agg_state SET enabled = p_enabled
     WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf AND enabled IS DISTINCT FROM p_enabled;
  EXCEPTION WHEN OTHERS THEN
    RETURN agg_action_finish(p_actor, p_role, p_source, v_action, p_symbol || '/' || p_to_tf, v_args,
      jsonb_build_object('error', SQLERRM, 'sqlstate', SQLSTATE), false);
  END;
  RETURN agg_action_finish(p_actor, p_role, p_source, v_action, p_symbol || '/' || p_to_tf, v_args,
    jsonb_build_object('was_enabled', v_was, 'enabled', p_enabled, 'changed', v_was IS DISTINCT FROM p_enabled), true);
END $$;

CREATE OR REPLACE FUNCTION action_bootstrap_pair(
  p_actor text, p_role text, p_source text, p_symbol text, p_to_tf text, p_dry_run boolean, p_reason text DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET timezone = 'UTC' SET lock_timeout = '5s' AS $$
DECLARE
  v_args jsonb := jsonb_strip_nulls(jsonb_build_object('dry_run', p_dry_run, 'reason', nullif(btrim(p_reason), '')));
  v_registered boolean;
  v_old timestamptz;
  v_new timestamptz;
  v_rows jsonb;
BEGIN
  PERFORM agg_action_check('action_bootstrap_pair', p_actor, p_role, p_source, 'admin', NOT p_dry_run, p_reason);
  BEGIN
    BEGIN
      SELECT true, last_agg_bar_ts_utc INTO v_registered, v_old
        FROM data_agg_state WHERE canonical_symbol = p_symbol AND timeframe = p_to_tf FOR UPDATE;
      v_new := bootstrap_aggregation_cursor(p_symbol, p_to_tf);
      IF p_dry_run THEN PERFORM agg_action_rollback(); END IF;
    EXCEPTION WHEN SQLSTATE 'FRDRY' THEN NULL;
    END;
  EXCEPTION WHEN OTHERS THEN
    RETURN agg_action_finish(p_actor, p_role, p_source, 'bootstrap', p_symbol || '/' || p_to_tf, v_args,
      jsonb_build_object('dry_run', p_dry_run, 'error', SQLERRM, 'sqlstate', SQLSTATE), false);
  END;
  -- The rows it changes: none when the cursor was set already.
  v_rows := CASE WHEN v_registered AND v_old IS NOT NULL THEN '[]'::jsonb
                 ELSE jsonb_build_array(jsonb_build_object(
                   'canonical_symbol', p_symbol, 'timeframe', p_to_tf, 'old_cursor_utc', v_old,
                   'new_cursor_utc', v_new, 'reason', CASE WHEN v_registered THEN 'null_cursor' ELSE 'not_registered' END))
            END;
  RETURN agg_action_finish(p_actor, p_role, p_source, 'bootstrap', p_symbol || '/' || p_to_tf, v_args,
    jsonb_build_object('dry_run', p_dry_run, 'rows', v_rows), true);
END $$;

CREATE OR REPLACE FUNCTION action_reset_pair(
  p_actor text, p_role text, p_source text, p_symbol text, p_to_tf text, p_dry_run boolean, p_reason text DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET timezone = 'UTC' SET lock_timeout = '5s' AS $$
DECLARE
  v_args jsonb := jsonb_strip_nulls(jsonb_build_object('dry_run', p_dry_run, 'reason', nullif(btrim(p_reason), '')));
  v_rows jsonb;
BEGIN
  PERFORM agg_action_check('action_reset_pair', p_actor, p_role, p_source, 'admin', NOT p_dry_run, p_reason);
  BEGIN
    SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY r.canonical_symbol, r.timeframe), '[]'::jsonb) INTO v_rows
      FROM reset_aggregation_cursor(p_symbol, p_to_tf, p_dry_run) r;
  EXCEPTION WHEN OTHERS THEN
    RETURN agg_action_finish(p_actor, p_role, p_source, 'reset', p_symbol || '/' || p_to_tf, v_args,
      jsonb_build_object('dry_run', p_dry_run, 'error', SQLERRM, 'sqlstate', SQLSTATE), false);
  END;
  RETURN agg_action_finish(p_actor, p_role, p_source, 'reset', p_symbol || '/' || p_to_tf, v_args,
    jsonb_build_object('dry_run', p_dry_run, 'rows', v_rows), true);
END $$;

-- The dry run is the repairing audit itself, rolled back: its counts are what applying writes.
CREATE OR REPLACE FUNCTION action_repair_range(
  p_actor text, p_role text, p_source text, p_symbol text, p_to_tf text, p_from timestamptz, p_to timestamptz,
  p_dry_run boolean, p_reason text DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET timezone = 'UTC' SET lock_timeout = '5s' AS $$
DECLARE
  v_args jsonb := jsonb_strip_nulls(jsonb_build_object(
    'dry_run', p_dry_run, 'reason', nullif(btrim(p_reason), ''), 'from', p_from, 'to', p_to));
  v_audit jsonb;
BEGIN
  PERFORM agg_action_check('action_repair_range', p_actor, p_role, p_source, 'admin', NOT p_dry_run, p_reason);
  BEGIN
    BEGIN
      v_audit := audit_aggregation_range(p_symbol, p_to_tf, p_from, p_to, true);
      IF p_dry_run THEN PERFORM agg_action_rollback(); END IF;
    EXCEPTION WHEN SQLSTATE 'FRDRY' THEN NULL;
    END;
  EXCEPTION WHEN OTHERS THEN
    RETURN agg_action_finish(p_actor, p_role, p_source, 'repair', p_symbol || '/' || p_to_tf, v_args,
      jsonb_build_object('dry_run', p_dry_run, 'error', SQLERRM, 'sqlstate', SQLSTATE), false);
  END;
  RETURN agg_action_finish(p_actor, p_role, p_source, 'repair', p_symbol || '/' || p_to_tf, v_args,
    jsonb_build_object('dry_run', p_dry_run, 'audit', v_audit), true);
END $$;

REVOKE ALL ON FUNCTION action_retry_pair(text, text, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION action_set_pair_enabled(text, text, text, text, text, boolean, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION action_bootstrap_pair(text, text, text, text, text, boolean, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION action_reset_pair(text, text, text, text, text, boolean, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION action_repair_range(text, text, text, text, text, timestamptz, timestamptz, boolean, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION agg_action_finish(text, text, text, text, text, jsonb, jsonb, boolean) FROM PUBLIC;
