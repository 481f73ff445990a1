import type { Ack } from './acks';
/** The JSON of /api/incidents and /api/pairs/[symbol]/[timeframe]/timeline. */

export interface IncidentPairRef {
  symbol: string;
  timeframe: string;
  /** still in the incident */
  open: boolean;
}

export interface IncidentRecord {
  id: number;
  /** 'symbol': one symbol's pairs; 'global': one cause on many symbols */
  scope: 'symbol' | 'global';
  state: string;
  /** the symbol of a 'symbol' incident; null for a global one */
  symbol: string | null;
  /** one line: "CLZ6 · all 6 timeframes · SOURCE_STALE", "412 symbols · SOURCE_STALE" */
  cause: string;
  /** the normalised error of a FAILING incident (timestamps, numbers and the symbol taken out) */
  error: string | null;
  status: 'open' | 'resolved';
  start: string;
  end: string | null;
  /** to end, or to now while open */
  durationMinutes: number;
  /** symbols and pairs ever in the incident, and still in it */
  symbols: number;
  pairs: number;
  openSymbols: number;
  openPairs: number;
  /** up to 12 of its pairs, open ones first */
  sample: IncidentPairRef[];
  /** the team of its symbols when they share one (docs/HEALTH.md, "Owners"), else null */
  team: string | null;
  /** its current acknowledgement (lib/queries/acks.ts): null once it resolves or the ack lapses */
  ack: Ack | null;
}

export interface IncidentsResponse {
  generatedAt: string;
  /** incidents matching the status filter, before paging */
  total: number;
  /** open incidents, whatever the filter */
  open: number;
  incidents: IncidentRecord[];
}

export interface StateInterval {
  state: string;
  since: string;
  /** null: the pair is in it now */
  until: string | null;
  reason: string | null;
  flapping: boolean;
}

export interface TimelineResponse {
  generatedAt: string;
  symbol: string;
  timeframe: string;
  from: string;
  to: string;
  /** intervals overlapping [from, to), oldest first */
  intervals: StateInterval[];
  /** more than MAX_TIMELINE_INTERVALS overlapped: the newest were kept */
  truncated: boolean;
}

export const STATS_WINDOWS = ['24h', '7d', '30d'] as const;
export type StatsWindow = (typeof STATS_WINDOWS)[number];

export interface ProblemStats {
  /** problem episodes (consecutive problem intervals of a pair are one) overlapping the window */
  episodes: number;
  /** time spent in a problem state inside the window, summed over pairs */
  problemMinutes: number;
  /** mean time to recover of the episodes that ended inside the window; null when none did */
  mttrMinutes: number | null;
}

export interface IncidentStatsResponse {
  generatedAt: string;
  window: StatsWindow;
  /** the team the figures are limited to (?team=), null for every pair */
  team: string | null;
  from: string;
  to: string;
  byTimeframe: Array<ProblemStats & { timeframe: string; pairs: number; problemPct: number }>;
  /** the 10 symbols with the most problem time */
  topSymbols: Array<ProblemStats & { symbol: string }>;
}
