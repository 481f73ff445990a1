-- 020: owners. Symbols and patterns belong to teams (docs/HEALTH.md, "Owners"): the overview,
-- the incidents and the wall filter by team, per-pair metrics carry it, Alertmanager routes by it.
--
-- Resolved per symbol as health policies are (sql/019): an exact symbol beats a pattern; among
-- patterns the most literal characters (not % or _) win; then the pattern in byte order. One
-- team owns a symbol, on every timeframe; a symbol no row matches has no team (NULL).
CREATE TABLE owners (
  match text NOT NULL CONSTRAINT owners_match CHECK (match IN ('exact', 'like')),
  pattern text COLLATE "C" NOT NULL CONSTRAINT owners_pattern CHECK (pattern <> ''),
  team text COLLATE "C" NOT NULL CONSTRAINT owners_team_format CHECK (team ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  note text NOT NULL DEFAULT '',
  updated_by text NOT NULL DEFAULT current_user,
  updated_at_utc timestamptz NOT NULL DEFAULT now(),
  -- One team per symbol or pattern: two would tie.
  PRIMARY KEY (match, pattern)
);
CREATE INDEX owners_team ON owners (team);
