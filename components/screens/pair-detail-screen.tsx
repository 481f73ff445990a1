'use client';

import { ArrowLeft } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, type ReactNode } from 'react';
import { isClientError, PAIR_DETAIL_POLL_MS } from '@/components/hooks/polling';
import { BarsBehindChart } from '@/components/charts/bars-behind-chart';
import { BarsPerRunChart } from '@/components/charts/bars-per-run-chart';
import { FailureKey } from '@/components/charts/chart-card';
import { FrontierChart } from '@/components/charts/frontier-chart';
import { RunDurationChart } from '@/components/charts/run-duration-chart';
import { buildRunSeries } from '@/components/charts/run-series';
import { describeError } from '@/components/hooks/api-fetch';
import { useHealthSummaryQuery } from '@/components/hooks/use-health-summary-query';
import { usePairDetailQuery } from '@/components/hooks/use-pair-detail-query';
import { usePairRunsQuery } from '@/components/hooks/use-pair-runs-query';
import { PairSince } from '@/components/history/pair-since';
import { PairStateHistory } from '@/components/history/pair-state-history';
import { PairFacts, PairVerdict } from '@/components/status/pair-summary';
import { PollStatus } from '@/components/status/poll-status';
import { StaleBanner } from '@/components/status/stale-banner';
import { ReplicaBanner } from '@/components/status/replica-banner';
import { RunsTable } from '@/components/tables/runs-table';
import { AppHeader } from '@/components/ui/app-header';
import { CodeBlock } from '@/components/ui/code-block';
import { formatUtc } from '@/lib/shared/time-format';
import { overviewHref, pairHref } from '@/components/ui/pair-href';
import { PairNotFound } from '@/components/status/pair-not-found';
import { useLastOverviewHref } from '@/components/ui/last-overview';
import { cn } from '@/components/ui/cn';
import { PairActionsPanel } from '@/components/actions/pair-actions-panel';
import { AckForm } from '@/components/actions/ack-form';
import { WithdrawAck } from '@/components/actions/withdraw-ack';
import { AckBadge } from '@/components/status/ack-badge';
import { isProblem } from '@/lib/health/rules';
import { MaintenanceForm } from '@/components/maintenance/maintenance-form';

function Section({ title, children, id }: { title: string; children: ReactNode; id: string }) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h2 id={id} className="text-base font-semibold text-slate-800">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** One pair: verdict, numbers, what to run, charts from its run history, and the runs. */
export function PairDetailScreen({ symbol, timeframe }: { symbol: string; timeframe: string }) {
  const detail = usePairDetailQuery(symbol, timeframe);
  const router = useRouter();
  const overviewBack = useLastOverviewHref();
  const canonical = detail.data?.pair;
  // A symbol typed in another case: the API answered for the registered one; move to its address.
  useEffect(() => {
    if (canonical && (canonical.symbol !== symbol || canonical.timeframe !== timeframe)) {
      router.replace(pairHref(canonical.symbol, canonical.timeframe));
    }
  }, [canonical, symbol, timeframe, router]);
  const runs = usePairRunsQuery(symbol, timeframe, !isClientError(detail.error));
  const summary = useHealthSummaryQuery({ intervalMs: false });
  const series = useMemo(() => buildRunSeries(detail.data?.history ?? []), [detail.data?.history]);
  const runList = useMemo(() => runs.data?.pages.flatMap((page) => page.runs) ?? [], [runs.data]);
  const notFound = isClientError(detail.error) && !detail.data;
  const pair = detail.data?.pair;

  return (
    <>
      <AppHeader current="pair">
        <PollStatus
          timing={{
            dataUpdatedAt: detail.dataUpdatedAt,
            errorUpdatedAt: detail.errorUpdatedAt,
            isFetching: detail.isFetching,
            intervalMs: PAIR_DETAIL_POLL_MS,
          }}
          onRefresh={() => {
            void detail.refetch();
            void runs.refetch();
          }}
        />
      </AppHeader>
      <main id="main" tabIndex={-1} className="mx-auto max-w-[1800px] space-y-5 px-4 py-4 sm:px-6">
        <nav aria-label="Breadcrumb" className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
          <Link href={overviewBack} className="inline-flex items-center gap-1 font-medium text-sky-800 hover:underline">
            <ArrowLeft aria-hidden className="size-4" />
            Overview
          </Link>
          <Link href={overviewHref({ q: symbol })} className="text-sky-800 hover:underline">
            All {symbol} timeframes
          </Link>
          <Link href={overviewHref({ timeframes: [timeframe] })} className="text-sky-800 hover:underline">
            All {timeframe} pairs
          </Link>
        </nav>

        <h1 className="flex items-baseline gap-3 text-2xl font-bold text-slate-900">
          <span className="font-mono">{symbol}</span>
          <span className="rounded-md bg-slate-200 px-2 py-0.5 font-mono text-lg text-slate-800">{timeframe}</span>
        </h1>

        {notFound ? (
          <PairNotFound symbol={symbol} timeframe={timeframe} reason={describeError(detail.error)} />
        ) : (
          <>
            <StaleBanner intervalMs={PAIR_DETAIL_POLL_MS} query={detail} />
            <ReplicaBanner />
            {!pair ? (
              <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-500">
                {detail.isPending ? 'Loading pair…' : 'No data for this pair yet.'}
              </p>
            ) : (
              <>
                <PairVerdict pair={pair} />
                <PairSince stateSince={pair.state_since} nextRetryUtc={detail.data?.nextRetryUtc} />
                <PairFacts pair={pair} />
                <MaintenanceForm pair={pair} />

                <Section title="Actions" id="actions-title">
                  {(isProblem(pair.state) || detail.data?.ack) && (
                    <div className="mb-3 flex flex-wrap items-center gap-2" data-testid="pair-ack">
                      {detail.data?.ack && (
                        <AckBadge
                          ack={detail.data.ack}
                          withdraw={
                            <WithdrawAck
                              target={{ symbol: pair.symbol, timeframe: pair.timeframe }}
                              label="this pair"
                            />
                          }
                        />
                      )}
                      {isProblem(pair.state) && (
                        <AckForm target={{ symbol: pair.symbol, timeframe: pair.timeframe }} label="this pair" />
                      )}
                    </div>
                  )}
                  <PairActionsPanel symbol={pair.symbol} timeframe={pair.timeframe} enabled={pair.enabled} />
                </Section>

                <Section title="State history" id="state-history-title">
                  <PairStateHistory symbol={symbol} timeframe={timeframe} />
                </Section>

                <div
                  className={cn('grid gap-5', detail.data?.remediationSql && pair.lastError ? 'xl:grid-cols-2' : '')}
                >
                  {detail.data?.remediationSql && (
                    <Section title="Remediation SQL" id="remediation-title">
                      <p className="text-sm text-slate-600">
                        For the {pair.state} state of this pair; the destructive steps come after the look that shows
                        what they change.
                      </p>
                      <CodeBlock
                        code={detail.data.remediationSql}
                        label="Remediation SQL"
                        copyLabel="Copy SQL"
                        testId="remediation-sql"
                      />
                    </Section>
                  )}
                  {pair.lastError && (
                    <Section title="Last error" id="last-error-title">
                      <p className="text-sm text-slate-600">
                        {formatUtc(pair.lastErrorUtc)}
                        {pair.consecutiveFailures === 0
                          ? ' — the pair has succeeded since.'
                          : ` — ${pair.consecutiveFailures} failed run(s) in a row.`}
                      </p>
                      <CodeBlock
                        code={pair.lastError}
                        label="Last error"
                        tone="error"
                        copyLabel="Copy error"
                        testId="last-error"
                        maxHeight="14rem"
                      />
                    </Section>
                  )}
                </div>

                <Section
                  title={`Charts — the last ${series.points.length} catch-up run${series.points.length === 1 ? '' : 's'} (of ${detail.data?.history.length ?? 0} recorded, audits not charted)`}
                  id="charts-title"
                >
                  <FailureKey count={series.failedRuns} />
                  <div className="grid gap-4 lg:grid-cols-2">
                    <FrontierChart
                      series={series}
                      sourceFrontier={detail.data?.sourceFrontier ?? []}
                      cursorNow={{
                        atMs: Date.parse(detail.data?.generatedAt ?? ''),
                        cursorMs: pair?.cursorUtc ? Date.parse(pair.cursorUtc) : null,
                      }}
                    />
                    <BarsBehindChart series={series} lagBars={summary.data?.thresholds.lagBars ?? null} />
                    <BarsPerRunChart series={series} />
                    <RunDurationChart series={series} />
                  </div>
                </Section>
              </>
            )}

            {/* Below the pair's facts, once they are in: appearing under the loading line, it moves nothing. */}
            {pair && (
              <Section title="Recent runs" id="runs-title">
                {runs.isPending ? (
                  <p className="text-sm text-slate-500">Loading runs…</p>
                ) : runs.isError && !runs.data ? (
                  <p className="text-sm text-red-800">Runs could not be loaded: {describeError(runs.error)}</p>
                ) : (
                  <RunsTable
                    runs={runList}
                    hasMore={runs.hasNextPage}
                    loadingMore={runs.isFetchingNextPage}
                    onLoadMore={() => void runs.fetchNextPage()}
                  />
                )}
              </Section>
            )}
          </>
        )}
      </main>
    </>
  );
}
