-- 021: the Alertmanager silence of an acknowledgement (SPEC §12 "Acknowledge": with
-- ALERTMANAGER_URL set, an ack creates a silence until it ends). Only columns this product
-- fills: the silence it made for the ack, so that it expires only silences it created.
-- Written by ack_silence_record (definitions/acknowledgements_silences.sql), from the ack
-- routes (lib/actions/ack-silence.ts) and the history writer's reconciler
-- (lib/alertmanager/reconcile.ts); docs/ACTIONS.md "The silence".
ALTER TABLE acknowledgements
  ADD COLUMN IF NOT EXISTS silence_id text,
  -- NULL: not looked at yet; active: silence_id is silencing; failed: Alertmanager refused or
  -- was unreachable (silence_error says why), retried while the ack is current; expired: the
  -- ack ended and its silence was expired; none: the ack ended before a silence was made.
  ADD COLUMN IF NOT EXISTS silence_state text,
  ADD COLUMN IF NOT EXISTS silence_error text,
  -- the endsAt given to Alertmanager (a bounded horizon is extended while the ack is current)
  ADD COLUMN IF NOT EXISTS silence_ends_at timestamptz,
  ADD COLUMN IF NOT EXISTS silence_updated_at timestamptz;

ALTER TABLE acknowledgements DROP CONSTRAINT IF EXISTS acknowledgements_silence_state;
ALTER TABLE acknowledgements ADD CONSTRAINT acknowledgements_silence_state
  CHECK (silence_state IS NULL OR silence_state IN ('active', 'failed', 'expired', 'none'));

-- What the reconciler reads each pass: the acks whose silence may still need work.
CREATE INDEX IF NOT EXISTS acknowledgements_silence_work ON acknowledgements (ack_id)
  WHERE silence_state IS NULL OR silence_state IN ('active', 'failed');
