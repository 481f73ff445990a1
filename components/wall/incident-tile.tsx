import type { IncidentRecord } from '@/lib/shared/history-types';
import type { PairHealth } from '@/lib/shared/types';
import { HEALTH_STATES } from '@/lib/shared/types';
import { describeIncidentError } from '@/lib/health/state-labels';
import { formatLasted } from '@/lib/shared/duration';
import { metaOf } from '@/components/history/state-style';
import { formatCount } from '@/components/ui/format';
import { cn } from '@/components/ui/cn';
import { WallAck } from './wall-ack';

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

const plural = (count: number, word: string) => `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;

/** The tile's big line and the count under it: who is hit, and how wide. */
export function incidentWho(incident: IncidentRecord): { who: string; width: string } {
  const only = incident.openPairs === 1 ? incident.sample.find((pair) => pair.open) : undefined;
  if (incident.scope === 'global') {
    return { who: plural(incident.openSymbols, 'symbol'), width: plural(incident.openPairs, 'pair') };
  }
  if (only) return { who: `${only.symbol} ${only.timeframe}`, width: '1 pair' };
  return { who: incident.symbol ?? '?', width: plural(incident.openPairs, 'timeframe') };
}

/** "since 14:05 UTC" today, "since 12-04 14:05 UTC" before. */
export function sinceText(start: string, now: number): string {
  const iso = new Date(start).toISOString();
  const today = now > 0 && new Date(now).toISOString().slice(0, 10) === iso.slice(0, 10);
  return `since ${today ? '' : `${iso.slice(5, 10)} `}${iso.slice(11, 16)} UTC`;
}

/**
 * What the cause is, in words: a failure's error; otherwise the health sentence of one of its
 * pairs when the summary carries it (prefixed with the pair when the incident has more than one).
 */
export function incidentDetail(incident: IncidentRecord, problems: ReadonlyMap<string, PairHealth>): string | null {
  if (incident.error)
    return describeIncidentError(incident.error, incident.scope === 'global' ? null : incident.symbol);
  const example = incident.sample
    .filter((pair) => pair.open)
    .map((pair) => problems.get(`${pair.symbol}/${pair.timeframe}`))
    .find((pair) => pair !== undefined && pair.state === incident.state);
  if (!example) return null;
  return incident.openPairs === 1 ? example.reason : `e.g. ${example.symbol} ${example.timeframe}: ${example.reason}`;
}

/**
 * One open incident, in the same cell as a pair's tile: its state, who and how wide, since
 * when, and why. The state badge's row keeps room for an acknowledgement badge.
 */
export function IncidentTile({
  incident,
  detail,
  now,
  roomy,
}: {
  incident: IncidentRecord;
  detail: string | null;
  now: number;
  /** tall enough for a third line of detail */ roomy: boolean;
}) {
  const meta = metaOf(incident.state);
  const { who, width } = incidentWho(incident);
  return (
    <article
      className="flex min-w-0 flex-col overflow-hidden rounded-[1.2vh] border-l-[1.2vh] bg-slate-900 px-[1.6vh] py-[1.2vh] ring-1 ring-slate-700"
      style={{ borderLeftColor: meta.color }}
      data-testid="wall-tile"
      data-kind="incident"
      data-state={incident.state}
      data-scope={incident.scope}
      aria-label={`Incident: ${incident.cause}`}
    >
      <div className="flex items-center gap-[1vh]">
        <span
          className={cn(
            'shrink-0 rounded-[0.6vh] px-[0.8vh] py-[0.2vh] text-[max(16px,1.8vh)] font-bold whitespace-nowrap uppercase',
            meta.solid,
          )}
        >
          {meta.label}
        </span>
        {/* The acknowledgement badge of the incident goes here, beside its state. */}
        <span className="flex min-w-0 flex-1 items-center gap-[0.6vh]" data-testid="wall-incident-ack-slot">
          {incident.ack && <WallAck ack={incident.ack} />}
        </span>
        {now > 0 && (
          <span className="shrink-0 text-[max(16px,1.8vh)] whitespace-nowrap text-slate-300 tabular">
            for {formatLasted(now - Date.parse(incident.start))}
          </span>
        )}
      </div>
      <p
        className={cn(
          'mt-[0.6vh] text-[3.6vh] leading-tight font-bold break-words text-white',
          incident.scope === 'global' ? 'tabular' : 'font-mono',
        )}
        data-testid="wall-incident-who"
      >
        {who}
      </p>
      <p className="text-[max(16px,1.8vh)] leading-snug text-slate-400 tabular" data-testid="wall-incident-width">
        {width} · {sinceText(incident.start, now)}
      </p>
      {detail && (
        <p
          className={cn(
            'mt-[0.4vh] text-[max(16px,2.3vh)] leading-snug break-words text-slate-200',
            roomy ? 'line-clamp-3' : 'line-clamp-2',
          )}
          data-testid="wall-incident-detail"
        >
          {detail}
        </p>
      )}
    </article>
  );
}
