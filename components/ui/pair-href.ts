/** The page of a pair; symbols may contain characters that are not path-safe. */
export function pairHref(symbol: string, timeframe: string): string {
  return `/pairs/${encodeURIComponent(symbol)}/${encodeURIComponent(timeframe)}`;
}

/** The overview filtered to one symbol or one timeframe. */
export function overviewHref(filter: { q?: string; timeframe?: string }): string {
  const params = new URLSearchParams();
  if (filter.q) params.set('q', filter.q);
  if (filter.timeframe) params.set('timeframe', filter.timeframe);
  const search = params.toString();
  return search ? `/?${search}` : '/';
}
