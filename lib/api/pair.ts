import { derivePairHealth } from '../health/rules';
import { withoutHistoryIfMissing } from '../queries/history';
import { fetchPairFrontierRow, fetchPairNextRetry, fetchPairStateSince, stateSinceFor } from '../queries/frontier';
import { fetchPairHistory, fetchPairRuns } from '../queries/runs';
import { remediationSql } from '../health/remediation';
import { refineTrendWithHistory } from '../health/trend';
import type { PairDetailResponse, RunsPage } from '../shared/types';
import { SingleFlightCache } from './cache';
import { notFound } from './errors';
import type { PairKey, RunsQuery } from './pair-params';
import { healthConfig, SNAPSHOT_TTL_MS } from './snapshot';

/** Runs the pair page charts; ~200 is a few hours of a busy pair. */
export const HISTORY_RUNS = 200;

// Several people on one incident open the same pair page: same single flight as the list.
const detailCache = new SingleFlightCache<PairDetailResponse | null>(SNAPSHOT_TTL_MS, 500);
const runsCache = new SingleFlightCache<RunsPage | null>(SNAPSHOT_TTL_MS, 500);

const keyOf = (pair: PairKey, ...rest: unknown[]) => JSON.stringify([pair.symbol, pair.timeframe, ...rest]);
const unknownPair = (pair: PairKey) => notFound(`no pair ${pair.symbol}/${pair.timeframe} in data_agg_state`);

async function loadDetail(key: PairKey): Promise<PairDetailResponse | null> {
  const { thresholds, runIntervalMinutes } = healthConfig();
  const generatedAt = new Date().toISOString();
  const [row, history, nextRetryUtc, since] = await Promise.all([
    fetchPairFrontierRow(key.symbol, key.timeframe),
    fetchPairHistory(key.symbol, key.timeframe, HISTORY_RUNS),
    fetchPairNextRetry(key.symbol, key.timeframe),
    withoutHistoryIfMissing('pair state_since', () => fetchPairStateSince(key.symbol, key.timeframe), undefined),
  ]);
  if (!row) return null;
  const health = derivePairHealth(row, thresholds, runIntervalMinutes);
  health.state_since = stateSinceFor(health.state, since);
  const pair = refineTrendWithHistory(health, history, { runIntervalMinutes, stallMinutes: thresholds.stallMinutes });
  return { generatedAt, pair, history, remediationSql: remediationSql(pair), nextRetryUtc };
}

export async function pairDetail(key: PairKey): Promise<PairDetailResponse> {
  const detail = await detailCache.get(keyOf(key), () => loadDetail(key));
  if (!detail) throw unknownPair(key);
  return detail;
}

async function loadRuns(key: PairKey, query: RunsQuery): Promise<RunsPage | null> {
  // One more than asked tells whether an older page exists without a count(*).
  const runs = await fetchPairRuns(key.symbol, key.timeframe, query.before, query.limit + 1);
  if (!runs) return null;
  const page = runs.slice(0, query.limit);
  const last = page[page.length - 1];
  return { runs: page, nextCursor: runs.length > query.limit && last ? String(last.runId) : null };
}

export async function pairRuns(key: PairKey, query: RunsQuery): Promise<RunsPage> {
  const page = await runsCache.get(keyOf(key, query.before, query.limit), () => loadRuns(key, query));
  if (!page) throw unknownPair(key);
  return page;
}

export function resetPairCaches(): void {
  detailCache.clear();
  runsCache.clear();
}
