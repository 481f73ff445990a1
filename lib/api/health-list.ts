import { createHash } from 'node:crypto';
import { isProblem } from '../health/rules';
import { listEtag } from '../health/list-contract';
import { matchingPairs, orderedPairs } from '../health/overview';
import {
  HEALTH_STATES,
  type HealthListResponse,
  type HealthState,
  type HealthSummaryResponse,
  type PairHealth,
} from '../shared/types';
import { pairKey } from '../queries/frontier';
import { badRequest, quoted } from './errors';
import type { HealthListQuery } from './health-params';
import { ackKey, currentAcks, type CurrentAcks } from './current-acks';
import { getHealthSnapshot, getTimeframes, snapshotVersionOf, type HealthSnapshot } from './snapshot';

// Serialized answers per snapshot: the full list of 30,000 pairs is ~20 MB of JSON, and every
// open overview asks for the same one. Keyed weakly, so a replaced snapshot takes them along.
// Bounded in characters: queries are chosen by callers, and full lists are large.
const MAX_CACHED_CHARS = 64_000_000;
const bodies = new WeakMap<HealthSnapshot, { byQuery: Map<string, string>; chars: number }>();

export interface HealthListAnswer {
  /** the snapshot's version (lib/health/clock.ts) and the query: equal answers but for the clock */
  etag: string;
  generatedAt: string;
  /** the answer as JSON text, serialized once per snapshot and distinct query */
  json: () => string;
}

/** The health list as an ETag and JSON text made only when asked for (a 304 needs none). */
export async function listHealthAnswer(query: HealthListQuery): Promise<HealthListAnswer> {
  await checkTimeframes(query);
  const snapshot = await getHealthSnapshot();
  const key = JSON.stringify(query);
  const json = () => {
    let cached = bodies.get(snapshot);
    if (!cached) bodies.set(snapshot, (cached = { byQuery: new Map(), chars: 0 }));
    let body = cached.byQuery.get(key);
    if (body === undefined) {
      body = JSON.stringify(selectRows(snapshot, query));
      if (cached.chars + body.length <= MAX_CACHED_CHARS) {
        cached.byQuery.set(key, body);
        cached.chars += body.length;
      }
    }
    return body;
  };
  const queryDigest = createHash('sha1').update(key).digest('base64url').slice(0, 10);
  return { etag: listEtag(snapshotVersionOf(snapshot), queryDigest), generatedAt: snapshot.generatedAt, json };
}

async function checkTimeframes(query: HealthListQuery): Promise<void> {
  if (query.timeframes.length > 0) {
    const known = (await getTimeframes()).map((timeframe) => timeframe.timeframe);
    const unknown = query.timeframes.find((timeframe) => !known.includes(timeframe));
    if (unknown !== undefined) throw badRequest(`timeframe must be one of ${known.join(', ')}, got ${quoted(unknown)}`);
  }
}

function selectRows(snapshot: HealthSnapshot, query: HealthListQuery): HealthListResponse {
  const matching = orderedPairs(matchingPairs(snapshot.rows, query), query);
  const end = query.limit === null ? undefined : query.offset + query.limit;
  return {
    generatedAt: snapshot.generatedAt,
    thresholds: snapshot.thresholds,
    runIntervalMinutes: snapshot.runIntervalMinutes,
    total: matching.length,
    rows: matching.slice(query.offset, end),
    replication: snapshot.replication,
  };
}

export const MAX_PROBLEMS = 50;

const summaries = new WeakMap<HealthSnapshot, Map<string, string>>();

/**
 * healthSummary as JSON text, built once per snapshot and team: every wall display polls it. A
 * team (`/wall?team=fx`) counts and lists that team's pairs only.
 */
export async function healthSummaryJson(team: string | null = null): Promise<string> {
  const [snapshot, acks] = await Promise.all([getHealthSnapshot(), currentAcks()]);
  let byTeam = summaries.get(snapshot);
  if (byTeam === undefined) summaries.set(snapshot, (byTeam = new Map()));
  // Under the acks' version too: an ack that starts or ends shows on the wall's next poll.
  const key = `${acks.version}|${team ?? ''}`;
  let body = byTeam.get(key);
  if (body === undefined) {
    if (byTeam.size >= 64) byTeam.delete(byTeam.keys().next().value!);
    byTeam.set(key, (body = JSON.stringify(summarize(snapshot, team, acks))));
  }
  return body;
}

/** The pair with its current ack, a copy: the snapshot's rows are shared and stay as built. */
function withAck(pair: PairHealth, acks: CurrentAcks): PairHealth {
  const ack = acks.byPair.get(ackKey(pair.symbol, pair.timeframe));
  return ack ? { ...pair, ack } : pair;
}

/**
 * Whether the history holds the pair in an open incident: the history writer groups every pair
 * whose recorded state is a problem (sql/definitions/history_group_incidents.sql), so a problem
 * recorded is a problem grouped. A pair whose new state is still settling, or that no writer has
 * seen, is in none: the wall gives it a tile of its own.
 */
function inOpenIncident(snapshot: HealthSnapshot, pair: PairHealth): boolean {
  const recorded = snapshot.history.get(pairKey(pair.symbol, pair.timeframe))?.state;
  return recorded !== undefined && isProblem(recorded as HealthState);
}

function summarize(snapshot: HealthSnapshot, team: string | null, acks: CurrentAcks): HealthSummaryResponse {
  const byState = Object.fromEntries(HEALTH_STATES.map((state) => [state, 0])) as Record<HealthState, number>;
  let unconfirmed = 0;
  const problems: PairHealth[] = [];
  const ungrouped: PairHealth[] = [];
  const rows = team === null ? snapshot.rows : snapshot.rows.filter((pair) => pair.team === team);
  for (const pair of rows) {
    byState[pair.state] += 1;
    if (pair.unconfirmed) unconfirmed += 1;
    if (!isProblem(pair.state)) continue;
    problems.push(pair);
    if (!inOpenIncident(snapshot, pair)) ungrouped.push(pair);
  }
  return {
    generatedAt: snapshot.generatedAt,
    thresholds: snapshot.thresholds,
    total: rows.length,
    byState,
    problems: problems.slice(0, MAX_PROBLEMS).map((pair) => withAck(pair, acks)),
    ungrouped: ungrouped.slice(0, MAX_PROBLEMS).map((pair) => withAck(pair, acks)),
    ungroupedCount: ungrouped.length,
    unconfirmed,
    replication: snapshot.replication,
  };
}
