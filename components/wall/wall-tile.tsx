import type { PairHealth } from '@/lib/shared/types';
import { forText } from '@/components/history/state-style';
import { STATE_META } from '@/components/status/health-state-meta';
import { trendText } from '@/components/status/trend-label';
import { formatCount } from '@/components/ui/format';
import { formatMinutesRounded } from '@/lib/shared/duration';
import { cn } from '@/components/ui/cn';
import { WallAck } from './wall-ack';

/** One problem pair, readable from across the room: state, pair, why. */
export function WallTile({
  pair,
  roomy,
}: {
  pair: PairHealth;
  /** tall enough for a third line of reason */ roomy: boolean;
}) {
  const meta = STATE_META[pair.state];
  const Icon = meta.icon;
  return (
    <article
      className="flex min-w-0 flex-col overflow-hidden rounded-[1.2vh] border-l-[1.2vh] bg-slate-900 px-[1.6vh] py-[1.2vh] ring-1 ring-slate-700"
      style={{ borderLeftColor: meta.color }}
      data-testid="wall-tile"
      data-kind="pair"
      data-state={pair.state}
      aria-label={`${pair.symbol} ${pair.timeframe}: ${meta.label} — ${pair.reason}`}
    >
      <div className="flex items-center gap-[1vh]">
        <span
          className={cn(
            'inline-flex shrink-0 items-center gap-[0.6vh] rounded-[0.6vh] px-[0.8vh] py-[0.2vh] text-[max(16px,1.8vh)] font-bold whitespace-nowrap uppercase',
            meta.solid,
          )}
        >
          <Icon aria-hidden className="size-[max(16px,2vh)]" strokeWidth={2.5} />
          {meta.label}
        </span>
        {pair.ack && <WallAck ack={pair.ack} />}
        <span className="ml-auto min-w-0 truncate text-[max(16px,1.8vh)] text-slate-300">
          {trendText(pair.trend, pair.etaMinutes)}
        </span>
      </div>
      <p className="mt-[0.6vh] truncate font-mono text-[3.6vh] leading-tight font-bold text-white">
        {pair.symbol} <span className="text-slate-400">{pair.timeframe}</span>
      </p>
      <p className="text-[max(16px,1.8vh)] leading-snug text-slate-400 tabular" data-testid="wall-tile-status">
        {[
          pair.state_since ? forText(pair.state_since) : null,
          pair.barsBehind !== null && pair.barsBehind > 0 ? `${formatCount(pair.barsBehind)} behind` : null,
          pair.lastSuccessUtc !== null && pair.minutesSinceSuccess !== null
            ? `ok ${formatMinutesRounded(pair.minutesSinceSuccess)} ago`
            : 'never succeeded',
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <p
        className={cn(
          'mt-[0.4vh] text-[max(16px,2.3vh)] leading-snug break-words text-slate-200',
          roomy ? 'line-clamp-3' : 'line-clamp-2',
        )}
        data-testid="wall-tile-reason"
      >
        {pair.reason}
      </p>
    </article>
  );
}
