-- 016: acknowledgements (SPEC §12 "Acknowledge"): an operator says "I have seen this" about an
-- open incident or a pair in a problem state, with a note and an optional end time. Written only
-- by action_ack_incident / action_ack_pair (definitions/acknowledgements.sql), each of which also
-- appends its operator_actions row. An ack is *current* while ended_at_utc is NULL, until_utc is
-- NULL or in the future, and its incident is still open / its pair still in a problem state:
-- decided when read (docs/ACTIONS.md), so nothing has to run for an ack to end.
CREATE TABLE IF NOT EXISTS acknowledgements (
  ack_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- an incident's ack, or a pair's: exactly one of the two. No foreign key: the history's
  -- retention (history_prune) and its tests' TRUNCATE stay as they are; an ack of a pruned
  -- incident is never current (the read joins incidents) and stays as the record of it.
  incident_id bigint,
  canonical_symbol text COLLATE "C",
  timeframe text COLLATE "C",
  acked_by text NOT NULL CHECK (btrim(acked_by) <> ''),
  role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  note text NOT NULL CHECK (char_length(note) BETWEEN 1 AND 500),
  at_utc timestamptz NOT NULL DEFAULT now(),
  until_utc timestamptz,
  -- set when a newer ack of the same target replaces it ('replaced'); the other ends are read
  ended_at_utc timestamptz,
  ended_reason text,
  audit_id bigint,
  CONSTRAINT acknowledgements_one_target CHECK (
    (incident_id IS NOT NULL AND canonical_symbol IS NULL AND timeframe IS NULL)
    OR (incident_id IS NULL AND canonical_symbol IS NOT NULL AND timeframe IS NOT NULL)),
  CONSTRAINT acknowledgements_until CHECK (until_utc IS NULL OR until_utc > at_utc),
  CONSTRAINT acknowledgements_ended CHECK ((ended_at_utc IS NULL) = (ended_reason IS NULL))
);

-- At most one un-ended ack per target: a newer one ends it first (two at once: one fails, logged).
CREATE UNIQUE INDEX IF NOT EXISTS acknowledgements_incident ON acknowledgements (incident_id)
  WHERE ended_at_utc IS NULL AND incident_id IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS acknowledgements_pair ON acknowledgements (canonical_symbol, timeframe)
  WHERE ended_at_utc IS NULL AND incident_id IS NULL;
