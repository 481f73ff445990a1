-- The dashboard needs SELECT on eleven relations and, to tell how far a standby it reads is behind
-- the primary, pg_stat_wal_receiver's status: membership of pg_read_all_stats (inherited: the one
-- role it is a member of), nothing else (market sessions' view of sql/009;
-- the state history and incidents of sql/010, which a worker writes; the worker heartbeats of
-- sql/014; the audit log of sql/015). Run once per database as an owner of the pipeline's tables, then give the role a password:
--   psql "$DATABASE_URL" -f db/roles/dashboard-readonly.sql
--   psql "$DATABASE_URL" -c "ALTER ROLE frontier_dashboard PASSWORD '…'"
-- and start the dashboard with DATABASE_URL=postgres://frontier_dashboard:…@host/db.
-- The view reads bars_1m with its owner's rights, so the role never touches the raw bars.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontier_dashboard') THEN
    CREATE ROLE frontier_dashboard LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT;
  END IF;
  ALTER ROLE frontier_dashboard INHERIT;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO frontier_dashboard', current_database());
  EXECUTE format('ALTER ROLE frontier_dashboard IN DATABASE %I SET default_transaction_read_only = on', current_database());
END $$;

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM frontier_dashboard;
REVOKE CREATE ON SCHEMA public FROM frontier_dashboard;
GRANT USAGE ON SCHEMA public TO frontier_dashboard;
GRANT SELECT ON v_aggregation_frontier_health, data_agg_state, data_agg_runs, agg_timeframes TO frontier_dashboard;
-- Market sessions (sql/009): the view the health snapshot joins (its calendar function reads
-- the calendar tables with its owner's rights).
GRANT SELECT ON v_symbol_market_session TO frontier_dashboard;
GRANT SELECT ON pair_state_current, pair_state_intervals, incidents, incident_pairs TO frontier_dashboard;
GRANT SELECT ON worker_heartbeats TO frontier_dashboard;
-- API tokens (sql/016): the proxy checks a bearer token with api_token_role, a SECURITY DEFINER
-- lookup of one hash; the role holds no right on api_tokens itself, so it cannot list them.
GRANT EXECUTE ON FUNCTION api_token_role(text) TO frontier_dashboard;
-- Health policies (sql/019) and maintenance windows (sql/018): listed on the pages and the API.
GRANT SELECT ON health_policies, maintenance_windows, v_pair_maintenance TO frontier_dashboard;
-- Owners (sql/020): the team of every row, its filters and the list.
GRANT SELECT ON owners TO frontier_dashboard;
GRANT EXECUTE ON FUNCTION owner_team(text) TO frontier_dashboard;
-- Read-only statistics (pg_stat_wal_receiver, docs/RELIABILITY.md "Reading from a standby").
GRANT pg_read_all_stats TO frontier_dashboard;
-- The audit log (sql/015), for GET /api/audit-log and /audit.
GRANT SELECT ON operator_actions TO frontier_dashboard;
-- The acknowledgements (sql/017), shown on GET /api/incidents and the pair's detail.
GRANT SELECT ON acknowledgements TO frontier_dashboard;
