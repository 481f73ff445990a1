// What this project needs of each pipeline table, and what adoption may add to a legacy one.
// `required` columns must already be there (the least a legacy table has: docs/ADOPTION.md); `addable`
// columns are added when missing, each with a constant default or none, so PostgreSQL ≥ 11 adds
// them to the catalog only (no table rewrite, no scan).

/** Type families a legacy column may have. */
export type TypeFamily = 'text' | 'timestamptz' | 'number' | 'integer' | 'interval' | 'boolean';

export interface RequiredColumn {
  name: string;
  family: TypeFamily;
}

export interface AddableColumn {
  name: string;
  family: TypeFamily;
  /** The column definition after the name, as ADD COLUMN takes it. */
  definition: string;
  /** Set as a default after the column was added, so existing rows keep NULL ("unknown"). */
  laterDefault?: string;
}

export interface TableSpec {
  name: string;
  required: RequiredColumn[];
  addable: AddableColumn[];
  /** Unique key this project relies on (ON CONFLICT, index look-ups), in this column order. */
  uniqueKey: string[];
  /** Whether an index on the key's columns in another order will not do. */
  keyOrderMatters?: boolean;
  /** Whether adoption may build that key when it is missing (false: refuse and say how). */
  mayBuildKey: boolean;
}

const text = (name: string): RequiredColumn => ({ name, family: 'text' });
const ts = (name: string): RequiredColumn => ({ name, family: 'timestamptz' });
const num = (name: string): RequiredColumn => ({ name, family: 'number' });

export const BARS_1M: TableSpec = {
  name: 'bars_1m',
  required: [text('canonical_symbol'), ts('ts_utc'), num('open'), num('high'), num('low'), num('close'), num('volume')],
  addable: [],
  uniqueKey: ['canonical_symbol', 'ts_utc'],
  keyOrderMatters: true,
  // Never built by adoption: on billions of rows that is the DBA's call (and the source is never altered).
  mayBuildKey: false,
};

export const BARS_AGG: TableSpec = {
  name: 'bars_agg',
  required: [
    text('canonical_symbol'),
    text('timeframe'),
    ts('ts_utc'),
    num('open'),
    num('high'),
    num('low'),
    num('close'),
    num('volume'),
  ],
  addable: [
    // NULL for legacy bars: nobody knows how many minutes the old aggregator saw (the audit flags them).
    { name: 'source_count', family: 'integer', definition: 'integer' },
    { name: 'aggregated_at_utc', family: 'timestamptz', definition: 'timestamptz', laterDefault: 'now()' },
  ],
  uniqueKey: ['canonical_symbol', 'timeframe', 'ts_utc'],
  mayBuildKey: true,
};

export const DATA_AGG_STATE: TableSpec = {
  name: 'data_agg_state',
  required: [text('canonical_symbol'), text('timeframe'), ts('last_agg_bar_ts_utc')],
  addable: [
    { name: 'enabled', family: 'boolean', definition: 'boolean NOT NULL DEFAULT true' },
    // Adoption time for legacy pairs: minutes_since_success then counts from when the monitor took over.
    { name: 'registered_at_utc', family: 'timestamptz', definition: 'timestamptz NOT NULL DEFAULT now()' },
    { name: 'last_attempt_utc', family: 'timestamptz', definition: 'timestamptz' },
    { name: 'last_success_utc', family: 'timestamptz', definition: 'timestamptz' },
    { name: 'last_error', family: 'text', definition: 'text' },
    { name: 'last_error_utc', family: 'timestamptz', definition: 'timestamptz' },
    { name: 'consecutive_failures', family: 'integer', definition: 'integer NOT NULL DEFAULT 0' },
    { name: 'total_runs', family: 'integer', definition: 'bigint NOT NULL DEFAULT 0' },
    { name: 'total_bars_written', family: 'integer', definition: 'bigint NOT NULL DEFAULT 0' },
    { name: 'recent_bars', family: 'integer', definition: "integer[] NOT NULL DEFAULT '{}'" },
    { name: 'recent_bars_sum', family: 'integer', definition: 'integer NOT NULL DEFAULT 0' },
    { name: 'last_result', family: 'text', definition: 'jsonb' },
  ],
  uniqueKey: ['canonical_symbol', 'timeframe'],
  mayBuildKey: true,
};

// Tables a legacy database seldom has; when it does, they must look like 001's.
export const AGG_TIMEFRAMES: TableSpec = {
  name: 'agg_timeframes',
  required: [text('timeframe'), { name: 'step', family: 'interval' }],
  addable: [],
  uniqueKey: ['timeframe'],
  mayBuildKey: false,
};

export const DATA_AGG_RUNS: TableSpec = {
  name: 'data_agg_runs',
  required: [
    { name: 'run_id', family: 'integer' },
    text('canonical_symbol'),
    text('timeframe'),
    ts('started_at_utc'),
    ts('finished_at_utc'),
    { name: 'ok', family: 'boolean' },
    { name: 'result', family: 'text' },
    text('error'),
  ],
  addable: [],
  uniqueKey: [],
  mayBuildKey: false,
};

export const TABLE_SPECS = [AGG_TIMEFRAMES, BARS_1M, BARS_AGG, DATA_AGG_STATE, DATA_AGG_RUNS];

/** The six timeframes 001 seeds (steps in hours/minutes only: see 001). */
export const STANDARD_TIMEFRAMES: [string, string][] = [
  ['5m', '00:05:00'],
  ['15m', '00:15:00'],
  ['30m', '00:30:00'],
  ['1h', '01:00:00'],
  ['4h', '04:00:00'],
  ['1d', '24:00:00'],
];

/** Catalog type names (format_type) accepted for each family. */
export function typeFamilyOf(sqlType: string): TypeFamily | 'json' | 'other' {
  const base = sqlType.replace(/\(.*\)$/, '');
  if (['text', 'character varying'].includes(base)) return 'text';
  if (base === 'timestamp with time zone') return 'timestamptz';
  if (['numeric', 'double precision', 'real'].includes(base)) return 'number';
  if (['integer', 'bigint', 'smallint', 'integer[]'].includes(base)) return 'integer';
  if (base === 'interval') return 'interval';
  if (base === 'boolean') return 'boolean';
  if (['jsonb', 'json'].includes(base)) return 'json';
  return 'other';
}

export function accepts(family: TypeFamily, sqlType: string): boolean {
  const actual = typeFamilyOf(sqlType);
  if (actual === family) return true;
  if (family === 'number' && actual === 'integer' && !sqlType.endsWith('[]')) return true; // integer prices/volumes aggregate fine
  if (family === 'text' && actual === 'json') return true; // result / last_result columns
  return false;
}

/** The type adoption needs, as a DBA writes it in ALTER … TYPE. */
export const FAMILY_TYPE: Record<TypeFamily, string> = {
  text: 'text',
  timestamptz: 'timestamptz',
  number: 'numeric',
  integer: 'bigint',
  interval: 'interval',
  boolean: 'boolean',
};
