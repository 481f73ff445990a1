'use client';

import { RefreshCw } from 'lucide-react';
import { useNow } from '@/components/hooks/use-now';
import { nextPollAt, type PollTiming } from '@/components/hooks/polling';
import { formatAge } from '@/lib/shared/duration';
import { cn } from '@/components/ui/cn';

/**
 * "Updated 4 s ago · next update in 11 s". Ticks by itself every second so that the screen
 * around it does not re-render.
 */
export function PollStatus({
  timing,
  onRefresh,
  tone = 'light',
}: {
  timing: PollTiming;
  onRefresh?: () => void;
  tone?: 'light' | 'dark';
}) {
  const now = useNow(1_000);
  const next = nextPollAt(timing);
  const asOf = timing.dataAsOf ?? timing.dataUpdatedAt;
  const updated = asOf && now ? `Updated ${formatAge(Math.max(0, now - asOf))} ago` : 'Not updated yet';
  const countdown = timing.isFetching
    ? 'updating…'
    : next && now
      ? `next in ${formatAge(Math.max(0, next - now))}`
      : '';
  const muted = tone === 'dark' ? 'text-slate-300' : 'text-slate-600';
  return (
    <div className={cn('flex items-center gap-2 text-sm tabular', muted)} data-testid="poll-status">
      <span data-testid="updated-ago">{updated}</span>
      {countdown && (
        <span aria-hidden className="opacity-80">
          · {countdown}
        </span>
      )}
      {onRefresh && (
        <button
          type="button"
          onClick={onRefresh}
          disabled={timing.isFetching}
          className="ml-1 inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50"
        >
          <RefreshCw aria-hidden className={cn('size-3.5', timing.isFetching ? 'animate-spin' : '')} />
          Refresh
        </button>
      )}
    </div>
  );
}
