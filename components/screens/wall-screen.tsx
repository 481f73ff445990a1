'use client';

import { Activity } from 'lucide-react';
import { WALL_POLL_MS } from '@/components/hooks/polling';
import { HEALTH_STATES } from '@/lib/shared/types';
import { isProblem } from '@/lib/health/rules';
import { describeError } from '@/components/hooks/api-fetch';
import { useHealthSummaryQuery } from '@/components/hooks/use-health-summary-query';
import { useIncidentsQuery } from '@/components/hooks/use-incidents-query';
import { useNow } from '@/components/hooks/use-now';
import { isStale, StaleBanner } from '@/components/status/stale-banner';
import { ReplicaBanner } from '@/components/status/replica-banner';
import { WorkerBanner } from '@/components/status/worker-banner';
import { ProblemTiles } from '@/components/wall/problem-tiles';
import { WALL_INCIDENTS_LIMIT, wallItems } from '@/components/wall/wall-items';
import { WallClock } from '@/components/wall/wall-clock';
import { WallCounts } from '@/components/wall/wall-counts';
import { cn } from '@/components/ui/cn';
import { formatCount } from '@/components/ui/format';

/**
 * The wall: one screen, no scrolling, nothing to click. It polls in the background forever;
 * when a poll fails the last good data stays up, dimmed, under a banner that says how old it
 * is, and the next successful poll clears it without anyone touching the screen.
 */
export function WallScreen({ intervalMs = WALL_POLL_MS, team = null }: { intervalMs?: number; team?: string | null }) {
  const summary = useHealthSummaryQuery({ intervalMs, pollInBackground: true, team });
  const incidents = useIncidentsQuery({
    team,
    status: 'open',
    limit: WALL_INCIDENTS_LIMIT,
    intervalMs,
    pollInBackground: true,
  });
  const now = useNow(15_000);
  const data = summary.data;
  const stale = isStale(summary);
  const problemCount = data ? HEALTH_STATES.filter(isProblem).reduce((sum, state) => sum + data.byState[state], 0) : 0;
  const wall = data ? wallItems(data, incidents.data, problemCount) : null;

  return (
    <div
      className="wall-root fixed inset-0 flex cursor-none flex-col gap-[1.6vh] overflow-hidden bg-[#05070c] p-[2.2vh] text-slate-100"
      data-testid="wall"
    >
      <header className="flex items-center justify-between">
        <div className="flex shrink-0 items-center gap-[1.4vh]">
          <Activity aria-hidden className="size-[5vh] text-sky-400" />
          <div className="leading-none">
            <h1 className="text-[3.6vh] font-bold tracking-tight" data-testid="wall-title">
              Aggregation health{team && <span className="text-sky-300"> · team {team}</span>}
            </h1>
            <p className="mt-[0.6vh] text-[2vh] text-slate-400">
              {data
                ? `${formatCount(data.total)} pairs · stalled after ${data.thresholds.stallMinutes} min · lagging over ${data.thresholds.lagBars} bars`
                : 'Frontier Monitor'}
            </p>
          </div>
        </div>
        <WallClock dataUpdatedAt={summary.dataUpdatedAt} />
      </header>

      <StaleBanner tone="wall" intervalMs={intervalMs} query={summary} />
      <WorkerBanner tone="wall" />
      <ReplicaBanner tone="wall" />

      {data && wall ? (
        <div
          className={cn(
            'flex min-h-0 flex-1 flex-col gap-[1.6vh] transition-[opacity,filter] duration-700',
            stale ? 'opacity-45 grayscale' : '',
          )}
          data-testid="wall-content"
          data-stale={stale}
        >
          <WallCounts byState={data.byState} unconfirmed={data.unconfirmed} />
          <ProblemTiles
            items={wall.items}
            problems={data.problems}
            now={now}
            allHealthy={problemCount === 0}
            totalPairs={data.total}
            footer={wall.footer}
          />
        </div>
      ) : (
        <div className="flex flex-1 items-center justify-center text-[4vh] text-slate-400">
          {summary.isError ? `Waiting for data — ${describeError(summary.error)}` : 'Connecting…'}
        </div>
      )}
    </div>
  );
}
