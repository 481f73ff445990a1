-- The audit log of operator actions: every action from the dashboard, the API or `npm run ops`
-- appends one row (definitions/record_operator_action.sql). Nothing edits or deletes a row but
-- retention.
CREATE TABLE IF NOT EXISTS operator_actions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at_utc timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  source text NOT NULL CHECK (source IN ('ui', 'api', 'ops')),
  action text NOT NULL,
  target text NOT NULL,
  args jsonb NOT NULL DEFAULT '{}'::jsonb,
  result jsonb,
  ok boolean NOT NULL
);

CREATE INDEX IF NOT EXISTS operator_actions_at_idx ON operator_actions (at_utc DESC);
CREATE INDEX IF NOT EXISTS operator_actions_target_idx ON operator_actions (target, at_utc DESC);
