-- The Alertmanager silence of an acknowledgement (sql/021, docs/ACTIONS.md "The silence"):
-- whether an ack is current, and the bookkeeping of the silence the product made for it. The
-- HTTP calls are the ack routes' (lib/actions/ack-silence.ts) and the history writer's
-- (lib/alertmanager/reconcile.ts); this only records.

-- An ack is current while not ended (replaced, withdrawn), not past its until, and its problem
-- lasts: its incident open, or its pair in no quiet state since it was made. The same rule as
-- lib/queries/acks.ts; PL/pgSQL, so this file does not depend on history_is_problem's file
-- being applied first.
CREATE OR REPLACE FUNCTION ack_is_current(p_ack_id bigint)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE
  a acknowledgements%ROWTYPE;
BEGIN
  SELECT * INTO a FROM acknowledgements WHERE ack_id = p_ack_id;
  IF NOT FOUND OR a.ended_at_utc IS NOT NULL OR (a.until_utc IS NOT NULL AND a.until_utc <= now()) THEN
    RETURN false;
  END IF;
  IF a.incident_id IS NOT NULL THEN
    RETURN EXISTS (SELECT 1 FROM incidents WHERE incident_id = a.incident_id AND resolved_at IS NULL);
  END IF;
  RETURN NOT EXISTS (SELECT 1 FROM pair_state_intervals s
                      WHERE s.canonical_symbol = a.canonical_symbol AND s.timeframe = a.timeframe
                        AND (s.until IS NULL OR s.until > a.at_utc) AND NOT history_is_problem(s.state));
END $$;

-- Records what happened to an ack's silence; returns whether the row changed. Only the
-- product's own silence is ever named: 'active' stores an id where the ack holds none (or holds
-- p_previous_id, when extending gave a new id); 'failed' and 'none' only where it holds none;
-- 'expired' only the id it holds. So a route and the reconciler racing cannot lose an id:
-- the loser learns false and expires the silence it just made.
CREATE OR REPLACE FUNCTION ack_silence_record(
  p_ack_id bigint, p_state text, p_silence_id text, p_error text, p_ends_at timestamptz, p_previous_id text DEFAULT NULL)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET lock_timeout = '5s' AS $$
BEGIN
  IF p_ack_id IS NULL THEN
    RAISE EXCEPTION 'ack_silence_record: p_ack_id must name an acknowledgement' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_state IS NULL OR p_state NOT IN ('active', 'failed', 'expired', 'none') THEN
    RAISE EXCEPTION 'ack_silence_record: p_state must be active, failed, expired or none, got %',
      coalesce(quote_literal(p_state), 'NULL') USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_state IN ('active', 'expired') AND (p_silence_id IS NULL OR btrim(p_silence_id) = '') THEN
    RAISE EXCEPTION 'ack_silence_record: p_silence_id must name the silence when p_state is %', p_state
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_state = 'active' THEN
    UPDATE acknowledgements
       SET silence_id = p_silence_id, silence_state = 'active', silence_error = NULL,
           silence_ends_at = p_ends_at, silence_updated_at = now()
     WHERE ack_id = p_ack_id
       AND ((silence_id IS NULL AND silence_state IS DISTINCT FROM 'none')
            OR silence_id = coalesce(p_previous_id, p_silence_id));
  ELSIF p_state = 'expired' THEN
    UPDATE acknowledgements
       SET silence_state = 'expired', silence_error = NULL, silence_updated_at = now()
     WHERE ack_id = p_ack_id AND silence_id = p_silence_id;
  ELSE
    UPDATE acknowledgements
       SET silence_state = p_state, silence_error = left(p_error, 500), silence_updated_at = now()
     WHERE ack_id = p_ack_id AND silence_id IS NULL;
  END IF;
  RETURN FOUND;
END $$;

REVOKE ALL ON FUNCTION ack_silence_record(bigint, text, text, text, timestamptz, text) FROM PUBLIC;
