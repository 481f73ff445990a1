import { closePool } from '../lib/server/db';
import { resetEnvCache } from '../lib/server/env';
import { listIncidents, pairTimeline, resetIncidentCaches } from '../lib/api/incidents';
import { fetchStateSince } from '../lib/queries/frontier';
import { recordStates, type EvaluationResult, type ObservedStates } from '../lib/history/statements';
import type { HealthState } from '../lib/shared/types';
import { median, round, timed, type BenchDatabase } from './support';

const TIMEFRAMES = ['5m', '15m', '30m', '1h', '4h', '1d'];
const SETTINGS = { settleSeconds: 0, flapWindowSeconds: 600, flapChanges: 4, globalSymbols: 20 };

export interface HistoryBench {
  pairs: number;
  transitions: number;
  firstMs: number;
  steadyMs: number;
  steadyServerMs: number;
  floorMs: number;
  storm: { pairs: number; ms: number; serverMs: number; openIncidents: number };
  fault: { ms: number; serverMs: number; openIncidents: number; steadyMs: number };
  recoveryMs: number;
  incidentsMs: number;
  timelineMs: number;
  wallIncidentsKb: number;
  /** the extra query of every /api/health snapshot (state_since of every pair) */
  stateSinceMs: number;
}

function observe(symbols: string[], stateOf: (symbol: string, index: number) => HealthState): ObservedStates {
  const observed: ObservedStates = { symbols: [], timeframes: [], states: [], reasons: [] };
  symbols.forEach((symbol, index) => {
    for (const timeframe of TIMEFRAMES) {
      const state = stateOf(symbol, index);
      observed.symbols.push(symbol);
      observed.timeframes.push(timeframe);
      observed.states.push(state);
      observed.reasons.push(state === 'OK' ? 'caught up' : `${state.toLowerCase()} for a while`);
    }
  });
  return observed;
}

/**
 * The history writer at scale: `symbols` × 6 pairs, with `transitions` past intervals already
 * recorded. Times are of one history_record_states call (its transaction), client and server.
 */
export async function benchHistory(db: BenchDatabase, symbolCount: number, transitions: number): Promise<HistoryBench> {
  const symbols = Array.from({ length: symbolCount }, (_, i) => `H${String(i).padStart(5, '0')}`);
  await db.pool.query('TRUNCATE pair_state_current, pair_state_intervals, incidents, incident_pairs');
  // The past: closed intervals spread over 90 days, one statement.
  await db.pool.query(
    `INSERT INTO pair_state_intervals (canonical_symbol, timeframe, state, since, until, reason)
     SELECT s, tf, CASE WHEN g % 2 = 0 THEN 'OK' ELSE 'LAGGING' END,
            now() - interval '90 days' + (g * interval '90 days' / $2::int), now() - interval '90 days' + ((g + 1) * interval '90 days' / $2::int), 'seeded'
       FROM generate_series(0, $2::int - 1) g,
            LATERAL (SELECT $1::text[] AS syms) x,
            LATERAL (SELECT x.syms[1 + g % array_length(x.syms, 1)] AS s, (ARRAY['5m','15m','30m','1h','4h','1d'])[1 + (g / array_length(x.syms, 1)) % 6] AS tf) p`,
    [symbols, transitions],
  );
  await db.pool.query('ANALYZE pair_state_intervals');
  const client = await db.pool.connect();
  const run = async (observed: ObservedStates) => {
    let result: EvaluationResult | undefined;
    const ms = await timed(async () => {
      result = await recordStates(client, observed, SETTINGS);
    });
    return { ms: Math.round(ms), serverMs: result!.duration_ms, result: result! };
  };
  try {
    const ok = observe(symbols, () => 'OK');
    const first = await run(ok);
    const steady = [];
    for (let i = 0; i < 5; i += 1) steady.push(await run(ok));
    // The floor: the arrays in, joined once with the stored state, nothing written.
    const floor = [];
    for (let i = 0; i < 5; i += 1) {
      floor.push(
        await timed(() =>
          client.query(
            `SELECT count(*) FROM unnest($1::text[], $2::text[], $3::text[]) o(s, tf, st)
           JOIN pair_state_current c ON c.canonical_symbol = o.s AND c.timeframe = o.tf WHERE c.state <> o.st`,
            [ok.symbols, ok.timeframes, ok.states],
          ),
        ),
      );
    }
    const stormSymbols = Math.min(400, symbolCount);
    const storm = await run(observe(symbols, (_, i) => (i < stormSymbols ? 'SOURCE_STALE' : 'OK')));
    const stormIncidents = (
      await client.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents WHERE resolved_at IS NULL')
    ).rows[0]!.n;
    const failing = observe(symbols, () => 'FAILING');
    const fault = await run(failing);
    const faultSteady = [];
    for (let i = 0; i < 3; i += 1) faultSteady.push(await run(failing));
    const faultIncidents = (
      await client.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents WHERE resolved_at IS NULL')
    ).rows[0]!.n;
    const recovery = await run(ok);

    // Leave a realistic set of open incidents for the API: 50 symbols failing on their own.
    await run(observe(symbols, (_, i) => (i < 50 ? 'FAILING' : 'OK')));
    process.env.DATABASE_URL = db.url;
    resetEnvCache();
    const incidents: number[] = [];
    const timeline: number[] = [];
    const to = new Date();
    const from = new Date(to.getTime() - 7 * 86_400_000);
    for (let i = 0; i < 15; i += 1) {
      resetIncidentCaches();
      incidents.push(await timed(() => listIncidents({ status: 'all', limit: 50, offset: 0 })));
      timeline.push(await timed(() => pairTimeline({ symbol: symbols[i]!, timeframe: '5m', from, to })));
    }
    const stateSince: number[] = [];
    for (let i = 0; i < 5; i += 1) stateSince.push(await timed(() => fetchStateSince()));
    resetIncidentCaches();
    const wall = JSON.stringify(await listIncidents({ status: 'open', limit: 20, offset: 0 }));
    await closePool();
    return {
      pairs: ok.symbols.length,
      transitions,
      firstMs: first.ms,
      steadyMs: median(steady.map((s) => s.ms)),
      steadyServerMs: median(steady.map((s) => s.serverMs)),
      floorMs: Math.round(median(floor)),
      storm: { pairs: stormSymbols * 6, ms: storm.ms, serverMs: storm.serverMs, openIncidents: stormIncidents },
      fault: {
        ms: fault.ms,
        serverMs: fault.serverMs,
        openIncidents: faultIncidents,
        steadyMs: median(faultSteady.map((f) => f.ms)),
      },
      recoveryMs: recovery.ms,
      incidentsMs: round(median(incidents), 1),
      timelineMs: round(median(timeline), 1),
      wallIncidentsKb: round(Buffer.byteLength(wall) / 1024, 1),
      stateSinceMs: Math.round(median(stateSince)),
    };
  } finally {
    client.release();
  }
}
