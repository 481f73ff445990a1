'use client';

import { useUrlChoice } from '@/components/hooks/use-url-choice';
import type { StateInterval } from '@/lib/shared/history-types';
import { describeError } from '@/components/hooks/api-fetch';
import { useNow } from '@/components/hooks/use-now';
import { usePairTimelineQuery } from '@/components/hooks/use-pair-timeline-query';
import { formatUtc } from '@/lib/shared/time-format';
import { StateTimeline } from './state-timeline';
import { metaOf } from './state-style';
import { formatLasted } from '@/lib/shared/duration';
import { cn } from '@/components/ui/cn';

const RANGES = [
  { hours: 24, label: '24 h', param: '24h' },
  { hours: 24 * 7, label: '7 d', param: '7d' },
] as const;
const RANGE_PARAMS = RANGES.map((range) => range.param);

/** The pair's state over the last 24 h or 7 d, and its latest changes with their reasons. */
export function PairStateHistory({ symbol, timeframe }: { symbol: string; timeframe: string }) {
  const [range, setRange] = useUrlChoice('history', RANGE_PARAMS, '24h');
  const hours = RANGES.find((candidate) => candidate.param === range)!.hours;
  const timeline = usePairTimelineQuery(symbol, timeframe, hours);
  const now = useNow(30_000);
  const data = timeline.data;
  const to = data ? Date.parse(data.to) : 0;
  const from = data ? Date.parse(data.from) : 0;
  const recent: StateInterval[] = data ? [...data.intervals].reverse().slice(0, 8) : [];

  return (
    <div className="min-h-[21rem] space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-600">
          Each band is one recorded state; hatched: flapping. Hover a band for its reason.
        </p>
        <div role="group" aria-label="Range" className="inline-flex rounded-md ring-1 ring-slate-300">
          {RANGES.map((range) => (
            <button
              key={range.hours}
              type="button"
              aria-pressed={hours === range.hours}
              onClick={() => setRange(range.param)}
              className="px-3 py-1 text-sm text-slate-700 first:rounded-l-md last:rounded-r-md aria-pressed:bg-slate-900 aria-pressed:text-white"
            >
              {range.label}
            </button>
          ))}
        </div>
      </div>
      {data ? (
        <StateTimeline intervals={data.intervals} from={from} to={Math.max(to, now)} now={Math.max(to, now)} />
      ) : (
        <p className="text-sm text-slate-500">
          {timeline.isError
            ? `The history could not be loaded: ${describeError(timeline.error)}`
            : 'Loading the state history…'}
        </p>
      )}
      {recent.length > 0 && (
        <div className="max-h-[11rem] overflow-y-auto">
          <table className="w-full text-sm" data-testid="state-changes">
            <caption className="sr-only">Latest state changes</caption>
            <thead className="text-left text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                <th className="py-1 pr-3 font-semibold">Since</th>
                <th className="py-1 pr-3 font-semibold">State</th>
                <th className="py-1 pr-3 font-semibold">For</th>
                <th className="py-1 font-semibold">Reason</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {recent.map((interval) => {
                const meta = metaOf(interval.state);
                const end = interval.until ? Date.parse(interval.until) : Math.max(now, to);
                return (
                  <tr key={`${interval.since}-${interval.state}`}>
                    <td className="py-1 pr-3 whitespace-nowrap text-slate-700 tabular">{formatUtc(interval.since)}</td>
                    <td className="py-1 pr-3 whitespace-nowrap">
                      <span
                        className={cn('rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset', meta.badge)}
                      >
                        {meta.label}
                      </span>
                      {interval.flapping && (
                        <span className="ml-1 text-xs font-semibold text-orange-700">flapping</span>
                      )}
                    </td>
                    <td className="py-1 pr-3 whitespace-nowrap text-slate-700 tabular">
                      {formatLasted(end - Date.parse(interval.since))}
                      {interval.until ? '' : ' (now)'}
                    </td>
                    <td className="py-1 text-slate-700">{interval.reason}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
