'use client';

import type { StateInterval } from '@/lib/shared/history-types';
import { formatUtcClock } from '@/components/ui/format';
import { formatUtc } from '@/lib/shared/time-format';
import { metaOf } from './state-style';
import { formatLasted } from '@/lib/shared/duration';

interface Band {
  key: string;
  left: number;
  width: number;
  interval: StateInterval;
  /** how long the state lasted (or lasts until now), as the list of changes says */
  ms: number;
  /** the part of it inside the range drawn, when the range cuts it */
  shownMs: number;
}

/** The intervals clipped to [from, to] as percentages of the range. */
export function bandsOf(intervals: readonly StateInterval[], from: number, to: number, now: number): Band[] {
  const span = to - from;
  return intervals.flatMap((interval) => {
    const start = Math.max(from, Date.parse(interval.since));
    const end = Math.min(to, interval.until ? Date.parse(interval.until) : now);
    if (!(end > start) || span <= 0) return [];
    return [
      {
        key: `${interval.since}-${interval.state}`,
        left: ((start - from) / span) * 100,
        width: ((end - start) / span) * 100,
        interval,
        ms: (interval.until ? Date.parse(interval.until) : now) - Date.parse(interval.since),
        shownMs: end - start,
      },
    ];
  });
}

/** Ticks at whole hours (or days) so the axis reads like a clock. */
function ticks(from: number, to: number): number[] {
  const step = to - from > 3 * 86_400_000 ? 86_400_000 : to - from > 36 * 3_600_000 ? 6 * 3_600_000 : 3 * 3_600_000;
  const first = Math.ceil(from / step) * step;
  return Array.from({ length: Math.floor((to - first) / step) + 1 }, (_, i) => first + i * step).filter((t) => t <= to);
}

/**
 * Grafana-style state timeline: one coloured band per recorded state over the range, flapping
 * hatched, the reason and the times on hover (title) and for screen readers (the list).
 */
export function StateTimeline({
  intervals,
  from,
  to,
  now,
}: {
  intervals: readonly StateInterval[];
  from: number;
  to: number;
  now: number;
}) {
  const bands = bandsOf(intervals, from, to, now);
  const span = to - from;
  const day = span > 36 * 3_600_000;
  return (
    <figure className="space-y-1" data-testid="state-timeline">
      <div
        className="relative h-9 overflow-hidden rounded-md bg-slate-100 ring-1 ring-slate-200"
        role="img"
        aria-label={`State timeline, ${bands.length} intervals`}
      >
        {bands.map((band) => {
          const meta = metaOf(band.interval.state);
          const title = `${meta.label}${band.interval.flapping ? ' (flapping)' : ''} · ${formatUtc(band.interval.since)} → ${band.interval.until ? formatUtc(band.interval.until) : 'now'} · ${formatLasted(band.ms)}${band.shownMs < band.ms ? ` (${formatLasted(band.shownMs)} of it in this range)` : ''}${band.interval.reason ? `\n${band.interval.reason}` : ''}`;
          return (
            <div
              key={band.key}
              className="absolute inset-y-0 border-r border-white/60"
              style={{
                left: `${band.left}%`,
                width: `max(${band.width}%, 2px)`,
                backgroundColor: meta.color,
                backgroundImage: band.interval.flapping
                  ? 'repeating-linear-gradient(45deg, rgba(255,255,255,.45) 0 4px, transparent 4px 8px)'
                  : undefined,
              }}
              title={title}
              data-testid="timeline-band"
              data-state={band.interval.state}
            />
          );
        })}
        {bands.length === 0 && (
          <p className="absolute inset-0 flex items-center justify-center text-xs text-slate-500">
            No recorded state in this range yet
          </p>
        )}
      </div>
      <div className="relative h-4 text-[11px] text-slate-500 tabular" aria-hidden>
        {ticks(from, to).map((tick) => (
          <span key={tick} className="absolute -translate-x-1/2" style={{ left: `${((tick - from) / span) * 100}%` }}>
            {day
              ? new Date(tick).toISOString().slice(5, 10) + (tick % 86_400_000 ? ` ${formatUtcClock(tick)}` : '')
              : formatUtcClock(tick)}
          </span>
        ))}
      </div>
      <figcaption className="sr-only">
        <ul>
          {bands.map((band) => (
            <li
              key={band.key}
            >{`${metaOf(band.interval.state).label} from ${formatUtc(band.interval.since)} for ${formatLasted(band.ms)}: ${band.interval.reason ?? ''}`}</li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
