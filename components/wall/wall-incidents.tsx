'use client';

import type { IncidentRecord } from '@/lib/history/types';
import { HEALTH_STATES } from '@/lib/types';
import { formatSpanMs, metaOf } from '@/components/history/state-style';

/** Lines on the wall: enough to name the causes, few enough to leave room for the tiles. */
export const WALL_INCIDENT_LINES = 4;

const severity = (state: string) => {
  const index = (HEALTH_STATES as readonly string[]).indexOf(state);
  return index < 0 ? HEALTH_STATES.length : index;
};

/** Worst state first, then the widest, then the oldest. */
export function wallOrder(incidents: readonly IncidentRecord[]): IncidentRecord[] {
  return [...incidents].sort((a, b) => severity(a.state) - severity(b.state) || b.openPairs - a.openPairs || a.start.localeCompare(b.start));
}

/** One line per open incident ("CLZ6 · 6 timeframes · SOURCE_STALE · for 92 min"), problems first. */
export function WallIncidents({ incidents, open, now }: { incidents: readonly IncidentRecord[]; open: number; now: number }) {
  if (open === 0) return null;
  const lines = wallOrder(incidents).slice(0, WALL_INCIDENT_LINES);
  return (
    <section aria-label="Open incidents" className="rounded-[1vh] bg-slate-900 px-[1.4vh] py-[0.8vh] ring-1 ring-slate-700" data-testid="wall-incidents">
      <ul className="space-y-[0.4vh]">
        {lines.map((incident) => {
          const meta = metaOf(incident.state);
          return (
            <li key={incident.id} className="flex items-center gap-[1.2vh] text-[2.3vh] leading-tight" data-testid="wall-incident">
              <span className={`shrink-0 rounded-[0.5vh] px-[0.8vh] text-[1.8vh] font-bold uppercase ${meta.solid}`}>{meta.label}</span>
              <span className="min-w-0 flex-1 truncate font-semibold text-white">{incident.cause}</span>
              <span className="shrink-0 text-slate-300 tabular">{now > 0 ? `for ${formatSpanMs(now - Date.parse(incident.start))}` : ''}</span>
            </li>
          );
        })}
      </ul>
      {open > lines.length && <p className="mt-[0.4vh] text-[1.8vh] text-slate-400">+{open - lines.length} more incidents on /incidents</p>}
    </section>
  );
}
