-- How a row naming a symbol or a LIKE pattern (health policies, maintenance windows, owners,
-- market calendar assignments: each has `match` 'exact' | 'like' and `pattern`) applies to one
-- symbol, written once. Plain IMMUTABLE SQL, so the planner inlines both where they are called.

-- Whether the row (p_match, p_pattern) covers p_symbol; byte order ("C"), as the tables' keys.
CREATE OR REPLACE FUNCTION agg_symbol_pattern_matches(p_match text, p_pattern text, p_symbol text)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (p_match = 'exact' AND p_pattern = p_symbol COLLATE "C")
      OR (p_match = 'like' AND p_symbol COLLATE "C" LIKE p_pattern)
$$;

-- Where the row ranks among the rows covering one symbol, lower first: an exact symbol beats
-- any pattern, then the pattern with the most literal characters (not % or _). Callers break
-- the remaining ties themselves (the pattern or the name, in byte order).
CREATE OR REPLACE FUNCTION agg_symbol_pattern_rank(p_match text, p_pattern text)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN p_match = 'exact' THEN 0 ELSE 1000000 - length(replace(replace(p_pattern, '%', ''), '_', '')) END
$$;
