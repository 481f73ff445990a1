import { Gauge, Registry } from 'prom-client';
import packageJson from '../../package.json';
import { getHealthSnapshot, getTimeframes, type HealthSnapshot } from './snapshot';
import { env } from '../server/env';
import { HEALTH_STATES } from '../shared/types';
import { isProblem, PROBLEM_STATES, QUIET_STATES } from '../health/rules';

/**
 * Prometheus text for GET /api/metrics, rebuilt from the same cached snapshot as the API (so a
 * scrape costs no extra query) into a Registry of its own: the global one would keep series of
 * pairs that no longer exist and would mix in whatever else registers there.
 *
 * Size stays bounded whatever the number of pairs (docs/ALERTS.md): counts per state and
 * timeframe always, per-pair series only for pairs in a problem state, at most
 * METRICS_PAIR_SERIES_CAP of them, most severe states first. 30,000 healthy pairs cost a few dozen series.
 */

/** The fixed `state` label values of frontier_pair_state: the problem states, the only ones a listed pair can be in. */
export const PAIR_SERIES_STATES: readonly string[] = PROBLEM_STATES;

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * Numbers other parts of the system may add. incidentsOpen is the hook for the incidents
 * feature: when given, frontier_incidents_open is exported (absent otherwise, not a fake 0).
 */
export interface MetricsSources {
  incidentsOpen?: () => Promise<number>;
}

export interface MetricsInput {
  snapshot: HealthSnapshot;
  /** every configured timeframe, so the counts have the same label set at every scrape */
  timeframes: readonly string[];
  pairSeriesCap: number;
  incidentsOpen?: number;
}

/**
 * One text per snapshot (the snapshot's own 2 s TTL is the only cache): rendering a bounded
 * registry takes tens of milliseconds at 30,000 pairs (bench/metrics.ts), not the seconds of
 * 150,000 series, so the old 10 s rebuild interval is gone and a scrape is never
 * older than the snapshot behind it. Concurrent scrapes of one snapshot share one render.
 */
let built: { snapshot: HealthSnapshot; incidentsOpen: number | undefined; text: Promise<string> } | undefined;

/** How many times the text was rendered (tests read it). */
export let metricsRenders = 0;

export async function metricsText(sources: MetricsSources = {}): Promise<string> {
  const [snapshot, timeframes, incidentsOpen] = await Promise.all([
    getHealthSnapshot(),
    getTimeframes(),
    sources.incidentsOpen?.(),
  ]);
  // A provider's number may change without a new snapshot: shared only while both are the same.
  if (built?.snapshot === snapshot && built.incidentsOpen === incidentsOpen) return built.text;
  const text = Promise.resolve().then(() =>
    renderMetrics({
      snapshot,
      timeframes: timeframes.map((t) => t.timeframe),
      pairSeriesCap: env().METRICS_PAIR_SERIES_CAP,
      incidentsOpen,
    }),
  );
  const entry = { snapshot, incidentsOpen, text };
  built = entry;
  text.catch(() => {
    if (built === entry) built = undefined;
  });
  return text;
}

export function renderMetrics(input: MetricsInput): Promise<string> {
  metricsRenders += 1;
  const { snapshot, pairSeriesCap } = input;
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });

  gauge('frontier_build_info', 'The running dashboard; value 1.', ['version']).set({ version: packageJson.version }, 1);
  gauge(
    'frontier_snapshot_timestamp_seconds',
    'When the health snapshot behind these numbers was read (age: time() - this).',
  ).set(Date.parse(snapshot.generatedAt) / 1000);

  const pairs = gauge(
    'frontier_pairs',
    `Pairs per health state and timeframe; every state × every timeframe, 0 included. States: ${HEALTH_STATES.join(', ')}.`,
    ['state', 'timeframe'],
  );
  // One pass over up to 30,000 pairs: counts per state and timeframe, and the newest success.
  // ISO timestamps of one fixed format compare as strings; only the winner is parsed.
  const counts = new Map<string, Map<string, number>>(HEALTH_STATES.map((state) => [state, new Map()]));
  const timeframes = new Set(input.timeframes);
  let newestSuccess = '';
  for (const pair of snapshot.rows) {
    timeframes.add(pair.timeframe);
    const byTimeframe = counts.get(pair.state)!;
    byTimeframe.set(pair.timeframe, (byTimeframe.get(pair.timeframe) ?? 0) + 1);
    if (pair.enabled && pair.lastSuccessUtc && pair.lastSuccessUtc > newestSuccess) newestSuccess = pair.lastSuccessUtc;
  }
  for (const timeframe of timeframes) {
    for (const state of HEALTH_STATES) pairs.set({ state, timeframe }, counts.get(state)!.get(timeframe) ?? 0);
  }
  // The worker's heartbeat as the data shows it: a worker that stopped stops moving this.
  if (newestSuccess) {
    gauge(
      'frontier_last_success_timestamp_seconds',
      'The newest successful run of any enabled pair (the worker is alive while this moves).',
    ).set(Date.parse(newestSuccess) / 1000);
  }
  // Where the reads come from (docs/RELIABILITY.md): 0 on a primary, +Inf on a standby that cannot
  // tell how far behind it is, so an alert on the lag fires for that too.
  const { replication } = snapshot;
  gauge(
    'frontier_replica_lag_seconds',
    'How far the data the dashboard reads is behind the primary (0 on a primary, +Inf when a standby cannot tell).',
    ['role'],
  ).set({ role: replication.role }, replication.lagSeconds ?? Infinity);
  gauge(
    'frontier_pairs_unconfirmed',
    'Pairs counted OK in frontier_pairs on replica data past HEALTH_REPLICA_STALE_SECONDS: not confirmed.',
  ).set(snapshot.rows.reduce((sum, pair) => sum + (pair.unconfirmed ? 1 : 0), 0));
  if (input.incidentsOpen !== undefined)
    gauge('frontier_incidents_open', 'Incidents not yet ended.').set(input.incidentsOpen);

  renderPairSeries(gauge, snapshot, pairSeriesCap);
  return registry.metrics();
}

type GaugeFactory = <L extends string>(name: string, help: string, labelNames?: readonly L[]) => Gauge<L>;

/**
 * Per-pair series for problem pairs, most severe states first up to the cap. frontier_pair_state has one
 * series per pair and state of a FIXED set (0 or 1): a pair changing from FAILING to STALLED
 * flips two values instead of ending one series and starting another, so Prometheus sees no
 * churn and an alert is simply frontier_pair_state{state="FAILING"} == 1.
 */
function renderPairSeries(gauge: GaugeFactory, snapshot: HealthSnapshot, cap: number): void {
  // team: the symbol's owner (sql/020), absent when none; one value per symbol, so it
  // adds no series: Alertmanager routes on it (deploy/alertmanager/alertmanager.yml).
  const pairLabels = ['symbol', 'timeframe', 'team'] as const;
  const state = gauge(
    'frontier_pair_state',
    `1 for the pair's health state, 0 for the others; only pairs not ${QUIET_STATES.join('/')}, most severe states first, at most METRICS_PAIR_SERIES_CAP.`,
    [...pairLabels, 'state'],
  );
  const barsBehind = gauge(
    'frontier_pair_bars_behind',
    'Complete windows not yet aggregated (listed pairs only).',
    pairLabels,
  );
  const failures = gauge(
    'frontier_pair_consecutive_failures',
    'Failed runs since the last success (listed pairs only).',
    pairLabels,
  );
  const sinceSuccess = gauge(
    'frontier_pair_seconds_since_success',
    'Seconds since the last successful run or registration (listed pairs only).',
    pairLabels,
  );
  // Per symbol, not per pair: the feed is the symbol's, whatever the timeframe.
  const sourceAge = gauge(
    'frontier_symbol_source_age_seconds',
    'Seconds since the newest source bar of a symbol that has a listed pair.',
    ['symbol', 'team'],
  );
  const omitted = gauge(
    'frontier_pairs_omitted',
    'Pairs in a problem state left without per-pair series by METRICS_PAIR_SERIES_CAP (counted in frontier_pairs all the same).',
  );
  gauge('frontier_pair_series_cap_pairs', 'METRICS_PAIR_SERIES_CAP: at most this many pairs get per-pair series.').set(
    cap,
  );

  const problems = snapshot.rows.filter((pair) => isProblem(pair.state));
  // When the cap binds, the most severe states first and, within a state, by name: not by
  // "how bad" (the snapshot's order), which shifts every scrape and would swap pairs in and
  // out at the boundary — ending and starting their series, resetting their alerts' for:.
  const listed =
    problems.length <= cap
      ? problems
      : [...problems]
          .sort(
            (a, b) =>
              a.severity - b.severity || compareNames(a.symbol, b.symbol) || compareNames(a.timeframe, b.timeframe),
          )
          .slice(0, cap);
  for (const pair of listed) {
    const team = pair.team ? { team: pair.team } : {};
    const labels = { symbol: pair.symbol, timeframe: pair.timeframe, ...team };
    for (const name of PAIR_SERIES_STATES) state.set({ ...labels, state: name }, name === pair.state ? 1 : 0);
    // A missing number (NULL cursor, no source) is an absent series, not a fake 0.
    if (pair.barsBehind !== null) barsBehind.set(labels, pair.barsBehind);
    failures.set(labels, pair.consecutiveFailures);
    if (pair.minutesSinceSuccess !== null) sinceSuccess.set(labels, Math.round(pair.minutesSinceSuccess * 60));
    if (pair.sourceAgeMinutes !== null)
      sourceAge.set({ symbol: pair.symbol, ...team }, Math.round(pair.sourceAgeMinutes * 60));
  }
  const left = problems.length - listed.length;
  omitted.set(left);
}

export function resetMetricsCache(): void {
  built = undefined;
}

/** Code-point order, the same in every locale (symbols are compared, never shown, here). */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
