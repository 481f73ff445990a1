'use client';

import type { IncidentRecord } from '@/lib/shared/history-types';
import { HEALTH_STATES } from '@/lib/shared/types';
import { metaOf } from '@/components/history/state-style';
import { formatLasted } from '@/lib/shared/duration';
import { cn } from '@/components/ui/cn';

const severity = (state: string) => {
  const index = (HEALTH_STATES as readonly string[]).indexOf(state);
  return index < 0 ? HEALTH_STATES.length : index;
};

/** Worst state first, then the widest, then the oldest. */
export function wallOrder(incidents: readonly IncidentRecord[]): IncidentRecord[] {
  return [...incidents].sort(
    (a, b) => severity(a.state) - severity(b.state) || b.openPairs - a.openPairs || a.start.localeCompare(b.start),
  );
}

/** Who and what, short: the chip's badge already says the state. */
export function wallLabel(incident: IncidentRecord): string {
  const only = incident.openPairs === 1 ? incident.sample.find((pair) => pair.open) : undefined;
  const who =
    incident.scope === 'global'
      ? `${incident.openSymbols} symbols · ${incident.openPairs} pairs`
      : only
        ? `${only.symbol} ${only.timeframe}`
        : `${incident.symbol ?? '?'} · ${incident.openPairs} timeframes`;
  return incident.error ? `${who} · ${incident.error}` : who;
}

/**
 * The open incidents in one line of chips ("CLZ6 · 6 timeframes · 92 min"), worst first, the
 * count always visible; it sits in the header, so it costs the tiles no height.
 */
export function WallIncidents({
  incidents,
  open,
  now,
}: {
  incidents: readonly IncidentRecord[];
  open: number;
  now: number;
}) {
  if (open === 0) return null;
  return (
    <section
      aria-label="Open incidents"
      className="flex h-[4.4vh] min-w-0 items-center gap-[1vh] overflow-hidden"
      data-testid="wall-incidents"
    >
      <span className="shrink-0 text-[2.2vh] font-bold text-slate-200 tabular" data-testid="wall-incident-count">
        {open} incident{open === 1 ? '' : 's'}
      </span>
      {wallOrder(incidents).map((incident) => {
        const meta = metaOf(incident.state);
        return (
          <span
            key={incident.id}
            className="flex max-w-[70vh] shrink-0 items-center gap-[0.8vh] rounded-[0.8vh] bg-slate-900 py-[0.5vh] pr-[1vh] pl-[0.5vh] text-[2.1vh] ring-1 ring-slate-700"
            data-testid="wall-incident"
          >
            <span className={cn('shrink-0 rounded-[0.5vh] px-[0.6vh] text-[1.7vh] font-bold uppercase', meta.solid)}>
              {meta.label}
            </span>
            <span className="min-w-0 truncate font-semibold text-white" title={incident.cause}>
              {wallLabel(incident)}
            </span>
            {now > 0 && (
              <span className="shrink-0 text-slate-400 tabular">{formatLasted(now - Date.parse(incident.start))}</span>
            )}
          </span>
        );
      })}
    </section>
  );
}
