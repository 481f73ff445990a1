import { Gauge, Registry } from 'prom-client';
import type { HealthSnapshot } from '../lib/api/snapshot';
import { HEALTH_STATES } from '../lib/shared/types';

/**
 * The /api/metrics renderer before issue 12 (five series per pair, a state label that churns),
 * kept only so that bench/metrics.ts measures the new one against it in the same run.
 */
export function renderLegacyMetrics(snapshot: HealthSnapshot): Promise<string> {
  const registry = new Registry();
  const pairLabels = ['symbol', 'timeframe'] as const;
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  const barsBehind = gauge('frontier_pair_bars_behind', 'Complete windows not yet aggregated.', pairLabels);
  const gapSeconds = gauge(
    'frontier_pair_gap_seconds',
    'Source frontier minus cursor (negative when the cursor is ahead).',
    pairLabels,
  );
  const sinceSuccess = gauge(
    'frontier_pair_seconds_since_success',
    'Seconds since the last successful run (or registration).',
    pairLabels,
  );
  const failures = gauge('frontier_pair_consecutive_failures', 'Failed runs since the last success.', pairLabels);
  const state = gauge('frontier_pair_state', `The pair's health state: one series per pair, value 1.`, [
    ...pairLabels,
    'state',
  ]);
  const sourceAge = gauge('frontier_symbol_source_age_seconds', 'Seconds since the newest source bar of the symbol.', [
    'symbol',
  ]);
  const byState = gauge('frontier_pairs', 'Pairs per health state.', ['state']);
  const generated = gauge(
    'frontier_snapshot_timestamp_seconds',
    'When the health snapshot behind these numbers was read.',
    [],
  );
  const counts = new Map<string, number>(HEALTH_STATES.map((name) => [name, 0]));
  const symbolsSeen = new Set<string>();
  for (const pair of snapshot.rows) {
    const labels = { symbol: pair.symbol, timeframe: pair.timeframe };
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
