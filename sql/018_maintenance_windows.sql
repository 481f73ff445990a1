-- 018: maintenance windows (docs/MAINTENANCE.md). A planned outage per symbol, pattern or pair,
-- now or ahead of time: inside one, a pair that would be a problem is MAINTENANCE, which is
-- quiet like CLOSED (no alert, no incident, not counted in MTTR or time in problem).
-- Rows are never deleted by the product: ending a window early sets ended_at, so the record of
-- what was planned and what happened stays.
CREATE TABLE maintenance_windows (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  match text NOT NULL CONSTRAINT maintenance_windows_match CHECK (match IN ('exact', 'like')),
  pattern text COLLATE "C" NOT NULL CONSTRAINT maintenance_windows_pattern CHECK (pattern <> ''),
  -- NULL: every timeframe of the symbol(s); a symbol and a timeframe name one pair
  timeframe text COLLATE "C" REFERENCES agg_timeframes ON UPDATE CASCADE,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  reason text NOT NULL CONSTRAINT maintenance_windows_reason CHECK (btrim(reason) <> ''),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  ended_by text,
  CONSTRAINT maintenance_windows_span CHECK (ends_at > starts_at)
);
-- The windows that may be active: the view reads only those not ended early.
CREATE INDEX maintenance_windows_open ON maintenance_windows (ends_at) WHERE ended_at IS NULL;
