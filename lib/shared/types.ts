/**
 * The shapes shared by the API, the pages, the wall and the metrics. The rules that fill
 * them live in lib/health/rules.ts; the JSON the API answers is exactly these types.
 */
import type { Ack } from './acks';

/** Worst first: the order of this list is the severity order (index 0 = most severe). */
export const HEALTH_STATES = [
  'AHEAD',
  'NULL',
  'FAILING',
  'STALLED',
  'DRIFT',
  'SOURCE_STALE',
  'LAGGING',
  'INEFFICIENT',
  'MAINTENANCE',
  'CLOSED',
  'OK',
  'DISABLED',
] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export type CursorStatus = 'OK' | 'AHEAD' | 'NULL';
export type Trend = 'catching_up' | 'steady' | 'falling_behind' | 'unknown';

export interface HealthThresholds {
  stallMinutes: number;
  lagBars: number;
  sourceStaleMinutes: number;
  minBarsPerRun: number;
}

/**
 * The health policy that applies to a pair (sql/019, lib/health/policy.ts): its name and the
 * thresholds it sets; a null threshold is the default policy's (the environment's).
 */
export interface HealthPolicy {
  name: string;
  stallMinutes: number | null;
  lagBars: number | null;
  sourceStaleMinutes: number | null;
  minBarsPerRun: number | null;
}

/** One row of the view plus the few state columns the rules need. Timestamps are ISO strings. */
export interface FrontierRow {
  symbol: string;
  timeframe: string;
  stepMinutes: number;
  enabled: boolean;
  cursorUtc: string | null;
  sourceMaxTsUtc: string | null;
  cursorStatus: CursorStatus;
  gapMinutes: number | null;
  barsBehind: number | null;
  sourceAgeMinutes: number | null;
  lastAttemptUtc: string | null;
  lastSuccessUtc: string | null;
  /** when the pair's state row was created: what minutesSinceSuccess counts from before a first success */
  registeredAtUtc: string;
  minutesSinceSuccess: number | null;
  lastError: string | null;
  lastErrorUtc: string | null;
  /** the SQLSTATE and HINT the last failure was raised with (sql/012); null before 012 or when none */
  lastErrorSqlstate: string | null;
  lastErrorHint: string | null;
  consecutiveFailures: number;
  totalRuns: number;
  totalBarsWritten: number;
  barsPerRun: number | null;
  /** bars written by the last runs that had work (oldest first), from data_agg_state.recent_bars */
  recentBars: number[];
  /** Audit (docs/AUDIT.md): windows found missing or drifted and not repaired yet, the span
   * [from, to) they lie in, windows repaired in the last 24 h, and when the pair was last audited. */
  auditUnrepaired: number;
  auditUnrepairedFromUtc: string | null;
  auditUnrepairedToUtc: string | null;
  auditRepaired24h: number;
  auditLastUtc: string | null;
  /** the symbol's market session (sql/009); null or absent: no calendar, always open */
  market?: import('../health/market-session').MarketSession | null;
  /** the pair's health policy (sql/019); null or absent: the default policy (the environment) */
  policy?: HealthPolicy | null;
  /** the maintenance window the pair is in now (sql/018); null or absent: none */
  maintenance?: PairMaintenance | null;
  /** the team that owns the pair's symbol (sql/020, owner_team); null or absent: no team */
  team?: string | null;
}

/** An active maintenance window as a pair sees it (v_pair_maintenance, docs/MAINTENANCE.md). */
export interface PairMaintenance {
  id: number;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdBy: string;
}

export interface PairHealth extends FrontierRow {
  state: HealthState;
  /** 0 = most severe, as HEALTH_STATES */
  severity: number;
  /** The primary state's sentence, e.g. "no success for 73 min, threshold 60 min, policy default". */
  reason: string;
  /** One sentence per problem found, primary first. */
  reasons: string[];
  /** What to do about it, one short sentence. */
  action: string;
  trend: Trend;
  /** Minutes until bars_behind reaches 0 at the recent rate; null when unknown or not catching up. */
  etaMinutes: number | null;
  /** Snake_case as the API's contract names it: since when the pair is in `state`, from the
   *  state history (lib/history/); null when the history does not know (yet). */
  state_since?: string | null;
  /** Present (true) when the rules found the pair OK on replica data past
   *  HEALTH_REPLICA_STALE_SECONDS: the primary may know otherwise, so the pages show it as unknown. */
  unconfirmed?: true;
  /**
   * The pair's current ack (its own, or its open incident's), on the overview's rows and the
   * summary's problems only, and only where there is one; read apart from the snapshot
   * (lib/api/current-acks.ts).
   */
  ack?: Ack;
}

/**
 * Where the dashboard's data comes from and how old it is (docs/RELIABILITY.md, "Reading from a
 * standby"). On a primary: role primary, lagSeconds 0, dataAsOf the database's now().
 */
export interface ReplicationStatus {
  role: 'primary' | 'standby';
  /** seconds between dataAsOf and the database's now(); null when a standby cannot tell */
  lagSeconds: number | null;
  replayPaused: boolean;
  /** lagSeconds past HEALTH_REPLICA_STALE_SECONDS, or unknown on a standby */
  stale: boolean;
  /** the primary's time up to which the data read is known complete; null when unknown */
  dataAsOf: string | null;
}

export interface HealthListResponse {
  generatedAt: string;
  thresholds: HealthThresholds;
  /** the worker's poll interval in minutes, which the trend estimate uses (lib/health/trend.ts) */
  runIntervalMinutes: number;
  /** rows matching the filters, before paging */
  total: number;
  rows: PairHealth[];
  replication: ReplicationStatus;
}

/** The fields of a pair the overview's table shows (GET /api/health/overview); the rest is on the pair page. */
export type PairListRow = Pick<
  PairHealth,
  | 'symbol'
  | 'timeframe'
  | 'state'
  | 'reason'
  | 'reasons'
  | 'action'
  | 'state_since'
  | 'barsBehind'
  | 'trend'
  | 'etaMinutes'
  | 'lastSuccessUtc'
  | 'minutesSinceSuccess'
  | 'gapMinutes'
  | 'consecutiveFailures'
  | 'unconfirmed'
  | 'team'
  | 'ack'
>;

/** One symbol of the heatmap: a cell per timeframe of the answer's `timeframes`, [state, reason] or null (no such pair). */
export interface HeatmapSymbol {
  symbol: string;
  cells: Array<[HealthState, string] | null>;
}

/**
 * What the overview holds: counts, the table's window of the filtered and sorted pairs, and the
 * heatmap's window of the filtered symbols (worst first). No time in the body (it is in a
 * header), so two snapshots that say the same give the same bytes and the same ETag.
 */
export interface OverviewResponse {
  thresholds: HealthThresholds;
  /** every pair, unfiltered */
  total: number;
  byState: Record<HealthState, number>;
  /** pairs counted OK in byState that stale replica data cannot confirm (see PairHealth.unconfirmed) */
  unconfirmed: number;
  /** every timeframe the pairs have, shortest first */
  timeframes: Array<{ timeframe: string; stepMinutes: number }>;
  /** every team that owns a pair, in name order (docs/HEALTH.md, "Owners") */
  teams: string[];
  /** pairs matching the filters */
  matched: number;
  /** the matching pairs per state (a preset's query matches pairs of several states) */
  matchedByState: Record<HealthState, number>;
  offset: number;
  rows: PairListRow[];
  heatmap: {
    /** the timeframes of the matching pairs, shortest first */
    timeframes: string[];
    /** symbols with a matching pair */
    symbols: number;
    offset: number;
    lines: HeatmapSymbol[];
  };
}

export interface HealthSummaryResponse {
  generatedAt: string;
  thresholds: HealthThresholds;
  total: number;
  byState: Record<HealthState, number>;
  /** the worst problems first, at most 50 */
  problems: PairHealth[];
  /** the worst problems in no open incident (their state not recorded by the history yet), at most 50 */
  ungrouped: PairHealth[];
  /** every problem pair in no open incident */
  ungroupedCount: number;
  /** pairs counted OK in byState that stale replica data cannot confirm (see PairHealth.unconfirmed) */
  unconfirmed: number;
  replication: ReplicationStatus;
}

export interface RunRecord {
  runId: number;
  startedAtUtc: string;
  finishedAtUtc: string;
  ok: boolean;
  result: Record<string, unknown> | null;
  error: string | null;
}

export interface RunsPage {
  runs: RunRecord[];
  /** pass as ?before= to get the next (older) page; null at the end */
  nextCursor: string | null;
}

export interface SourceFrontierSample {
  atUtc: string;
  sourceMaxTsUtc: string | null;
}

export interface PairDetailResponse {
  generatedAt: string;
  pair: PairHealth;
  /** recent runs oldest first, for the charts */
  history: RunRecord[];
  /**
   * The symbol's source frontier (newest bars_1m minute at or before `atUtc`) sampled across the
   * charts' time span, oldest first, read from bars_1m itself: it draws a line whether or not the
   * pair's runs succeeded, or ran at all. The last sample is at generatedAt.
   */
  sourceFrontier: SourceFrontierSample[];
  remediationSql: string | null;
  /** a failing pair's next retry (sql/011 backoff); null when not in backoff */
  nextRetryUtc?: string | null;
  /** the pair's own current acknowledgement (lib/queries/acks.ts) */
  ack?: Ack | null;
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** One worker process's row of worker_heartbeats, as GET /api/workers lists it. */
export interface WorkerHeartbeat {
  workerId: string;
  host: string;
  pid: number;
  version: string;
  startedAtUtc: string;
  beatUtc: string;
  /** seconds since its last beat, on the database's clock */
  ageSeconds: number;
  /** beaten within the last two worker intervals */
  alive: boolean;
}

/** GET /api/workers. */
export interface WorkersResponse {
  workers: WorkerHeartbeat[];
  /** a worker is alive when it beat within this many seconds (two WORKER_INTERVAL_MS) */
  staleAfterSeconds: number;
  /** some worker is alive */
  running: boolean;
  /** the newest beat of any worker; null when none ever beat */
  lastBeatUtc: string | null;
  /** when no worker is alive but one ran before: its last beat ("no worker running since …") */
  noWorkerSince: string | null;
}

/** GET /api/auth/me: who this request is, for the header and for disabling what the role may not do. */
export interface MeResponse {
  actor: string;
  role: 'viewer' | 'operator' | 'admin';
  source: 'none' | 'basic' | 'oidc' | 'proxy' | 'token' | 'kiosk';
  mode: 'none' | 'basic' | 'oidc' | 'proxy';
}
