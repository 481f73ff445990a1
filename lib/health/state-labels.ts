import type { HealthState } from '../shared/types';

/** Each state's name for people (pages, the wall, incident causes); the enum stays in the API's JSON. */
export const STATE_LABELS: Record<HealthState, string> = {
  AHEAD: 'Cursor ahead',
  NULL: 'No cursor',
  FAILING: 'Failing',
  STALLED: 'Stalled',
  DRIFT: 'Drift',
  SOURCE_STALE: 'Source stale',
  LAGGING: 'Lagging',
  INEFFICIENT: 'Inefficient',
  MAINTENANCE: 'Maintenance',
  CLOSED: 'Closed',
  OK: 'OK',
  DISABLED: 'Disabled',
};

/** A recorded state's label; a state this build does not know keeps its own name. */
export function stateLabel(state: string): string {
  return (STATE_LABELS as Record<string, string>)[state] ?? state;
}

/**
 * An incident's error as people read it. The history groups failures by their error with the
 * parts that differ between pairs taken out (sql/definitions/history_group_incidents.sql:
 * `<symbol>`, `<tf>`, `<time>`, `#`); this puts words back: the symbol when the incident has
 * one, "each pair" otherwise, and drops the window's times.
 */
export function describeIncidentError(detail: string, symbol: string | null): string {
  return detail
    .replace(/<symbol>\/<tf>/g, symbol ? `${symbol}'s timeframes` : 'each pair')
    .replace(/<symbol>/g, symbol ?? 'each symbol')
    .replace(/\s*window \[<time>,\s*<time>\)/g, '')
    .replace(/\s*\[<time>,\s*<time>\)/g, '')
    .replace(/<time>/g, 'a time')
    .replace(/<tf>/g, 'a timeframe')
    .replace(/(^|[^\w.])#(?=$|[^\w])/g, '$1n')
    .replace(/\s+/g, ' ')
    .trim();
}
