import { Gauge, Registry } from 'prom-client';
import { getHealthSnapshot, type HealthSnapshot } from './api/snapshot';
import { HEALTH_STATES } from './types';

/**
 * Prometheus text for GET /api/metrics, rebuilt from the same cached snapshot as the API (so a
 * scrape costs no extra query) into a Registry of its own: the global one would keep series of
 * pairs that no longer exist and would mix in whatever else registers there.
 */

/**
 * prom-client needs seconds of CPU for the ~150,000 series of 30,000 pairs, so the text is
 * rebuilt at most this often (scrape intervals are 15 s and more); in between, and for
 * concurrent scrapes, the last text is served. frontier_snapshot_timestamp_seconds says how old.
 */
export const METRICS_MIN_INTERVAL_MS = 10_000;

let built: { snapshot: HealthSnapshot; builtAt: number; text: Promise<string> } | undefined;

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

export async function metricsText(): Promise<string> {
  if (built && Date.now() - built.builtAt < METRICS_MIN_INTERVAL_MS) return built.text;
  const snapshot = await getHealthSnapshot();
  if (built?.snapshot !== snapshot) {
    const entry = { snapshot, builtAt: Date.now(), text: renderMetrics(snapshot) };
    built = entry;
    entry.text.catch(() => {
      if (built === entry) built = undefined;
    });
  }
  return built.text;
}

/** How many times the text was rendered (tests read it). */
export let metricsRenders = 0;

export function renderMetrics(snapshot: HealthSnapshot): Promise<string> {
  metricsRenders += 1;
  const registry = new Registry();
  const pairLabels = ['symbol', 'timeframe'] as const;
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });

  const barsBehind = gauge('frontier_pair_bars_behind', 'Complete windows not yet aggregated.', pairLabels);
  const gapSeconds = gauge('frontier_pair_gap_seconds', 'Source frontier minus cursor (negative when the cursor is ahead).', pairLabels);
  const sinceSuccess = gauge('frontier_pair_seconds_since_success', 'Seconds since the last successful run (or registration).', pairLabels);
  const failures = gauge('frontier_pair_consecutive_failures', 'Failed runs since the last success.', pairLabels);
  const state = gauge(
    'frontier_pair_state',
    `The pair's health state: one series per pair, value 1. Severity order: ${HEALTH_STATES.join(' > ')}.`,
    [...pairLabels, 'state'],
  );
  // Per symbol, not per pair: the feed is the symbol's, whatever the timeframe.
  const sourceAge = gauge('frontier_symbol_source_age_seconds', 'Seconds since the newest source bar of the symbol.', ['symbol']);
  const byState = gauge('frontier_pairs', 'Pairs per health state.', ['state']);
  const generated = gauge('frontier_snapshot_timestamp_seconds', 'When the health snapshot behind these numbers was read.', []);

  const counts = new Map(HEALTH_STATES.map((name) => [name, 0]));
  const symbolsSeen = new Set<string>();
  for (const pair of snapshot.rows) {
    const labels = { symbol: pair.symbol, timeframe: pair.timeframe };
    // A missing number (NULL cursor, no source) is an absent series, not a fake 0.
    if (pair.barsBehind !== null) barsBehind.set(labels, pair.barsBehind);
    if (pair.gapMinutes !== null) gapSeconds.set(labels, Math.round(pair.gapMinutes * 60));
    if (pair.minutesSinceSuccess !== null) sinceSuccess.set(labels, Math.round(pair.minutesSinceSuccess * 60));
    failures.set(labels, pair.consecutiveFailures);
    state.set({ ...labels, state: pair.state }, 1);
    counts.set(pair.state, (counts.get(pair.state) ?? 0) + 1);
    if (pair.sourceAgeMinutes !== null && !symbolsSeen.has(pair.symbol)) {
      symbolsSeen.add(pair.symbol);
      sourceAge.set({ symbol: pair.symbol }, Math.round(pair.sourceAgeMinutes * 60));
    }
  }
  for (const [name, count] of counts) byState.set({ state: name }, count);
  generated.set(Date.parse(snapshot.generatedAt) / 1000);
  return registry.metrics();
}

export function resetMetricsCache(): void {
  built = undefined;
}
