-- Health policies (docs/HEALTH.md, "Policies"); the table is in sql/019_health_policies.sql.
-- v_aggregation_frontier_health resolves every pair's policy in one join; these resolve one
-- pair (npm run ops -- policy check) and write policies with an audit row each.

-- Every policy that matches a pair, the one that applies first (rank 1): an exact name beats a
-- pattern, then the most literal characters, then timeframe-specific beats any, then the name.
-- The same order as the view's (test/sql/health-policies.test.ts holds them together). The pair
-- need not be registered.
CREATE OR REPLACE FUNCTION health_policy_candidates(p_symbol text, p_timeframe text)
RETURNS TABLE (rank integer, policy text, matched_by text, pattern text, timeframe text,
               stall_minutes integer, lag_bars integer, source_stale_minutes integer,
               min_bars_per_run double precision)
LANGUAGE plpgsql STABLE
-- Owner's rights: a read-only role may ask without SELECT on the table.
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF p_symbol IS NULL OR p_symbol = '' THEN
    RAISE EXCEPTION 'health_policy_candidates: p_symbol must be a non-empty symbol' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_timeframe IS NULL OR NOT EXISTS (SELECT 1 FROM agg_timeframes t WHERE t.timeframe = p_timeframe) THEN
    RAISE EXCEPTION 'health_policy_candidates: unknown timeframe p_timeframe=% (known: %)', coalesce(quote_literal(p_timeframe), 'NULL'),
      (SELECT string_agg(t.timeframe, ', ' ORDER BY t.step) FROM agg_timeframes t) USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN QUERY
  SELECT (row_number() OVER (ORDER BY agg_symbol_pattern_rank(p.match, p.pattern), p.timeframe IS NULL, p.policy))::integer,
         p.policy::text, p.match, p.pattern::text, p.timeframe::text,
         p.stall_minutes, p.lag_bars, p.source_stale_minutes, p.min_bars_per_run
    FROM health_policies p
   WHERE agg_symbol_pattern_matches(p.match, p.pattern, p_symbol)
     AND (p.timeframe IS NULL OR p.timeframe = p_timeframe COLLATE "C")
   ORDER BY 1;
END $$;

-- Creates or replaces the policy named p_policy and appends its audit row, in one transaction.
-- SECURITY DEFINER: a role that may only EXECUTE action functions can call it. NULL thresholds
-- fall back to the default policy (the environment). Returns the stored policy and whether it
-- was new.
CREATE OR REPLACE FUNCTION policy_set(
  p_actor text, p_role text, p_source text, p_policy text, p_match text, p_pattern text, p_timeframe text,
  p_stall_minutes integer, p_lag_bars integer, p_source_stale_minutes integer, p_min_bars_per_run double precision,
  p_note text)
RETURNS jsonb LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  v_existed boolean;
  v_row health_policies;
  v_result jsonb;
BEGIN
  IF p_policy IS NULL OR p_policy !~ '^[a-z0-9][a-z0-9_-]{0,62}$' OR p_policy = 'default' THEN
    RAISE EXCEPTION 'policy_set: p_policy must be a name of lower-case letters, digits, - and _ (not "default"), got %',
      coalesce(quote_literal(p_policy), 'NULL') USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_match IS NULL OR p_match NOT IN ('exact', 'like') THEN
    RAISE EXCEPTION 'policy_set: p_match must be exact or like, got %', coalesce(quote_literal(p_match), 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_pattern IS NULL OR p_pattern = '' THEN
    RAISE EXCEPTION 'policy_set: p_pattern must be a symbol or a LIKE pattern' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_timeframe IS NOT NULL AND NOT EXISTS (SELECT 1 FROM agg_timeframes t WHERE t.timeframe = p_timeframe) THEN
    RAISE EXCEPTION 'policy_set: unknown timeframe p_timeframe=% (known: %; NULL for any)', quote_literal(p_timeframe),
      (SELECT string_agg(t.timeframe, ', ' ORDER BY t.step) FROM agg_timeframes t) USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_stall_minutes <= 0 OR p_lag_bars <= 0 OR p_source_stale_minutes <= 0 OR p_min_bars_per_run < 0 THEN
    RAISE EXCEPTION 'policy_set: thresholds must be positive (p_stall_minutes=%, p_lag_bars=%, p_source_stale_minutes=%) and p_min_bars_per_run >= 0 (got %)',
      p_stall_minutes, p_lag_bars, p_source_stale_minutes, p_min_bars_per_run USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF EXISTS (SELECT 1 FROM health_policies h WHERE h.match = p_match AND h.pattern = p_pattern COLLATE "C"
               AND h.timeframe IS NOT DISTINCT FROM p_timeframe COLLATE "C" AND h.policy <> p_policy COLLATE "C") THEN
    RAISE EXCEPTION 'policy_set: policy % already covers % % on %; change or remove it instead',
      (SELECT h.policy FROM health_policies h WHERE h.match = p_match AND h.pattern = p_pattern COLLATE "C"
          AND h.timeframe IS NOT DISTINCT FROM p_timeframe COLLATE "C"),
      p_match, quote_literal(p_pattern), coalesce(p_timeframe, 'any timeframe') USING ERRCODE = 'unique_violation';
  END IF;
  v_existed := EXISTS (SELECT 1 FROM health_policies h WHERE h.policy = p_policy COLLATE "C");
  INSERT INTO health_policies AS h (policy, match, pattern, timeframe, stall_minutes, lag_bars, source_stale_minutes,
                                    min_bars_per_run, note, updated_by, updated_at_utc)
  VALUES (p_policy, p_match, p_pattern, p_timeframe, p_stall_minutes, p_lag_bars, p_source_stale_minutes,
          p_min_bars_per_run, coalesce(p_note, ''), coalesce(p_actor, current_user), now())
  ON CONFLICT (policy) DO UPDATE SET match = EXCLUDED.match, pattern = EXCLUDED.pattern, timeframe = EXCLUDED.timeframe,
    stall_minutes = EXCLUDED.stall_minutes, lag_bars = EXCLUDED.lag_bars, source_stale_minutes = EXCLUDED.source_stale_minutes,
    min_bars_per_run = EXCLUDED.min_bars_per_run, note = EXCLUDED.note, updated_by = EXCLUDED.updated_by,
    updated_at_utc = EXCLUDED.updated_at_utc
  RETURNING h.* INTO v_row;
  v_result := to_jsonb(v_row) || jsonb_build_object('created', NOT v_existed);
  PERFORM record_operator_action(p_actor, p_role, p_source, 'policy.set', 'policy:' || p_policy,
    jsonb_build_object('match', p_match, 'pattern', p_pattern, 'timeframe', p_timeframe, 'stall_minutes', p_stall_minutes,
                       'lag_bars', p_lag_bars, 'source_stale_minutes', p_source_stale_minutes,
                       'min_bars_per_run', p_min_bars_per_run, 'note', p_note),
    v_result, true);
  RETURN v_result;
END $$;

-- Removes a policy (its pairs go back to the next policy that matches, or the default) and
-- appends its audit row. Raises when there is no such policy.
CREATE OR REPLACE FUNCTION policy_remove(p_actor text, p_role text, p_source text, p_policy text)
RETURNS jsonb LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  v_row health_policies;
BEGIN
  DELETE FROM health_policies h WHERE h.policy = p_policy COLLATE "C" RETURNING h.* INTO v_row;
  IF v_row.policy IS NULL THEN
    RAISE EXCEPTION 'policy_remove: no policy p_policy=% (known: %)', coalesce(quote_literal(p_policy), 'NULL'),
      coalesce((SELECT string_agg(h.policy, ', ' ORDER BY h.policy) FROM health_policies h), 'none')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM record_operator_action(p_actor, p_role, p_source, 'policy.remove', 'policy:' || p_policy, '{}'::jsonb,
    to_jsonb(v_row), true);
  RETURN to_jsonb(v_row);
END $$;

REVOKE ALL ON FUNCTION policy_set(text, text, text, text, text, text, text, integer, integer, integer, double precision, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION policy_remove(text, text, text, text) FROM PUBLIC;
