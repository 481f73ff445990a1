import { derivePairHealth } from '../health/rules';
import { thresholdsFor } from '../health/policy';
import { withoutHistoryIfMissing } from '../queries/history';
import { fetchPairAck } from '../queries/acks';
import {
  fetchCanonicalSymbol,
  fetchPairFrontierRow,
  fetchPairNextRetry,
  fetchPairStateSince,
  fetchSourceFrontierAt,
  stateSinceFor,
} from '../queries/frontier';
import { fetchPairHistory, fetchPairRuns } from '../queries/runs';
import { remediationSql } from '../health/remediation';
import { refineTrendWithHistory } from '../health/trend';
import type { PairDetailResponse, RunsPage } from '../shared/types';
import { SingleFlightCache } from './cache';
import { notFound } from './errors';
import type { PairKey, RunsQuery } from './pair-params';
import { markUnconfirmed, rowAtDataAsOf } from '../health/replication';
import { healthConfig, readReplication, SNAPSHOT_TTL_MS } from './snapshot';

/** Runs the pair page charts; ~200 is a few hours of a busy pair. */
export const HISTORY_RUNS = 200;

// Several people on one incident open the same pair page: same single flight as the list.
const detailCache = new SingleFlightCache<PairDetailResponse | null>(SNAPSHOT_TTL_MS, 500);
const runsCache = new SingleFlightCache<RunsPage | null>(SNAPSHOT_TTL_MS, 500);

const keyOf = (pair: PairKey, ...rest: unknown[]) => JSON.stringify([pair.symbol, pair.timeframe, ...rest]);
const unknownPair = (pair: PairKey) => notFound(`no pair ${pair.symbol}/${pair.timeframe} in data_agg_state`);

/** Evenly spaced samples across the span besides one per run, so a pair with few runs still gets a line. */
const FRONTIER_SAMPLES = 24;
/** The span of the charts when the pair has no run (or its runs are recent): at least this long. */
const MIN_FRONTIER_SPAN_MS = 60 * 60_000;

/** When to sample the source frontier: each run's finish, even steps from the first run (or an hour ago), and now. */
export function frontierSampleTimes(history: readonly { finishedAtUtc: string }[], nowUtc: string): string[] {
  const now = Date.parse(nowUtc);
  const first = Math.min(now - MIN_FRONTIER_SPAN_MS, ...history.map((run) => Date.parse(run.finishedAtUtc)));
  const times = new Set(history.map((run) => Date.parse(run.finishedAtUtc)));
  for (let i = 0; i <= FRONTIER_SAMPLES; i += 1) times.add(Math.round(first + ((now - first) * i) / FRONTIER_SAMPLES));
  return [...times].sort((a, b) => a - b).map((ms) => new Date(ms).toISOString());
}

async function loadDetail(key: PairKey): Promise<PairDetailResponse | null> {
  const { thresholds, runIntervalMinutes } = healthConfig();
  const generatedAt = new Date().toISOString();
  const [replication, row, history, nextRetryUtc, since, ack] = await Promise.all([
    readReplication(),
    fetchPairFrontierRow(key.symbol, key.timeframe),
    fetchPairHistory(key.symbol, key.timeframe, HISTORY_RUNS),
    fetchPairNextRetry(key.symbol, key.timeframe),
    withoutHistoryIfMissing('pair state_since', () => fetchPairStateSince(key.symbol, key.timeframe), undefined),
    withoutHistoryIfMissing('pair ack', () => fetchPairAck(key.symbol, key.timeframe), null),
  ]);
  if (!row) return null;
  const sourceFrontier = await fetchSourceFrontierAt(key.symbol, frontierSampleTimes(history, generatedAt));
  const health = derivePairHealth(rowAtDataAsOf(row, replication), thresholds, runIntervalMinutes);
  health.state_since = stateSinceFor(health.state, since);
  const pair = markUnconfirmed(
    refineTrendWithHistory(health, history, {
      runIntervalMinutes,
      stallMinutes: thresholdsFor(row, thresholds).stallMinutes,
    }),
    replication,
  );
  return { generatedAt, pair, history, sourceFrontier, remediationSql: remediationSql(pair), nextRetryUtc, ack };
}

/**
 * A pair's detail. A symbol written in another case answers for the one registered symbol it
 * stands for (the page then moves to that pair's own address); an exact name always wins.
 */
export async function pairDetail(key: PairKey): Promise<PairDetailResponse> {
  const detail = await detailCache.get(keyOf(key), async () => {
    const exact = await loadDetail(key);
    if (exact) return exact;
    const canonical = await fetchCanonicalSymbol(key.symbol, key.timeframe);
    return canonical && canonical !== key.symbol ? loadDetail({ ...key, symbol: canonical }) : null;
  });
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
