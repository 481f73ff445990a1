'use client';

import { useUrlChoice } from '@/components/hooks/use-url-choice';
import { STATS_WINDOWS, type StatsWindow } from '@/lib/shared/history-types';
import { describeError } from '@/components/hooks/api-fetch';
import { useIncidentStatsQuery } from '@/components/hooks/use-incident-stats-query';
import { formatCount } from '@/components/ui/format';
import { formatLasted } from '@/lib/shared/duration';

const LABELS: Record<StatsWindow, string> = { '24h': '24 h', '7d': '7 d', '30d': '30 d' };
// Minutes as the stats count them: less than one is "< 1 min", not "0 s".
const minutes = (value: number | null) => (value === null ? '—' : value < 1 ? '< 1 min' : formatLasted(value * 60_000));

/** How often and how long pairs were in trouble (a team's, or every pair): per timeframe and the worst symbols. */
export function ProblemStats({ team = null }: { team?: string | null }) {
  const [window, setWindow] = useUrlChoice('window', STATS_WINDOWS, '24h');
  const stats = useIncidentStatsQuery(window, team);
  const data = stats.data;
  return (
    <section
      aria-labelledby="stats-title"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      data-testid="problem-stats"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="stats-title" className="text-base font-semibold text-slate-800">
          Time in problem and MTTR{team ? ` · team ${team}` : ''}
        </h2>
        <div role="group" aria-label="Window" className="inline-flex rounded-md ring-1 ring-slate-300">
          {STATS_WINDOWS.map((value) => (
            <button
              key={value}
              type="button"
              aria-pressed={window === value}
              onClick={() => setWindow(value)}
              className="px-3 py-1 text-sm text-slate-700 first:rounded-l-md last:rounded-r-md aria-pressed:bg-slate-900 aria-pressed:text-white"
            >
              {LABELS[value]}
            </button>
          ))}
        </div>
      </div>
      {!data ? (
        <p className="text-sm text-slate-500">
          {stats.isError ? `Could not be loaded: ${describeError(stats.error)}` : 'Loading…'}
        </p>
      ) : (
        <div className="grid items-start gap-6 lg:grid-cols-2">
          <table className="w-full text-sm tabular" data-testid="stats-by-timeframe">
            <caption className="sr-only">Per timeframe</caption>
            <thead className="text-left text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                <th className="py-1 pr-3 font-semibold">Timeframe</th>
                <th className="py-1 pr-3 text-right font-semibold">Pairs</th>
                <th
                  className="py-1 pr-3 text-right font-semibold"
                  title="problem episodes: a pair's consecutive problem states count once"
                >
                  Episodes
                </th>
                <th className="py-1 pr-3 text-right font-semibold">Time in problem</th>
                <th
                  className="py-1 text-right font-semibold"
                  title="mean time to recover, of the episodes that ended in the window"
                >
                  MTTR
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.byTimeframe.map((row) => (
                <tr key={row.timeframe}>
                  <td className="py-1 pr-3 font-mono">{row.timeframe}</td>
                  <td className="py-1 pr-3 text-right">{formatCount(row.pairs)}</td>
                  <td className="py-1 pr-3 text-right">{formatCount(row.episodes)}</td>
                  <td className="py-1 pr-3 text-right">
                    {minutes(row.problemMinutes)} <span className="text-slate-500">({row.problemPct}%)</span>
                  </td>
                  <td className="py-1 text-right">{minutes(row.mttrMinutes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="w-full text-sm tabular" data-testid="stats-top-symbols">
            <caption className="sr-only">Symbols with the most time in problem</caption>
            <thead className="text-left text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                <th className="py-1 pr-3 font-semibold">Symbol (most time in problem)</th>
                <th className="py-1 pr-3 text-right font-semibold">Episodes</th>
                <th className="py-1 pr-3 text-right font-semibold">Time in problem</th>
                <th className="py-1 text-right font-semibold">MTTR</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.topSymbols.length === 0 && (
                <tr>
                  <td colSpan={4} className="py-2 text-slate-500">
                    No problem recorded in the last {LABELS[window]}.
                  </td>
                </tr>
              )}
              {data.topSymbols.map((row) => (
                <tr key={row.symbol}>
                  <td className="py-1 pr-3 font-mono">{row.symbol}</td>
                  <td className="py-1 pr-3 text-right">{formatCount(row.episodes)}</td>
                  <td className="py-1 pr-3 text-right">{minutes(row.problemMinutes)}</td>
                  <td className="py-1 text-right">{minutes(row.mttrMinutes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
