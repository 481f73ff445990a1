import { HEALTH_STATES, type HealthState } from '@/lib/shared/types';
import { STATE_META } from '@/components/status/health-state-meta';
import { formatCount } from '@/components/ui/format';
import { isProblem } from '@/lib/health/rules';
import { cn } from '@/components/ui/cn';

/** From this many characters ("3,001") a count takes its box's whole width: its icon gives way. */
const LONG_COUNT = 4;

/**
 * A count as large as its box allows, up to 6vh: eleven boxes share the width, and 30,000 pairs
 * in one state must still read in full, never cut. Tabular bold digits are at most 0.7 em wide.
 */
function countFontSize(text: string): string {
  const room = text.length < LONG_COUNT ? '100cqi - 5vh' : '100cqi';
  return `min(6vh, calc((${room}) / ${(text.length * 0.7).toFixed(2)}))`;
}

/** One big number per state; a problem state with pairs in it lights up in its colour (CLOSED stays quiet). */
/**
 * With twelve states a box at 1280 px holds about 80 px of text at 16 px: the two longest
 * one-word labels get a soft hyphen, so they break with a hyphen instead of running out of the box
 * (Chromium hyphenates `hyphens: auto` only with dictionaries it downloads; a kiosk may have none).
 */
const BREAKABLE: Partial<Record<HealthState, string>> = {
  INEFFICIENT: 'Ineffi\u00ADcient',
  MAINTENANCE: 'Mainte\u00ADnance',
};

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
        const text = byState ? formatCount(count) : '—';
        return (
          <li
            style={{ containerType: 'inline-size' }}
            key={state}
            data-testid={`wall-count-${state}`}
            className={cn(
              'flex min-w-0 flex-col justify-between rounded-[1vh] px-[1.2vh] py-[1vh]',
              lit ? meta.solid : 'bg-slate-900 text-slate-300 ring-1 ring-slate-700',
            )}
          >
            {/* Two lines at most, broken between words or at a soft hyphen (BREAKABLE). */}
            <span className="line-clamp-2 text-[max(16px,1.8vh)] leading-tight font-bold" title={meta.label}>
              {doubtful > 0 ? `${meta.label} (${formatCount(doubtful)} unconfirmed)` : (BREAKABLE[state] ?? meta.label)}
            </span>
            <span className="flex items-center gap-[1vh]">
              {text.length < LONG_COUNT && <Icon aria-hidden className="size-[4vh] shrink-0" strokeWidth={2.5} />}
              <span
                className={cn('leading-none font-black whitespace-nowrap tabular', count === 0 ? 'opacity-40' : '')}
                style={{ fontSize: countFontSize(text) }}
                data-testid={`wall-count-value-${state}`}
              >
                {text}
              </span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
