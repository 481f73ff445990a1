import { HEALTH_STATES, type HealthState } from '@/lib/shared/types';
import { STATE_META } from '@/components/status/health-state-meta';
import { formatCount } from '@/components/ui/format';
import { isProblem } from '@/lib/health/rules';
import { cn } from '@/components/ui/cn';

/** One big number per state; a problem state with pairs in it lights up in its colour (CLOSED stays quiet). */
export function WallCounts({
  byState,
  unconfirmed = 0,
}: {
  byState: Record<HealthState, number> | undefined;
  /** OK pairs that replica data too far behind the primary cannot confirm: not shown as OK */
  unconfirmed?: number;
}) {
  return (
    <ul className="grid auto-cols-fr grid-flow-col gap-[1vh]" aria-label="Pairs per state">
      {HEALTH_STATES.map((state) => {
        const meta = STATE_META[state];
        const Icon = meta.icon;
        const doubtful = state === 'OK' ? unconfirmed : 0;
        const count = (byState?.[state] ?? 0) - doubtful;
        const lit = count > 0 && isProblem(state);
        return (
          <li
            key={state}
            data-testid={`wall-count-${state}`}
            className={cn(
              'flex min-w-0 flex-col justify-between rounded-[1vh] px-[1.2vh] py-[1vh]',
              lit ? meta.solid : 'bg-slate-900 text-slate-300 ring-1 ring-slate-700',
            )}
          >
            {/* Two lines at most: with eleven states a label such as "Cursor ahead" would be cut to "Cursor ah…". */}
            <span
              className="line-clamp-2 text-[max(19px,1.8vh)] leading-tight font-bold break-words"
              title={meta.label}
            >
              {doubtful > 0 ? `${meta.label} (${formatCount(doubtful)} unconfirmed)` : meta.label}
            </span>
            <span className="flex items-center gap-[1vh]">
              <Icon aria-hidden className="size-[4vh] shrink-0" strokeWidth={2.5} />
              <span className={cn('text-[6vh] leading-none font-black tabular', count === 0 ? 'opacity-40' : '')}>
                {byState ? formatCount(count) : '—'}
              </span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
