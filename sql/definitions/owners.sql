-- Owners (docs/HEALTH.md, "Owners"); the table is in sql/020_owners.sql. owner_team resolves
-- one symbol; owner_set and owner_remove write with an audit row each.

-- The team that owns p_symbol, NULL when no row matches: an exact symbol beats a pattern, then
-- the most literal characters, then the pattern in byte order (the order of health policies,
-- sql/definitions/health_policies.sql). STABLE and plain SQL: callers join it per symbol.
CREATE OR REPLACE FUNCTION owner_team(p_symbol text)
RETURNS text LANGUAGE sql STABLE
-- Owner's rights: a read-only role may ask without SELECT on the table.
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT o.team::text
    FROM owners o
   WHERE agg_symbol_pattern_matches(o.match, o.pattern, p_symbol)
   ORDER BY agg_symbol_pattern_rank(o.match, o.pattern), o.pattern
   LIMIT 1
$$;

-- Gives the symbol or pattern to p_team (creating or replacing its row) and appends its audit
-- row, in one transaction. SECURITY DEFINER: a role that may only EXECUTE action functions can
-- call it. Returns the stored row, whether it was new and the team it replaced.
CREATE OR REPLACE FUNCTION owner_set(p_actor text, p_role text, p_source text, p_match text, p_pattern text,
                                     p_team text, p_note text)
RETURNS jsonb LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  v_previous text;
  v_row owners;
  v_result jsonb;
BEGIN
  IF p_match IS NULL OR p_match NOT IN ('exact', 'like') THEN
    RAISE EXCEPTION 'owner_set: p_match must be exact or like, got %', coalesce(quote_literal(p_match), 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_pattern IS NULL OR p_pattern = '' THEN
    RAISE EXCEPTION 'owner_set: p_pattern must be a symbol or a LIKE pattern' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_team IS NULL OR p_team !~ '^[a-z0-9][a-z0-9_-]{0,62}$' THEN
    RAISE EXCEPTION 'owner_set: p_team must be a name of lower-case letters, digits, - and _, got %',
      coalesce(quote_literal(p_team), 'NULL') USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT o.team INTO v_previous FROM owners o WHERE o.match = p_match AND o.pattern = p_pattern COLLATE "C";
  INSERT INTO owners AS o (match, pattern, team, note, updated_by, updated_at_utc)
  VALUES (p_match, p_pattern, p_team, coalesce(p_note, ''), coalesce(p_actor, current_user), now())
  ON CONFLICT (match, pattern) DO UPDATE SET team = EXCLUDED.team, note = EXCLUDED.note,
    updated_by = EXCLUDED.updated_by, updated_at_utc = EXCLUDED.updated_at_utc
  RETURNING o.* INTO v_row;
  v_result := to_jsonb(v_row) || jsonb_build_object('created', v_previous IS NULL, 'previous_team', v_previous);
  PERFORM record_operator_action(p_actor, p_role, p_source, 'owner.set', 'owner:' || p_match || ':' || p_pattern,
    jsonb_build_object('match', p_match, 'pattern', p_pattern, 'team', p_team, 'note', p_note), v_result, true);
  RETURN v_result;
END $$;

-- Removes the row for a symbol or pattern (its symbols go to the next row that matches, or to
-- no team) and appends its audit row. Raises when there is no such row.
CREATE OR REPLACE FUNCTION owner_remove(p_actor text, p_role text, p_source text, p_match text, p_pattern text)
RETURNS jsonb LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  v_row owners;
BEGIN
  DELETE FROM owners o WHERE o.match = p_match AND o.pattern = p_pattern COLLATE "C" RETURNING o.* INTO v_row;
  IF v_row.pattern IS NULL THEN
    RAISE EXCEPTION 'owner_remove: no owner for % p_pattern=% (known: %)', coalesce(p_match, 'NULL'),
      coalesce(quote_literal(p_pattern), 'NULL'),
      coalesce((SELECT string_agg(o.match || ' ' || o.pattern, ', ' ORDER BY o.match, o.pattern) FROM owners o), 'none')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM record_operator_action(p_actor, p_role, p_source, 'owner.remove', 'owner:' || p_match || ':' || p_pattern,
    '{}'::jsonb, to_jsonb(v_row), true);
  RETURN to_jsonb(v_row);
END $$;

REVOKE ALL ON FUNCTION owner_set(text, text, text, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION owner_remove(text, text, text, text, text) FROM PUBLIC;
