-- Incidents: problems grouped by cause (docs/HISTORY.md). Called by history_record_states;
-- the tables are in sql/010_state_history.sql.

-- The error of a FAILING pair without what differs between its runs and timeframes: the first
-- line, the pair's own symbol, timestamps, timeframes and numbers.
CREATE OR REPLACE FUNCTION incident_error_key(p_error text, p_symbol text)
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  v text := split_part(coalesce(p_error, ''), E'\n', 1);
BEGIN
  IF coalesce(p_symbol, '') <> '' THEN
    v := regexp_replace(v,
      '(^|[^A-Za-z0-9_])' || regexp_replace(p_symbol, '([.^$*+?()\[\]{}|\\/-])', '\\\1', 'g') || '(?=$|[^A-Za-z0-9_])',
      '\1<symbol>', 'g');
  END IF;
  v := regexp_replace(v, '\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?', '<time>', 'g');
  -- timeframes and durations (5m, 1h, 30s): the same error on 5m and on 1h is one cause
  v := regexp_replace(v, '\m\d+[smhdw]\M', '<tf>', 'g');
  v := regexp_replace(v, '\d+(\.\d+)?', '#', 'g');
  v := regexp_replace(btrim(v), '\s+', ' ', 'g');
  RETURN left(v, 200);
END $$;

-- The states that are no problem and never open an incident (CLOSED: a market outside its
-- session; MAINTENANCE: a problem inside a planned maintenance window, docs/MAINTENANCE.md).
CREATE OR REPLACE FUNCTION history_is_problem(p_state text)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN p_state NOT IN ('OK', 'DISABLED', 'CLOSED', 'MAINTENANCE');

-- Groups the recorded problem states into incidents; called by history_record_states in its
-- transaction. A pair's cause is its state, its symbol and, when FAILING, its normalised error
-- (pair_state_current.cause_detail);
-- a cause found on p_global_symbols symbols or more is one global incident for all of them.
CREATE OR REPLACE FUNCTION history_group_incidents(p_now timestamptz, p_global_symbols integer)
RETURNS jsonb LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
DECLARE
  v_opened integer;
  v_joined integer;
  v_left integer;
  v_resolved integer;
BEGIN
  -- Per session, created once: the writer keeps one connection for as long as it writes.
  IF to_regclass('pg_temp.history_problem_pairs') IS NULL THEN
    CREATE TEMP TABLE history_problem_pairs (
      symbol text COLLATE "C" NOT NULL,
      timeframe text COLLATE "C" NOT NULL,
      state text NOT NULL,
      since timestamptz NOT NULL,
      detail text NOT NULL,
      scope text NOT NULL DEFAULT 'symbol',
      cause_key text,
      PRIMARY KEY (symbol, timeframe)
    ) ON COMMIT DELETE ROWS;
  END IF;
  DELETE FROM history_problem_pairs;

  -- Global: the cause is on many symbols now, or its global incident is still open (it keeps
  -- collecting its cause's pairs below the threshold too, until its last pair recovers).
  INSERT INTO history_problem_pairs (symbol, timeframe, state, since, detail, scope, cause_key)
  WITH problems AS (
    SELECT canonical_symbol AS symbol, timeframe, state, state_since AS since,
           CASE WHEN state = 'FAILING' THEN coalesce(cause_detail, '') ELSE '' END AS detail
      FROM pair_state_current
     WHERE history_is_problem(state)
  ), global AS (
    SELECT state, detail FROM problems GROUP BY state, detail HAVING count(DISTINCT symbol) >= p_global_symbols
    UNION
    SELECT state, detail FROM incidents WHERE resolved_at IS NULL AND scope = 'global'
  )
  SELECT p.symbol, p.timeframe, p.state, p.since, p.detail,
         CASE WHEN g.state IS NULL THEN 'symbol' ELSE 'global' END,
         -- unit separators: no symbol or error holds one, so keys cannot collide
         CASE WHEN g.state IS NULL THEN concat_ws(E'\x1f', 'symbol', p.state, p.detail, p.symbol)
              ELSE concat_ws(E'\x1f', 'global', p.state, p.detail) END
    FROM problems p
    LEFT JOIN global g ON g.state = p.state AND g.detail = p.detail;

  -- A new cause opens an incident that began when its earliest pair entered the state.
  WITH opened AS (
    INSERT INTO incidents (cause_key, scope, state, symbol, detail, opened_at)
    SELECT p.cause_key, min(p.scope), min(p.state),
           CASE WHEN min(p.scope) = 'symbol' THEN min(p.symbol) END, min(p.detail), least(min(p.since), p_now)
      FROM history_problem_pairs p
     WHERE NOT EXISTS (SELECT 1 FROM incidents i WHERE i.resolved_at IS NULL AND i.cause_key = p.cause_key)
     GROUP BY p.cause_key
    RETURNING 1)
  SELECT count(*) INTO v_opened FROM opened;

  -- Memberships that no longer hold: the pair recovered, or its cause changed (or went global).
  UPDATE incident_pairs ip SET left_at = greatest(p_now, ip.joined_at)
   WHERE ip.left_at IS NULL
     AND NOT EXISTS (
       SELECT 1 FROM history_problem_pairs p
         JOIN incidents i ON i.cause_key = p.cause_key AND i.resolved_at IS NULL
        WHERE p.symbol = ip.canonical_symbol AND p.timeframe = ip.timeframe AND i.incident_id = ip.incident_id);
  GET DIAGNOSTICS v_left = ROW_COUNT;

  INSERT INTO incident_pairs (incident_id, canonical_symbol, timeframe, joined_at)
  SELECT i.incident_id, p.symbol, p.timeframe, greatest(p.since, i.opened_at)
    FROM history_problem_pairs p
    JOIN incidents i ON i.cause_key = p.cause_key AND i.resolved_at IS NULL
   WHERE NOT EXISTS (SELECT 1 FROM incident_pairs ip
                      WHERE ip.canonical_symbol = p.symbol AND ip.timeframe = p.timeframe AND ip.left_at IS NULL)
  ON CONFLICT (incident_id, canonical_symbol, timeframe) DO UPDATE SET left_at = NULL;
  GET DIAGNOSTICS v_joined = ROW_COUNT;

  -- Resolved when its last pair left; merged when its pairs moved now into the global incident
  -- of the same cause (a pair that changed state just left: that is no merge).
  UPDATE incidents i
     SET resolved_at = greatest(p_now, i.opened_at),
         merged_into = (SELECT g.incident_id
                          FROM incident_pairs ip
                          JOIN incident_pairs ip2 ON ip2.canonical_symbol = ip.canonical_symbol
                                                 AND ip2.timeframe = ip.timeframe AND ip2.left_at IS NULL
                          JOIN incidents g ON g.incident_id = ip2.incident_id AND g.scope = 'global'
                                          AND g.state = i.state AND g.detail = i.detail
                         WHERE ip.incident_id = i.incident_id AND ip.left_at = p_now AND i.scope = 'symbol'
                         LIMIT 1)
   WHERE i.resolved_at IS NULL
     AND NOT EXISTS (SELECT 1 FROM incident_pairs ip WHERE ip.incident_id = i.incident_id AND ip.left_at IS NULL);
  GET DIAGNOSTICS v_resolved = ROW_COUNT;

  -- The counts of every incident whose membership may have changed: the open ones and those
  -- resolved now.
  UPDATE incidents i
     SET pair_count = m.pairs, symbol_count = m.symbols, open_pair_count = m.open_pairs, open_symbol_count = m.open_symbols
    FROM (SELECT ip.incident_id, count(*)::int AS pairs, count(DISTINCT ip.canonical_symbol)::int AS symbols,
                 count(*) FILTER (WHERE ip.left_at IS NULL)::int AS open_pairs,
                 count(DISTINCT ip.canonical_symbol) FILTER (WHERE ip.left_at IS NULL)::int AS open_symbols
            FROM incident_pairs ip
            JOIN incidents x ON x.incident_id = ip.incident_id AND (x.resolved_at IS NULL OR x.resolved_at = p_now)
           GROUP BY ip.incident_id) m
   WHERE i.incident_id = m.incident_id
     AND (i.pair_count, i.symbol_count, i.open_pair_count, i.open_symbol_count) IS DISTINCT FROM (m.pairs, m.symbols, m.open_pairs, m.open_symbols);

  RETURN jsonb_build_object('opened', v_opened, 'resolved', v_resolved, 'joined', v_joined, 'left', v_left);
END $$;
