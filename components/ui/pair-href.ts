import { listSearch, type HealthListFilters } from '@/lib/health/list-contract';

/** The page of a pair; symbols may contain characters that are not path-safe. */
export function pairHref(symbol: string, timeframe: string): string {
  return `/pairs/${encodeURIComponent(symbol)}/${encodeURIComponent(timeframe)}`;
}

/** The overview showing a filtered view, e.g. one symbol or one timeframe. */
export function overviewHref(filters: Partial<HealthListFilters>): string {
  const search = listSearch(filters);
  return search ? `/?${search}` : '/';
}
