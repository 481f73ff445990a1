import { CircleHelp, Minus, TrendingDown, TrendingUp } from 'lucide-react';
import type { Trend } from '@/lib/shared/types';
import { formatMinutesRounded } from '@/lib/shared/duration';
import { cn } from '@/components/ui/cn';

const TRENDS: Record<Trend, { label: string; icon: typeof Minus; className: string }> = {
  catching_up: { label: 'Catching up', icon: TrendingUp, className: 'text-green-700' },
  steady: { label: 'Steady', icon: Minus, className: 'text-slate-600' },
  falling_behind: { label: 'Falling behind', icon: TrendingDown, className: 'text-red-700' },
  unknown: { label: 'Trend unknown', icon: CircleHelp, className: 'text-slate-500' },
};

export function trendText(trend: Trend, etaMinutes: number | null): string {
  // lib/health/trend.ts reports a pair with nothing behind as steady with an ETA of 0.
  if (etaMinutes === 0) return 'Caught up';
  const eta = etaMinutes === null ? '' : `, ETA ${etaMinutes < 1 ? '< 1 min' : `~${formatMinutesRounded(etaMinutes)}`}`;
  return `${TRENDS[trend].label}${eta}`;
}

/** The direction of bars behind over recent runs, and when it reaches 0 at that rate. */
export function TrendLabel({
  trend,
  etaMinutes,
  compact = false,
  wrap = false,
}: {
  trend: Trend;
  etaMinutes: number | null;
  /** icon only (the words stay for screen readers) */
  compact?: boolean;
  /** may wrap onto a second line instead of being cut off */
  wrap?: boolean;
}) {
  const meta = TRENDS[trend];
  const Icon = meta.icon;
  return (
    <span
      className={cn('inline-flex max-w-full items-center gap-1', wrap ? '' : 'whitespace-nowrap', meta.className)}
      title={trendText(trend, etaMinutes)}
    >
      <Icon aria-hidden className="size-4 shrink-0" />
      {compact ? (
        <span className="sr-only">{trendText(trend, etaMinutes)}</span>
      ) : (
        <span className={wrap ? '' : 'truncate'}>{trendText(trend, etaMinutes)}</span>
      )}
    </span>
  );
}
