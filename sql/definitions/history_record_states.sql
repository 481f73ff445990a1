-- The history of every pair's health state (docs/HISTORY.md), written by one process at a
-- time (the history writer, lib/history/); the tables are in sql/010_state_history.sql.
-- State names are plain text: the health states are defined in TypeScript (HEALTH_STATES),
-- and a new one must not need a change here.

-- One evaluation: the state every pair is observed in now (computed by the health rules), recorded
-- against what the database holds — never against a writer's memory, so a standby that takes
-- over carries on where the last writer stopped, and a call repeated changes nothing.
--  * a state must be observed for p_settle_seconds before it is recorded (since = when it was
--    first observed);
--  * more than p_flap_changes observed changes within p_flap_window_seconds: one interval
--    flagged flapping, and nothing more is recorded until the observed state holds for
--    max(settle, window / 2);
--  * pairs no longer passed (unregistered) have their interval closed.
-- One statement per step over the whole array: cheap at 30,000 pairs, writes only what changed.
CREATE OR REPLACE FUNCTION history_record_states(
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
