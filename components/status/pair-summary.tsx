import { Wrench } from 'lucide-react';
import type { ReactNode } from 'react';
import type { PairHealth } from '@/lib/shared/types';
import { describeMarket } from '@/lib/health/market-session';
import { formatCount, formatDecimal } from '@/components/ui/format';
import { formatUtc } from '@/lib/shared/time-format';
import { formatMinutesRounded } from '@/lib/shared/duration';
import { STATE_META } from './health-state-meta';
import { StateBadge } from './state-badge';
import { TrendLabel } from './trend-label';

/** The pair's state, why, and what to do — the first thing an on-call engineer reads. */
export function PairVerdict({ pair }: { pair: PairHealth }) {
  const others = pair.reasons.slice(1);
  return (
    <section
      aria-label="Health"
      className="rounded-lg border-l-8 bg-white p-4 shadow-sm ring-1 ring-slate-200"
      style={{ borderLeftColor: STATE_META[pair.state].color }}
      data-testid="pair-verdict"
    >
      <div className="flex flex-wrap items-center gap-3">
        <StateBadge state={pair.state} size="lg" unconfirmed={pair.unconfirmed} />
        <p className="text-lg font-semibold text-slate-900" data-testid="pair-reason">
          {pair.reason}
        </p>
      </div>
      {others.length > 0 && (
        <div className="mt-3">
          <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Also</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-700">
            {others.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="mt-3 flex items-start gap-2 rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-950 ring-1 ring-sky-200">
        <Wrench aria-hidden className="mt-0.5 size-4 shrink-0" />
        <p>
          <strong className="font-semibold">What to do: </strong>
          {pair.action}
        </p>
      </div>
    </section>
  );
}

function Fact({ term, children, hint }: { term: string; children: ReactNode; hint?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase" title={hint}>
        {term}
      </dt>
      <dd className="mt-0.5 text-sm font-medium break-words text-slate-900 tabular">{children}</dd>
    </div>
  );
}

/** The numbers behind the verdict, straight from v_aggregation_frontier_health. */
export function PairFacts({ pair }: { pair: PairHealth }) {
  return (
    <dl
      className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-3 lg:grid-cols-4 2xl:grid-cols-6"
      data-testid="pair-facts"
    >
      <Fact term="Cursor" hint="last_agg_bar_ts_utc: start of the newest finished window">
        {formatUtc(pair.cursorUtc)} <span className="text-xs text-slate-500">({pair.cursorStatus})</span>
      </Fact>
      <Fact term="Source frontier" hint="newest bars_1m row of the symbol">
        {formatUtc(pair.sourceMaxTsUtc)}
      </Fact>
      <Fact term="Gap" hint="source frontier minus cursor">
        {formatMinutesRounded(pair.gapMinutes)}
      </Fact>
      <Fact term="Bars behind" hint="complete windows not aggregated yet">
        {formatCount(pair.barsBehind)}
      </Fact>
      <Fact term="Trend / ETA">
        <TrendLabel trend={pair.trend} etaMinutes={pair.etaMinutes} wrap />
      </Fact>
      <Fact term="Source age">{formatMinutesRounded(pair.sourceAgeMinutes)}</Fact>
      <Fact term="Last success">
        {pair.lastSuccessUtc ? (
          <>
            {formatUtc(pair.lastSuccessUtc)}
            {pair.minutesSinceSuccess !== null && (
              <span className="text-xs text-slate-500"> ({formatMinutesRounded(pair.minutesSinceSuccess)} ago)</span>
            )}
          </>
        ) : (
          <span data-testid="never-succeeded">
            never <span className="text-xs text-slate-500">(registered {formatUtc(pair.registeredAtUtc)})</span>
          </span>
        )}
      </Fact>
      <Fact term="Last attempt">{formatUtc(pair.lastAttemptUtc)}</Fact>
      <Fact term="Consecutive failures">
        <span className={pair.consecutiveFailures > 0 ? 'text-red-700' : ''}>{pair.consecutiveFailures}</span>
      </Fact>
      <Fact term="Bars per run" hint="over the last 20 runs that had work">
        {formatDecimal(pair.barsPerRun)}
      </Fact>
      <Fact term="Runs / bars written">
        {formatCount(pair.totalRuns)} / {formatCount(pair.totalBarsWritten)}
      </Fact>
      <Fact term="Enabled">{pair.enabled ? 'yes' : 'no'}</Fact>
      <Fact
        term="Audit: repaired 24 h / unrepaired"
        hint="finalized windows the audit rewrote in the last 24 h / found wrong and left (docs/AUDIT.md)"
      >
        <span data-testid="audit-counts">
          {formatCount(pair.auditRepaired24h)} /{' '}
          <span className={pair.auditUnrepaired > 0 ? 'text-violet-700' : ''}>{formatCount(pair.auditUnrepaired)}</span>
        </span>
      </Fact>
      <Fact term="Last audit">{formatUtc(pair.auditLastUtc)}</Fact>
      <Fact term="Market" hint="the symbol's market calendar (docs/SESSIONS.md)">
        <span data-testid="pair-market">{describeMarket(pair.market)}</span>
        {pair.market && (
          <span className="text-xs text-slate-500">
            {' '}
            ({pair.market.calendar}, {pair.market.timeZone})
          </span>
        )}
      </Fact>
    </dl>
  );
}
