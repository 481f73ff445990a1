-- 019: health policies. Thresholds per symbol, pattern and timeframe (docs/HEALTH.md,
-- "Policies"): an illiquid altcoin or a far-month future should not go SOURCE_STALE after the
-- 15 silent minutes that suit EURUSD. The environment's HEALTH_* thresholds stay the default
-- policy: a pair no policy matches, and a threshold a policy leaves NULL, use them.
--
-- Resolved as calendars are (sql/009): an exact name beats a pattern; among patterns the most
-- literal characters (not % or _) win; then a timeframe-specific policy beats an any-timeframe
-- one; then the policy name in byte order. One policy applies to a pair, whole.
CREATE TABLE health_policies (
  policy text COLLATE "C" PRIMARY KEY
    CONSTRAINT health_policies_name_format CHECK (policy ~ '^[a-z0-9][a-z0-9_-]{0,62}$' AND policy <> 'default'),
  match text NOT NULL CONSTRAINT health_policies_match CHECK (match IN ('exact', 'like')),
  pattern text COLLATE "C" NOT NULL CONSTRAINT health_policies_pattern CHECK (pattern <> ''),
  -- NULL: every timeframe
  timeframe text COLLATE "C" REFERENCES agg_timeframes ON UPDATE CASCADE,
  stall_minutes integer CONSTRAINT health_policies_stall_minutes CHECK (stall_minutes > 0),
  lag_bars integer CONSTRAINT health_policies_lag_bars CHECK (lag_bars > 0),
  source_stale_minutes integer CONSTRAINT health_policies_source_stale_minutes CHECK (source_stale_minutes > 0),
  min_bars_per_run double precision CONSTRAINT health_policies_min_bars_per_run CHECK (min_bars_per_run >= 0),
  note text NOT NULL DEFAULT '',
  updated_by text NOT NULL DEFAULT current_user,
  updated_at_utc timestamptz NOT NULL DEFAULT now()
);
-- One policy per target: two policies for the same symbol or pattern and timeframe would tie.
CREATE UNIQUE INDEX health_policies_target ON health_policies (match, pattern, coalesce(timeframe, ''));
