import type { IncidentStatsResponse } from '../shared/history-types';
import type { StatsQuery } from './incidents-params';
import { fetchIncidentStats } from '../queries/history';
import { SingleFlightCache } from './cache';

// Hours and days of history change little in a minute; a 30-day window reads many intervals.
const STATS_TTL_MS = 60_000;
// Three windows for every team and for all of them; a team's page keeps its own entries warm.
const statsCache = new SingleFlightCache<IncidentStatsResponse>(STATS_TTL_MS, 48);

export function incidentStats(query: StatsQuery): Promise<IncidentStatsResponse> {
  return statsCache.get(`${query.window}/${query.team ?? ''}`, async () => {
    const to = new Date();
    const stats = await fetchIncidentStats(query.hours, query.team);
    return {
      generatedAt: to.toISOString(),
      window: query.window,
      team: query.team,
      from: new Date(to.getTime() - query.hours * 3_600_000).toISOString(),
      to: to.toISOString(),
      ...stats,
    };
  });
}

export function resetIncidentStatsCache(): void {
  statsCache.clear();
}
