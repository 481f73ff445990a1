-- 001: the tables of the roll-up pipeline.
-- Symbols and timeframes are identifiers compared byte-wise (COLLATE "C"): every index look-up
-- of a symbol's frontier then compares with memcmp instead of the locale's strcoll.
-- Steps are stored in hours/minutes only (never '1 day'): adding '1 day' to a timestamptz
-- follows the session's time zone across DST, adding '24 hours' does not.

CREATE TABLE agg_timeframes (
  timeframe text COLLATE "C" PRIMARY KEY,
  step interval NOT NULL,
  CONSTRAINT agg_timeframes_step_whole_minutes CHECK (
    step >= interval '1 minute'
    AND date_part('month', step) = 0
    AND date_part('day', step) = 0
    AND extract(epoch FROM step)::bigint % 60 = 0
  )
);

INSERT INTO agg_timeframes (timeframe, step) VALUES
  ('5m', interval '5 minutes'),
  ('15m', interval '15 minutes'),
  ('30m', interval '30 minutes'),
  ('1h', interval '1 hour'),
  ('4h', interval '4 hours'),
  ('1d', interval '24 hours');

-- The source. ts_utc is the bar's open time, a whole minute.
CREATE TABLE bars_1m (
  canonical_symbol text COLLATE "C" NOT NULL,
  ts_utc timestamptz NOT NULL,
  open numeric NOT NULL,
  high numeric NOT NULL,
  low numeric NOT NULL,
  close numeric NOT NULL,
  volume numeric NOT NULL DEFAULT 0,
  PRIMARY KEY (canonical_symbol, ts_utc),
  CONSTRAINT bars_1m_ts_whole_minute CHECK (
    date_trunc('minute', ts_utc AT TIME ZONE 'UTC') = ts_utc AT TIME ZONE 'UTC'
  )
);
-- No CHECK on prices on purpose: vendors do send corrupt bars, and the aggregation
-- refuses them loudly (see aggregate_bar_windows) instead of the feed losing them silently.

-- One row per finished window.
CREATE TABLE bars_agg (
  canonical_symbol text COLLATE "C" NOT NULL,
  timeframe text COLLATE "C" NOT NULL,
  ts_utc timestamptz NOT NULL,
  open numeric NOT NULL,
  high numeric NOT NULL,
  low numeric NOT NULL,
  close numeric NOT NULL,
  volume numeric NOT NULL,
  source_count integer NOT NULL CHECK (source_count > 0),
  aggregated_at_utc timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (canonical_symbol, timeframe, ts_utc)
);

-- One row per (symbol, timeframe): the cursor and the run bookkeeping.
CREATE TABLE data_agg_state (
  canonical_symbol text COLLATE "C" NOT NULL,
  timeframe text COLLATE "C" NOT NULL REFERENCES agg_timeframes (timeframe),
  last_agg_bar_ts_utc timestamptz,
  enabled boolean NOT NULL DEFAULT true,
  registered_at_utc timestamptz NOT NULL DEFAULT now(),
  last_attempt_utc timestamptz,
  last_success_utc timestamptz,
  last_error text,
  last_error_utc timestamptz,
  consecutive_failures integer NOT NULL DEFAULT 0,
  total_runs bigint NOT NULL DEFAULT 0,
  total_bars_written bigint NOT NULL DEFAULT 0,
  -- bars written by each of the last 20 runs that had work to do (see 004); the view's
  -- bars_per_run is recent_bars_sum / cardinality(recent_bars), kept here so the view
  -- does no per-row work over the run history.
  recent_bars integer[] NOT NULL DEFAULT '{}',
  recent_bars_sum integer NOT NULL DEFAULT 0,
  last_result jsonb,
  PRIMARY KEY (canonical_symbol, timeframe),
  CONSTRAINT data_agg_state_symbol_not_blank CHECK (btrim(canonical_symbol) <> '')
) WITH (fillfactor = 70);  -- every run updates its row: room on the page keeps those updates HOT

-- The catch-up JSON history: one row per run that did work or failed.
CREATE TABLE data_agg_runs (
  run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  canonical_symbol text COLLATE "C" NOT NULL,
  timeframe text COLLATE "C" NOT NULL,
  started_at_utc timestamptz NOT NULL,
  finished_at_utc timestamptz NOT NULL,
  ok boolean NOT NULL,
  result jsonb,
  error text
);

CREATE INDEX data_agg_runs_pair_recent ON data_agg_runs (canonical_symbol, timeframe, run_id DESC);
CREATE INDEX data_agg_runs_started ON data_agg_runs (started_at_utc);
