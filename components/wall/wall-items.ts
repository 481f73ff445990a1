import type { HealthSummaryResponse } from '@/lib/shared/types';
import type { IncidentsResponse } from '@/lib/shared/history-types';
import { formatCount } from '@/components/ui/format';
import { wallOrder } from './incident-tile';
import type { WallItem } from './problem-tiles';

/** The API's most open incidents in one answer: more are named in the footer, on /incidents. */
export const WALL_INCIDENTS_LIMIT = 200;

const plural = (count: number, word: string) => `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;

/**
 * One tile per open incident, then one per problem pair in none. Until the incidents arrive (or
 * when they cannot be had, or the history has not caught up with a new problem yet) the worst
 * problem pairs have a tile each, as without a history.
 */
export function wallItems(
  summary: HealthSummaryResponse,
  incidents: IncidentsResponse | undefined,
  problemCount: number,
): { items: WallItem[]; footer: string } {
  const grouped =
    incidents !== undefined && (incidents.incidents.length > 0 || summary.ungrouped.length > 0 || problemCount === 0);
  if (!grouped) {
    return {
      items: summary.problems.map((pair) => ({ kind: 'pair', pair })),
      footer:
        problemCount > summary.problems.length
          ? `Showing the ${formatCount(summary.problems.length)} worst of ${formatCount(problemCount)} problems`
          : `${plural(problemCount, 'problem')} of ${plural(summary.total, 'pair')}`,
    };
  }
  const unloaded = incidents.open - incidents.incidents.length;
  const loose = summary.ungroupedCount;
  return {
    items: [
      ...wallOrder(incidents.incidents).map((incident): WallItem => ({ kind: 'incident', incident })),
      ...summary.ungrouped.map((pair): WallItem => ({ kind: 'pair', pair })),
    ],
    footer: [
      `${plural(incidents.open, 'incident')}${unloaded > 0 ? ` (${formatCount(unloaded)} more on /incidents)` : ''}`,
      loose > 0
        ? `${plural(loose, 'pair')} in no incident${loose > summary.ungrouped.length ? ` (the ${formatCount(summary.ungrouped.length)} worst shown)` : ''}`
        : null,
      `${plural(problemCount, 'problem')} of ${plural(summary.total, 'pair')}`,
    ]
      .filter(Boolean)
      .join(' · '),
  };
}
