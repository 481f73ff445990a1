-- 010: the history of every pair's health state, and incidents that group problems by cause.
-- Written by one process at a time (the history writer, lib/history/); read by the dashboard.
-- See docs/HISTORY.md for the rules (settle time, flapping, grouping) this file implements.
-- State names are plain text: the health states are defined by lib/types.ts (HEALTH_STATES),
-- and a new one (e.g. CLOSED) must not need a migration here.

-- One row per pair: the recorded (settled) state, whose open interval it points at, and what
-- the last evaluation observed (which may not have held for the settle time yet).
CREATE TABLE pair_state_current (
  canonical_symbol text COLLATE "C" NOT NULL,
  timeframe text COLLATE "C" NOT NULL,
  state text NOT NULL,
  state_since timestamptz NOT NULL,
  flapping boolean NOT NULL DEFAULT false,
  interval_id bigint NOT NULL,
  observed_state text NOT NULL,
  observed_since timestamptz NOT NULL,
  observed_reason text,
  -- times the observed state changed, recent ones only (the flapping window)
  changes timestamptz[] NOT NULL DEFAULT '{}',
  -- a FAILING pair's last_error as last grouped, and its normalised form (incident_error_key):
  -- kept so that an evaluation normalises only the errors that changed
  cause_error text,
  cause_detail text,
  PRIMARY KEY (canonical_symbol, timeframe)
);

-- One row per recorded state of a pair: [since, until); until IS NULL for the current one.
CREATE TABLE pair_state_intervals (
  interval_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  canonical_symbol text COLLATE "C" NOT NULL,
  timeframe text COLLATE "C" NOT NULL,
  state text NOT NULL CHECK (state ~ '^[A-Z_]+$'),
  since timestamptz NOT NULL,
  until timestamptz,
  reason text,
  flapping boolean NOT NULL DEFAULT false,
  CONSTRAINT pair_state_intervals_ordered CHECK (until IS NULL OR until >= since)
);
-- At most one open interval per pair, whatever the number of writers.
CREATE UNIQUE INDEX pair_state_intervals_open ON pair_state_intervals (canonical_symbol, timeframe) WHERE until IS NULL;
CREATE INDEX pair_state_intervals_pair ON pair_state_intervals (canonical_symbol, timeframe, since DESC);
CREATE INDEX pair_state_intervals_until ON pair_state_intervals (until) WHERE until IS NOT NULL;

CREATE TABLE incidents (
  incident_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- what groups its pairs: scope|state|symbol|normalised error (see history_record_states)
  cause_key text NOT NULL,
  scope text NOT NULL CHECK (scope IN ('symbol', 'global')),
  state text NOT NULL,
  symbol text COLLATE "C",
  -- the normalised error of a FAILING incident, '' otherwise
  detail text NOT NULL DEFAULT '',
  opened_at timestamptz NOT NULL,
  resolved_at timestamptz,
  -- its pairs moved to this (global) incident when it resolved
  merged_into bigint REFERENCES incidents (incident_id) ON DELETE SET NULL,
  -- pairs and symbols ever in it, and in it now: kept by the writer, so that a list of
  -- incidents never counts the 30,000 pairs of a global one per request
  pair_count integer NOT NULL DEFAULT 0,
  symbol_count integer NOT NULL DEFAULT 0,
  open_pair_count integer NOT NULL DEFAULT 0,
  open_symbol_count integer NOT NULL DEFAULT 0,
  CONSTRAINT incidents_ordered CHECK (resolved_at IS NULL OR resolved_at >= opened_at)
);
CREATE UNIQUE INDEX incidents_open_key ON incidents (cause_key) WHERE resolved_at IS NULL;
CREATE INDEX incidents_resolved ON incidents (resolved_at DESC) WHERE resolved_at IS NOT NULL;

CREATE TABLE incident_pairs (
  incident_id bigint NOT NULL REFERENCES incidents (incident_id) ON DELETE CASCADE,
  canonical_symbol text COLLATE "C" NOT NULL,
  timeframe text COLLATE "C" NOT NULL,
  joined_at timestamptz NOT NULL,
  left_at timestamptz,
  PRIMARY KEY (incident_id, canonical_symbol, timeframe)
);
-- A pair is in at most one open membership.
CREATE UNIQUE INDEX incident_pairs_open ON incident_pairs (canonical_symbol, timeframe) WHERE left_at IS NULL;

-- The error of a FAILING pair without what differs between its runs and timeframes: the first
-- line, the pair's own symbol, timestamps, timeframes and numbers.
CREATE FUNCTION incident_error_key(p_error text, p_symbol text)
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

-- The states that are no problem and never open an incident. CLOSED (a market outside its
-- session) is listed before it exists so that adding it needs no change here.
CREATE FUNCTION history_is_problem(p_state text)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN p_state NOT IN ('OK', 'DISABLED', 'CLOSED');

-- Groups the recorded problem states into incidents; called by history_record_states in its
-- transaction. A pair's cause is its state, its symbol and, when FAILING, its normalised error
-- (pair_state_current.cause_detail);
-- a cause found on p_global_symbols symbols or more is one global incident for all of them.
CREATE FUNCTION history_group_incidents(p_now timestamptz, p_global_symbols integer)
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

-- One evaluation: the state every pair is observed in now (computed by lib/health.ts), recorded
-- against what the database holds — never against a writer's memory, so a standby that takes
-- over carries on where the last writer stopped, and a call repeated changes nothing.
--  * a state must be observed for p_settle_seconds before it is recorded (since = when it was
--    first observed);
--  * more than p_flap_changes observed changes within p_flap_window_seconds: one interval
--    flagged flapping, and nothing more is recorded until the observed state holds for
--    max(settle, window / 2);
--  * pairs no longer passed (unregistered) have their interval closed.
-- One statement per step over the whole array: cheap at 30,000 pairs, writes only what changed.
CREATE FUNCTION history_record_states(
  p_symbols text[], p_timeframes text[], p_states text[], p_reasons text[],
  p_settle_seconds double precision, p_flap_window_seconds double precision, p_flap_changes integer,
  p_global_symbols integer)
RETURNS jsonb LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
DECLARE
  v_started timestamptz := clock_timestamp();
  v_now timestamptz;
  v_window interval;
  v_settle interval;
  v_calm interval;
  v_changed integer;
  v_new integer;
  v_gone integer;
  v_recorded integer;
  v_causes integer;
  v_incidents jsonb;
BEGIN
  IF p_symbols IS NULL OR p_timeframes IS NULL OR p_states IS NULL OR p_reasons IS NULL THEN
    RAISE EXCEPTION 'history_record_states: p_symbols, p_timeframes, p_states and p_reasons must not be NULL'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF cardinality(p_timeframes) <> cardinality(p_symbols) OR cardinality(p_states) <> cardinality(p_symbols)
     OR cardinality(p_reasons) <> cardinality(p_symbols) THEN
    RAISE EXCEPTION 'history_record_states: p_symbols (%), p_timeframes (%), p_states (%) and p_reasons (%) must have the same length',
      cardinality(p_symbols), cardinality(p_timeframes), cardinality(p_states), cardinality(p_reasons)
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_settle_seconds IS NULL OR p_settle_seconds < 0 THEN
    RAISE EXCEPTION 'history_record_states: p_settle_seconds must be >= 0, got %', p_settle_seconds USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_flap_window_seconds IS NULL OR p_flap_window_seconds <= 0 THEN
    RAISE EXCEPTION 'history_record_states: p_flap_window_seconds must be > 0, got %', p_flap_window_seconds USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_flap_changes IS NULL OR p_flap_changes < 1 THEN
    RAISE EXCEPTION 'history_record_states: p_flap_changes must be >= 1, got %', p_flap_changes USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_global_symbols IS NULL OR p_global_symbols < 2 THEN
    RAISE EXCEPTION 'history_record_states: p_global_symbols must be >= 2, got %', p_global_symbols USING ERRCODE = 'invalid_parameter_value';
  END IF;

  -- Two processes that both believe they write (the old writer's last call still running while
  -- a standby takes over) run one after the other, and the second sees the first one's rows.
  -- EXCLUSIVE lets the dashboard's readers through.
  LOCK TABLE pair_state_current IN EXCLUSIVE MODE;
  v_now := clock_timestamp();
  v_window := make_interval(secs => p_flap_window_seconds);
  v_settle := make_interval(secs => p_settle_seconds);
  v_calm := greatest(v_settle, v_window / 2);

  -- What differs from the stored observation: one pass over the arrays and one hash join,
  -- whatever the number of pairs; every step after it works on these few rows only.
  IF to_regclass('pg_temp.history_diff') IS NULL THEN
    CREATE TEMP TABLE history_diff (
      symbol text COLLATE "C", timeframe text COLLATE "C", state text, reason text, kind text NOT NULL
    ) ON COMMIT DELETE ROWS;
  END IF;
  DELETE FROM history_diff;
  INSERT INTO history_diff (symbol, timeframe, state, reason, kind)
  SELECT coalesce(o.symbol, c.canonical_symbol), coalesce(o.timeframe, c.timeframe), o.state, o.reason,
         CASE WHEN c.canonical_symbol IS NULL THEN 'new' WHEN o.symbol IS NULL THEN 'gone' ELSE 'changed' END
    FROM unnest(p_symbols, p_timeframes, p_states, p_reasons) AS o(symbol, timeframe, state, reason)
    FULL JOIN pair_state_current c ON c.canonical_symbol = o.symbol AND c.timeframe = o.timeframe
   WHERE c.canonical_symbol IS NULL OR o.symbol IS NULL OR c.observed_state IS DISTINCT FROM o.state;
  -- Unchanged rows equal a stored state that was checked when it was stored.
  IF EXISTS (SELECT 1 FROM history_diff
              WHERE kind <> 'gone' AND (symbol IS NULL OR timeframe IS NULL OR state IS NULL OR state !~ '^[A-Z_]+$')) THEN
    RAISE EXCEPTION 'history_record_states: p_symbols and p_timeframes must not contain NULL, p_states must be state names such as OK or FAILING'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  -- 1. The observed state changed: remember when, and count it towards flapping.
  UPDATE pair_state_current c
     SET observed_state = d.state, observed_since = v_now, observed_reason = d.reason,
         changes = ARRAY(SELECT t FROM unnest(c.changes) t WHERE t > v_now - v_window ORDER BY t) || v_now
    FROM history_diff d
   WHERE d.kind = 'changed' AND c.canonical_symbol = d.symbol AND c.timeframe = d.timeframe;
  GET DIAGNOSTICS v_changed = ROW_COUNT;

  -- 2. A pair seen for the first time: its state is recorded at once (nothing to settle against).
  WITH opened AS (
    INSERT INTO pair_state_intervals (canonical_symbol, timeframe, state, since, reason)
    SELECT symbol, timeframe, state, v_now, reason FROM history_diff WHERE kind = 'new'
    RETURNING interval_id, canonical_symbol, timeframe, state, reason
  )
  INSERT INTO pair_state_current (canonical_symbol, timeframe, state, state_since, interval_id,
                                  observed_state, observed_since, observed_reason)
  SELECT canonical_symbol, timeframe, state, v_now, interval_id, state, v_now, reason FROM opened;
  GET DIAGNOSTICS v_new = ROW_COUNT;

  -- 3. A pair no longer registered: its last interval ends now.
  WITH gone AS (
    DELETE FROM pair_state_current c USING history_diff d
     WHERE d.kind = 'gone' AND c.canonical_symbol = d.symbol AND c.timeframe = d.timeframe
    RETURNING c.interval_id
  ), closed AS (
    UPDATE pair_state_intervals i SET until = greatest(v_now, i.since)
      FROM gone g WHERE i.interval_id = g.interval_id AND i.until IS NULL
    RETURNING 1
  )
  SELECT count(*) INTO v_gone FROM gone;

  -- 4. Record what settled, start and end flapping. The new interval is inserted from the
  --    closed one's RETURNING, so a pair never has two open intervals, even for a moment.
  WITH decided AS (
    SELECT c.*,
           (SELECT count(*) FROM unnest(c.changes) t WHERE t > v_now - v_window) AS recent_changes
      FROM pair_state_current c
     WHERE c.flapping OR c.observed_state <> c.state OR cardinality(c.changes) > p_flap_changes
  ), acts AS (
    SELECT d.canonical_symbol, d.timeframe, d.interval_id, d.recent_changes, d.observed_reason, a.action,
           CASE a.action WHEN 'flap' THEN v_now ELSE greatest(d.observed_since, d.state_since) END AS at,
           -- flapping between OK and a problem is shown as the problem: it needs a look
           CASE WHEN a.action = 'flap' AND NOT history_is_problem(d.observed_state) AND history_is_problem(d.state)
                THEN d.state ELSE d.observed_state END AS new_state
      FROM decided d
     CROSS JOIN LATERAL (SELECT CASE
         WHEN NOT d.flapping AND d.recent_changes > p_flap_changes THEN 'flap'
         WHEN d.flapping AND v_now - d.observed_since >= v_calm THEN 'calm'
         WHEN NOT d.flapping AND d.observed_state <> d.state AND v_now - d.observed_since >= v_settle THEN 'settle'
       END AS action) a
     WHERE a.action IS NOT NULL
  ), closed AS (
    UPDATE pair_state_intervals i SET until = greatest(a.at, i.since)
      FROM acts a WHERE i.interval_id = a.interval_id AND i.until IS NULL
    RETURNING i.interval_id
  ), opened AS (
    INSERT INTO pair_state_intervals (canonical_symbol, timeframe, state, since, reason, flapping)
    SELECT a.canonical_symbol, a.timeframe, a.new_state, a.at,
           CASE WHEN a.action = 'flap'
                THEN format('flapping: %s changes in %s min; now %s', a.recent_changes,
                            round((p_flap_window_seconds / 60.0)::numeric, 1), a.observed_reason)
                ELSE a.observed_reason END,
           a.action = 'flap'
      FROM acts a JOIN closed c ON c.interval_id = a.interval_id
    RETURNING interval_id, canonical_symbol, timeframe, state, since, flapping
  )
  UPDATE pair_state_current c
     SET state = o.state, state_since = o.since, flapping = o.flapping, interval_id = o.interval_id,
         -- flapping ended: start counting afresh, or the old changes would flag it again at once
         changes = CASE WHEN c.flapping AND NOT o.flapping THEN '{}' ELSE c.changes END
    FROM opened o
   WHERE c.canonical_symbol = o.canonical_symbol AND c.timeframe = o.timeframe;
  GET DIAGNOSTICS v_recorded = ROW_COUNT;

  -- 5. FAILING pairs whose error changed: normalise those errors only.
  WITH fresh AS (
    SELECT c.canonical_symbol, c.timeframe, s.last_error, c.cause_detail AS old_detail,
           incident_error_key(s.last_error, c.canonical_symbol) AS detail
      FROM pair_state_current c
      JOIN data_agg_state s ON s.canonical_symbol = c.canonical_symbol AND s.timeframe = c.timeframe
     WHERE c.state = 'FAILING' AND s.last_error IS DISTINCT FROM c.cause_error
  ), stored AS (
    UPDATE pair_state_current c SET cause_error = f.last_error, cause_detail = f.detail
      FROM fresh f WHERE c.canonical_symbol = f.canonical_symbol AND c.timeframe = f.timeframe
    RETURNING 1
  )
  SELECT count(*) FILTER (WHERE detail IS DISTINCT FROM old_detail) INTO v_causes FROM fresh;

  -- 6. Incidents change only when a recorded state or a cause did: otherwise (the common case,
  --    and every evaluation of a long outage) there is nothing to regroup.
  IF v_recorded + v_new + v_gone + v_causes > 0 THEN
    v_incidents := history_group_incidents(v_now, p_global_symbols);
  ELSE
    v_incidents := jsonb_build_object('opened', 0, 'resolved', 0, 'joined', 0, 'left', 0, 'skipped', true);
  END IF;

  RETURN jsonb_build_object(
    'at', v_now, 'observed', cardinality(p_symbols), 'changed', v_changed, 'new_pairs', v_new,
    'gone', v_gone, 'recorded', v_recorded, 'incidents', v_incidents,
    'duration_ms', round(extract(epoch FROM clock_timestamp() - v_started) * 1000, 1));
END $$;

-- Bounded retention: deletes up to p_batch closed intervals and resolved incidents that ended
-- before the retention, oldest first; the writer calls it until it returns less than p_batch.
CREATE FUNCTION history_prune(p_retention_days integer, p_batch integer)
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
