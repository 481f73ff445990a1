-- API tokens (docs in README "Authentication and roles"): a machine such as Prometheus holds a
-- token with a role instead of a person's password. Only the token's SHA-256 is stored; the
-- token itself is shown once, by `npm run ops -- token create`. A revoked token keeps its row
-- (revoked_at) so that its name stays taken and the audit log's `token:NAME` keeps meaning one token.
CREATE TABLE IF NOT EXISTS api_tokens (
  name text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$'),
  token_sha256 text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
