import {
  readListView,
  listSearch,
  type HealthListFilters,
  type SortDir,
  type SortKey,
} from '@/lib/health/list-contract';
import { SEEDED_TIMEFRAMES } from '@/lib/shared/timeframes';

/**
 * The overview's view state, kept in the URL so that a reload or a shared link shows the same
 * view. Its names, values, presets and order are the API's own (lib/health-list-contract.ts),
 * so the URL of a view and the API request behind it read the same.
 */
export {
  comparePairs,
  DEFAULT_DIR,
  hasFilters,
  PRESETS,
  SORT_KEYS,
  type PresetId,
  type SortDir,
  type SortKey,
} from '@/lib/health/list-contract';

export interface OverviewFilters extends HealthListFilters {
  sort: SortKey;
  dir: SortDir;
}

/** Reads the view from the URL; unknown values are dropped rather than breaking the page. */
export function parseFilters(params: URLSearchParams): OverviewFilters {
  return readListView(params);
}

/** The URL query of a view; defaults are left out so links stay short. */
export function filtersToSearch(filters: OverviewFilters): string {
  return listSearch(filters);
}

/** What the API filters on; sorting happens in the browser over the whole result. */
export type ApiFilters = HealthListFilters;

export function apiFilters(filters: OverviewFilters): ApiFilters {
  return { states: filters.states, timeframes: filters.timeframes, q: filters.q, preset: filters.preset };
}

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440, w: 10080 };

/** Minutes of a timeframe name like "15m" or "4h", for ordering names we have not seen rows of. */
export function timeframeMinutes(name: string): number {
  const match = /^(\d+)([mhdw])$/i.exec(name);
  if (!match?.[1] || !match[2]) return Number.MAX_SAFE_INTEGER;
  return Number(match[1]) * (UNIT_MINUTES[match[2].toLowerCase()] ?? 1);
}

/** The timeframes seeded by sql/001; more appear as soon as rows carry them. */
export const KNOWN_TIMEFRAMES: readonly string[] = SEEDED_TIMEFRAMES;
