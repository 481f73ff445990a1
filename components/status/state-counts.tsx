import { HEALTH_STATES, type HealthState } from '@/lib/shared/types';
import { formatCount } from '@/components/ui/format';
import { STATE_META } from './health-state-meta';
import { cn } from '@/components/ui/cn';
import { useRovingFocus } from '@/components/hooks/use-roving-focus';

/**
 * One button per state with its count; pressing one filters the table to that state (and
 * pressing it again removes the filter). Counts are over all pairs, not the filtered view.
 * The cards are one Tab stop, a toolbar whose arrows move between them.
 */
export function StateCounts({
  byState,
  unconfirmed = 0,
  selected,
  onToggle,
}: {
  byState: Record<HealthState, number> | undefined;
  /** OK pairs that stale replica data cannot confirm: said on the OK card, not counted as OK */
  unconfirmed?: number;
  selected: readonly HealthState[];
  onToggle: (state: HealthState) => void;
}) {
  const roving = useRovingFocus(HEALTH_STATES.length);
  return (
    <div
      role="toolbar"
      aria-label="Pairs per health state"
      onKeyDown={roving.onKeyDown}
      className="grid grid-cols-3 gap-2 sm:grid-cols-5 xl:auto-cols-fr xl:grid-flow-col xl:grid-cols-none"
    >
      {HEALTH_STATES.map((state, index) => {
        const meta = STATE_META[state];
        const Icon = meta.icon;
        const doubtful = state === 'OK' ? unconfirmed : 0;
        const count = byState === undefined ? undefined : byState[state] - doubtful;
        const pressed = selected.includes(state);
        const quiet = count === 0;
        return (
          <button
            key={state}
            type="button"
            aria-pressed={pressed}
            {...roving.itemProps(index)}
            onClick={() => onToggle(state)}
            data-testid={`count-${state}`}
            title={`${meta.meaning} Click to ${pressed ? 'remove this filter' : 'show only these pairs'}.`}
            className={cn(
              'group flex h-full w-full min-w-0 flex-col items-start gap-1 rounded-lg border bg-white px-2 py-2 text-left sm:px-3 shadow-sm transition hover:border-slate-400 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600',
              pressed ? 'border-slate-900 ring-2 ring-slate-900' : 'border-slate-200',
            )}
          >
            {/* The state's colour on the icon and the bar; the words dark enough to read (WCAG AA). On a
                phone (three to a row) the icon goes and the letters close up, so "Maintenance" fits. */}
            <span
              className={cn(
                'flex items-center gap-1.5 text-[11px] font-semibold tracking-normal uppercase sm:text-xs sm:tracking-wide',
                quiet ? 'text-slate-500' : 'text-slate-800',
              )}
            >
              <Icon aria-hidden className={cn('hidden size-4 sm:block', quiet ? '' : meta.text)} strokeWidth={2.5} />
              {meta.label}
            </span>
            <span
              className={cn('text-2xl font-bold tabular', quiet ? 'text-slate-400' : 'text-slate-900')}
              data-testid={`count-value-${state}`}
            >
              {formatCount(count)}
              {doubtful > 0 && (
                <span className="ml-1 text-xs font-medium text-amber-800" data-testid="count-unconfirmed">
                  +{formatCount(doubtful)} unconfirmed
                </span>
              )}
            </span>
            <span
              aria-hidden
              className={cn('mt-auto h-1 w-full rounded-full', quiet ? 'bg-slate-100' : '')}
              style={quiet ? undefined : { background: meta.color }}
            />
          </button>
        );
      })}
    </div>
  );
}
