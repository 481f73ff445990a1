'use client';

import { useNow } from '@/components/hooks/use-now';
import { formatUtc } from '@/lib/shared/time-format';
import { formatLasted } from '@/lib/shared/duration';

/** "since 05:12 UTC (for 17 min) · next retry in 3 min 40 s" next to the pair's state. */
export function PairSince({
  stateSince,
  nextRetryUtc,
}: {
  stateSince: string | null | undefined;
  nextRetryUtc: string | null | undefined;
}) {
  const now = useNow(1_000);
  if (now === 0 || (!stateSince && !nextRetryUtc)) return null;
  const retryIn = nextRetryUtc ? Date.parse(nextRetryUtc) - now : null;
  return (
    <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700" data-testid="pair-since">
      {stateSince && (
        <span>
          In this state since <span className="tabular">{formatUtc(stateSince)}</span> (for{' '}
          <strong className="tabular">{formatLasted(now - Date.parse(stateSince))}</strong>)
        </span>
      )}
      {retryIn !== null && (
        <span data-testid="next-retry" className="font-medium text-red-900">
          {retryIn > 0 ? (
            <>
              Retry backoff: next retry in <strong className="tabular">{formatLasted(retryIn)}</strong>
            </>
          ) : (
            'Retry due now'
          )}
          <span className="font-normal text-slate-600">
            {' '}
            · after a fix, run <code className="font-mono">npm run ops -- retry</code> to retry at once
          </span>
        </span>
      )}
    </p>
  );
}
