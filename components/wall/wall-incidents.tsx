'use client';

import { useTurningPage } from '@/components/hooks/use-turning-page';
import { useElementSize } from '@/components/hooks/use-element-size';
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

/** A chip is at least this wide (in vh), so its two lines hold a cause, not a few letters of it. */
const MIN_CHIP_WIDTH_VH = 52;

/**
 * The row's place is kept whether or not anything is open (and while the first answer is on its
 * way), so the tiles below never jump when incidents come and go.
 *
 * The open incidents as one row of chips, worst first, each up to two lines of text (nothing
 * cut mid-word); when they do not all fit, the row turns to the next ones by itself, with a
 * page counter, so every open incident shows within a few turns. The count is always visible.
 */
export function WallIncidents({
  incidents: loadedIncidents,
  open = 0,
  now,
}: {
  /** undefined until the first answer: the row is there, empty */
  incidents?: readonly IncidentRecord[];
  open?: number;
  now: number;
}) {
  const loaded = loadedIncidents !== undefined;
  const incidents = loadedIncidents ?? [];
  const [ref, size] = useElementSize<HTMLDivElement>();
  const vh = typeof window === 'undefined' ? 0 : window.innerHeight / 100;
  const perPage = size.width > 0 && vh > 0 ? Math.max(1, Math.floor(size.width / (MIN_CHIP_WIDTH_VH * vh))) : 1;
  const ordered = wallOrder(incidents);
  const pageCount = Math.max(1, Math.ceil(ordered.length / perPage));
  const page = useTurningPage(pageCount);

  const shown = page % pageCount;
  const visible = ordered.slice(shown * perPage, shown * perPage + perPage);
  const unloaded = open - incidents.length;
  return (
    <section
      aria-label="Open incidents"
      className="flex min-h-[max(64px,7.4vh)] items-stretch gap-[1.2vh]"
      data-testid="wall-incidents"
    >
      <div className="flex shrink-0 flex-col justify-center leading-tight">
        {loaded && (
          <span className="text-[max(18px,2.6vh)] font-bold text-slate-100 tabular" data-testid="wall-incident-count">
            {open} incident{open === 1 ? '' : 's'}
          </span>
        )}
        {pageCount > 1 && (
          <span className="text-[max(16px,1.9vh)] text-slate-400 tabular" data-testid="wall-incident-page">
            {shown + 1} of {pageCount}
            {unloaded > 0 ? ` · ${unloaded} more on /incidents` : ''}
          </span>
        )}
      </div>
      <div
        ref={ref}
        className="grid min-w-0 flex-1 gap-[1.2vh]"
        style={{ gridTemplateColumns: `repeat(${perPage}, minmax(0, 1fr))` }}
      >
        {loaded && open === 0 && (
          <p className="self-center text-[max(16px,2.1vh)] text-slate-500" data-testid="wall-no-incident">
            No open incident
          </p>
        )}
        {visible.map((incident) => {
          const meta = metaOf(incident.state);
          return (
            <div
              key={incident.id}
              className="flex min-w-0 items-start gap-[1vh] rounded-[0.8vh] bg-slate-900 px-[1vh] py-[0.8vh] ring-1 ring-slate-700"
              data-testid="wall-incident"
              title={incident.cause}
            >
              <span
                className={cn(
                  'shrink-0 rounded-[0.5vh] px-[0.6vh] py-[0.2vh] text-[max(16px,1.9vh)] font-bold uppercase',
                  meta.solid,
                )}
              >
                {meta.label}
              </span>
              <span className="line-clamp-2 min-w-0 flex-1 text-[max(16px,2.1vh)] leading-snug font-semibold break-words text-white">
                {wallLabel(incident)}
              </span>
              {now > 0 && (
                <span className="shrink-0 text-[max(16px,2vh)] text-slate-400 tabular">
                  {formatLasted(now - Date.parse(incident.start))}
                </span>
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
}
