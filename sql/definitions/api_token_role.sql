-- The name and role of the live (not revoked) API token whose SHA-256 is p_hash, or no row.
-- SECURITY DEFINER: the dashboard's read-only role may EXECUTE this and nothing else of
-- api_tokens, so it can check a token it is handed but never list the tokens' hashes or names.
CREATE OR REPLACE FUNCTION api_token_role(p_hash text)
RETURNS TABLE (name text, role text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT t.name, t.role FROM api_tokens t WHERE t.token_sha256 = p_hash AND t.revoked_at IS NULL;
$$;

REVOKE ALL ON FUNCTION api_token_role(text) FROM PUBLIC;
