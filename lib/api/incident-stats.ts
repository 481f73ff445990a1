import type { IncidentStatsResponse, StatsWindow } from '../shared/history-types';
import { fetchIncidentStats } from '../queries/history';
import { SingleFlightCache } from './cache';

// Hours and days of history change little in a minute; a 30-day window reads many intervals.
const STATS_TTL_MS = 60_000;
const statsCache = new SingleFlightCache<IncidentStatsResponse>(STATS_TTL_MS, 3);

export function incidentStats(query: { window: StatsWindow; hours: number }): Promise<IncidentStatsResponse> {
  return statsCache.get(query.window, async () => {
    const to = new Date();
    const stats = await fetchIncidentStats(query.hours);
    return {
      generatedAt: to.toISOString(),
      window: query.window,
      from: new Date(to.getTime() - query.hours * 3_600_000).toISOString(),
      to: to.toISOString(),
      ...stats,
    };
  });
}

export function resetIncidentStatsCache(): void {
  statsCache.clear();
}
