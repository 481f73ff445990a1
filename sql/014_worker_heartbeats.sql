-- One row per worker process, refreshed every pass (lib/worker/heartbeat.ts): GET /api/workers
-- lists them with their age, and the overview and the wall say when none has beaten for more than
-- two intervals. On a replica, the newest beat_utc is also the replicated clock that measures lag
-- (a primary's worker beats every pass, so an idle primary still moves it).
CREATE TABLE IF NOT EXISTS worker_heartbeats (
  worker_id text PRIMARY KEY,
  host text NOT NULL,
  pid integer NOT NULL,
  version text NOT NULL,
  started_at_utc timestamptz NOT NULL,
  beat_utc timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS worker_heartbeats_beat_idx ON worker_heartbeats (beat_utc DESC);

-- The read-only dashboard role (db/roles/dashboard-readonly.sql) reads it when it exists.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontier_dashboard') THEN
    GRANT SELECT ON worker_heartbeats TO frontier_dashboard;
  END IF;
END $$;
