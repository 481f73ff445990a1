import { matcher, type Matcher, type SilenceSpec } from './client';

/**
 * What an ack silences, in the labels deploy/prometheus/alerts.yml puts on its alerts:
 * - a pair's ack: symbol and timeframe (the per-pair alerts FrontierPairFailing, …Stalled, …);
 * - an incident's ack: its scope. A symbol incident groups the symbol's pairs in one state,
 *   so symbol and state (this also covers FrontierSourceStale, which has no timeframe); a
 *   global incident is one state over many symbols, so state alone.
 */
export interface AckScope {
  ackId: number;
  incidentId: number | null;
  symbol: string | null;
  timeframe: string | null;
  /** the incident's, when an incident's ack */
  incident?: { scope: string; state: string; symbol: string | null } | null;
}

export function ackMatchers(ack: AckScope): Matcher[] | undefined {
  if (ack.incidentId === null) {
    if (!ack.symbol || !ack.timeframe) return undefined;
    return [matcher('symbol', ack.symbol), matcher('timeframe', ack.timeframe)];
  }
  const incident = ack.incident;
  if (!incident) return undefined;
  if (incident.scope === 'symbol' && incident.symbol)
    return [matcher('symbol', incident.symbol), matcher('state', incident.state)];
  return [matcher('state', incident.state)];
}

/** How long a silence of an ack without `until` lasts before the reconciler extends it. */
export const SILENCE_HORIZON_MS = 4 * 3_600_000;
/** The reconciler extends such a silence once less than this is left. */
export const SILENCE_EXTEND_BELOW_MS = SILENCE_HORIZON_MS / 2;

/** The link back to the ack's page, absolute when DASHBOARD_URL is known. */
export function ackLink(ack: AckScope, dashboardUrl: string | undefined): string {
  const path =
    ack.incidentId !== null
      ? `/incidents?status=open`
      : `/pairs/${encodeURIComponent(ack.symbol ?? '')}/${encodeURIComponent(ack.timeframe ?? '')}`;
  return `${(dashboardUrl ?? '').replace(/\/+$/, '')}${path}`;
}

export function silenceSpec(
  ack: AckScope & { by: string; note: string; until: Date | null },
  matchers: Matcher[],
  now: Date,
  dashboardUrl: string | undefined,
): SilenceSpec {
  const endsAt = ack.until ?? new Date(now.getTime() + SILENCE_HORIZON_MS);
  return {
    matchers,
    startsAt: now.toISOString(),
    endsAt: endsAt.toISOString(),
    createdBy: ack.by,
    comment: `${ack.note} (Frontier Monitor ack #${ack.ackId}: ${ackLink(ack, dashboardUrl)})`,
  };
}
