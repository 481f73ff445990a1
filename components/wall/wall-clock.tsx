'use client';

import { useNow } from '@/components/hooks/use-now';
import { formatAge } from '@/lib/shared/duration';

/** The time in UTC (the pipeline's clock) and the age of the data on screen. */
export function WallClock({ dataUpdatedAt }: { dataUpdatedAt: number }) {
  const now = useNow(1_000);
  const iso = now ? new Date(now).toISOString() : '';
  return (
    <div className="text-right leading-none tabular">
      <p className="text-[5.2vh] font-bold tracking-tight" data-testid="wall-clock">
        {iso ? iso.slice(11, 19) : '--:--:--'}
        <span className="ml-[0.6vh] text-[2.2vh] font-semibold text-slate-400">UTC</span>
      </p>
      <p className="mt-[0.8vh] text-[2.1vh] text-slate-300" data-testid="updated-ago">
        {iso ? `${iso.slice(0, 10)} · ` : ''}
        {dataUpdatedAt && now ? `updated ${formatAge(now - dataUpdatedAt)} ago` : 'waiting for the first update'}
      </p>
    </div>
  );
}
