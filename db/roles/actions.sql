-- The dashboard's write role: it may EXECUTE the product's action functions
-- (sql/definitions/operator_pair_actions.sql, the acknowledgements of
-- sql/definitions/acknowledgements.sql (and their withdrawal and silence bookkeeping), maintenance windows, health policies and owners of
-- sql/definitions/maintenance_windows.sql, health_policies.sql and owners.sql) and record_operator_action, and holds no right on any
-- table: every write it can make is one of those functions, each of which appends its
-- operator_actions row. Run once per database as an owner of the pipeline's tables, then give
-- the role a password:
--   psql "$DATABASE_URL" -f db/roles/actions.sql
--   psql "$DATABASE_URL" -c "ALTER ROLE frontier_actions PASSWORD '…'"
-- and start the dashboard with DATABASE_WRITE_URL=postgres://frontier_actions:…@host/db (its
-- reads stay on DATABASE_URL, e.g. the read-only frontier_dashboard of dashboard-readonly.sql).
-- Run it again after a migration that adds an action function: the grants name each one
-- (npm run db:migrate warns when the role lacks one: lib/server/role-grants.ts).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontier_actions') THEN
    CREATE ROLE frontier_actions LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO frontier_actions', current_database());
END $$;

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM frontier_actions;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM frontier_actions;
REVOKE CREATE ON SCHEMA public FROM frontier_actions;
GRANT USAGE ON SCHEMA public TO frontier_actions;
GRANT EXECUTE ON FUNCTION
  action_retry_pair(text, text, text, text, text, text),
  action_set_pair_enabled(text, text, text, text, text, boolean, text),
  action_bootstrap_pair(text, text, text, text, text, boolean, text),
  action_reset_pair(text, text, text, text, text, boolean, text),
  action_repair_range(text, text, text, text, text, timestamptz, timestamptz, boolean, text),
  action_ack_incident(text, text, text, bigint, text, timestamptz),
  action_ack_pair(text, text, text, text, text, text, timestamptz),
  action_unack_incident(text, text, text, bigint, text),
  action_unack_pair(text, text, text, text, text, text),
  ack_silence_record(bigint, text, text, text, timestamptz, text),
  maintenance_add(text, text, text, text, text, text, timestamptz, timestamptz, text),
  maintenance_end(text, text, text, bigint),
  policy_set(text, text, text, text, text, text, text, integer, integer, integer, double precision, text),
  policy_remove(text, text, text, text),
  owner_set(text, text, text, text, text, text, text),
  owner_remove(text, text, text, text, text),
  record_operator_action(text, text, text, text, text, jsonb, jsonb, boolean)
  TO frontier_actions;
