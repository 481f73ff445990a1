import { describe, expect, test } from 'vitest';
import { GET as summaryGET } from '../../app/api/health/summary/route';
import { GET as healthzGET } from '../../app/api/healthz/route';
import { GET as metricsGET } from '../../app/api/metrics/route';
import { HEALTH_STATES, type ApiErrorBody, type HealthSummaryResponse } from '../../lib/shared/types';
import { WORST_FIRST, useEveryStateDatabase } from './fixture';
import { call, resetApiCaches } from './support';
import { getHealthSnapshot } from '../../lib/api/snapshot';
import { PAIR_SERIES_STATES, renderMetrics } from '../../lib/api/metrics';
import { requireTool, runTool } from '../support/prometheus-tools';

const database = useEveryStateDatabase();

describe('GET /api/health/summary', () => {
  test('counts per state and the problems worst first', async () => {
    const { status, body } = await call<HealthSummaryResponse>(summaryGET, '/api/health/summary');
    expect(status).toBe(200);
    expect(body.total).toBe(11);
    expect(body.byState).toEqual({
      AHEAD: 1,
      NULL: 1,
      FAILING: 1,
      STALLED: 1,
      DRIFT: 0,
      SOURCE_STALE: 1,
      LAGGING: 1,
      INEFFICIENT: 1,
      MAINTENANCE: 0,
      CLOSED: 0,
      OK: 3,
      DISABLED: 1,
    });
    expect(body.problems.map((p) => `${p.symbol}/${p.timeframe}:${p.state}`)).toEqual(WORST_FIRST.slice(0, 7));
  });

  test('at most 50 problems', async () => {
    await database().sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe)
                  SELECT 'NEW' || g, '5m' FROM generate_series(1, 60) g`);
    resetApiCaches();
    const { body } = await call<HealthSummaryResponse>(summaryGET, '/api/health/summary');
    expect(body.byState.NULL).toBe(61);
    expect(body.problems).toHaveLength(50);
    expect(body.problems[0]!.state).toBe('AHEAD');
    await database().sql(`DELETE FROM data_agg_state WHERE canonical_symbol LIKE 'NEW%'`);
    resetApiCaches();
  });

  test('ungrouped: the problems in no open incident, i.e. whose state the history has not recorded', async () => {
    // No history yet: every problem is in no incident.
    resetApiCaches();
    const before = (await call<HealthSummaryResponse>(summaryGET, '/api/health/summary')).body;
    expect(before.ungrouped.map((p) => `${p.symbol}/${p.timeframe}:${p.state}`)).toEqual(WORST_FIRST.slice(0, 7));
    expect(before.ungroupedCount).toBe(7);

    // One evaluation of the history writer's function records every pair but USDJPY 5m as it is
    // now; USDJPY 5m is recorded OK (its STALLED state still settling): it alone is in no incident.
    const pairs = before.problems.map((p) => [p.symbol, p.timeframe, p.state === 'STALLED' ? 'OK' : p.state]);
    await database().sql(`SELECT history_record_states($1, $2, $3, $4, 0, 600, 4, 20)`, [
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
      pairs.map((p) => p[2]),
      pairs.map(() => 'seeded'),
    ]);
    resetApiCaches();
    const after = (await call<HealthSummaryResponse>(summaryGET, '/api/health/summary')).body;
    expect(after.problems).toHaveLength(7);
    expect(after.ungrouped.map((p) => `${p.symbol}/${p.timeframe}:${p.state}`)).toEqual(['USDJPY/5m:STALLED']);
    expect(after.ungroupedCount).toBe(1);
    await database().sql(`TRUNCATE incident_pairs, incidents, pair_state_intervals, pair_state_current`);
    resetApiCaches();
  });

  test('400 for any parameter but team', async () => {
    const { status, body } = await call<ApiErrorBody>(summaryGET, '/api/health/summary?state=OK');
    expect([status, body.error]).toEqual([
      400,
      { code: 'bad_request', message: 'unknown parameter "state"; known: team' },
    ]);
  });
});

describe('GET /api/healthz', () => {
  test('200 ok when the database answers', async () => {
    const { status, body } = await call(healthzGET, '/api/healthz');
    expect([status, body]).toEqual([
      200,
      {
        status: 'ok',
        database: 'up',
        replication: expect.objectContaining({ role: 'primary', lagSeconds: 0, stale: false }),
      },
    ]);
  });
});

describe('GET /api/metrics', () => {
  const lines = (body: string) => body.split('\n');
  const value = (body: string, series: string) =>
    lines(body)
      .find((line) => line.startsWith(`${series} `))
      ?.split(' ')[1];
  const count = (body: string, prefix: string) => lines(body).filter((line) => line.startsWith(prefix)).length;

  test('counts per state and timeframe always; per-pair series only for the 7 problem pairs', async () => {
    const { status, body, contentType } = await call<string>(metricsGET, '/api/metrics');
    expect(status).toBe(200);
    expect(contentType).toContain('text/plain');
    // Every state × every configured timeframe (6), zeros included: a fixed label set.
    expect(count(body, 'frontier_pairs{')).toBe(HEALTH_STATES.length * 6);
    expect(value(body, 'frontier_pairs{state="OK",timeframe="5m"}')).toBe('1');
    expect(value(body, 'frontier_pairs{state="OK",timeframe="15m"}')).toBe('1');
    expect(value(body, 'frontier_pairs{state="OK",timeframe="1h"}')).toBe('1');
    expect(value(body, 'frontier_pairs{state="LAGGING",timeframe="5m"}')).toBe('1');
    expect(value(body, 'frontier_pairs{state="FAILING",timeframe="4h"}')).toBe('0');
    expect(value(body, 'frontier_pairs{state="DISABLED",timeframe="5m"}')).toBe('1');
    // One series per listed pair and problem state, 1 for its own state only. (7 problem states
    // today; DRIFT, when it lands, makes 8: counted from the list so the test survives the merge.)
    expect(PAIR_SERIES_STATES).toEqual(
      HEALTH_STATES.filter((state) => !['OK', 'CLOSED', 'MAINTENANCE', 'DISABLED'].includes(state)),
    );
    expect(PAIR_SERIES_STATES.length).toBeGreaterThanOrEqual(7);
    expect(count(body, 'frontier_pair_state{')).toBe(7 * PAIR_SERIES_STATES.length);
    expect(value(body, 'frontier_pair_state{symbol="USDJPY",timeframe="5m",state="STALLED"}')).toBe('1');
    expect(value(body, 'frontier_pair_state{symbol="USDJPY",timeframe="5m",state="FAILING"}')).toBe('0');
    expect(
      count(body, 'frontier_pair_state{') -
        lines(body).filter((l) => l.startsWith('frontier_pair_state{') && l.endsWith(' 0')).length,
    ).toBe(7);
    expect(body).not.toContain('state="OK"}');
    expect(body).not.toMatch(/frontier_pair_state\{symbol="(EURUSD|BRK\.B|BTCUSD)"/);
    expect(value(body, 'frontier_pair_bars_behind{symbol="GBPUSD",timeframe="5m"}')).toBe('42');
    expect(value(body, 'frontier_pair_consecutive_failures{symbol="AUDUSD",timeframe="5m"}')).toBe('3');
    expect(
      Number(value(body, 'frontier_pair_seconds_since_success{symbol="USDJPY",timeframe="5m"}')),
    ).toBeGreaterThanOrEqual(73 * 60 - 3);
    expect(Number(value(body, 'frontier_symbol_source_age_seconds{symbol="XAUUSD"}'))).toBeGreaterThanOrEqual(31 * 60);
    // No bars_behind series for a NULL cursor (absent, not 0); none for healthy pairs.
    expect(count(body, 'frontier_pair_bars_behind{')).toBe(6);
    expect(body).not.toContain('frontier_pair_bars_behind{symbol="USDCAD"');
    expect(value(body, 'frontier_pairs_omitted')).toBe('0');
    expect(value(body, 'frontier_pair_series_cap_pairs')).toBe('500');
    // Heartbeat: the newest success of an enabled pair (1 min ago), not BTCUSD's (disabled).
    expect(Date.now() / 1000 - Number(value(body, 'frontier_last_success_timestamp_seconds'))).toBeGreaterThanOrEqual(
      55,
    );
    expect(Date.now() / 1000 - Number(value(body, 'frontier_last_success_timestamp_seconds'))).toBeLessThan(120);
    expect(body).toMatch(/^frontier_build_info\{version="\d+\.\d+\.\d+"\} 1$/m);
    expect(Math.abs(Date.now() / 1000 - Number(value(body, 'frontier_snapshot_timestamp_seconds')))).toBeLessThan(10);
    // The route reads open incidents as GET /api/incidents does; nothing has written any here.
    expect(value(body, 'frontier_incidents_open')).toBe('0');
    // Its own registry: nothing of prom-client's default process metrics.
    expect(body).not.toContain('process_cpu');
  });

  test('label values with quotes and backslashes are escaped', async () => {
    await database().sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe) VALUES ('A"B\\C', '5m')`);
    resetApiCaches();
    const { body } = await call<string>(metricsGET, '/api/metrics');
    expect(body).toContain('frontier_pair_state{symbol="A\\"B\\\\C",timeframe="5m",state="NULL"} 1');
    await database().sql(`DELETE FROM data_agg_state WHERE canonical_symbol = 'A"B\\C'`);
    resetApiCaches();
  });

  test('the cap keeps the worst pairs and counts the others as omitted', async () => {
    const text = await renderMetrics({ snapshot: await getHealthSnapshot(), timeframes: ['5m'], pairSeriesCap: 3 });
    expect(count(text, 'frontier_pair_state{')).toBe(3 * PAIR_SERIES_STATES.length);
    // Worst first: AHEAD, NULL, FAILING keep their series; STALLED and the rest are counted.
    expect(
      lines(text)
        .filter((l) => l.startsWith('frontier_pair_state{') && l.endsWith(' 1'))
        .map((l) => l.split('"')[1]),
    ).toEqual(['NZDUSD', 'USDCAD', 'AUDUSD']);
    expect(value(text, 'frontier_pairs_omitted')).toBe('4');
    expect(value(text, 'frontier_pairs{state="STALLED",timeframe="5m"}')).toBe('1');
    // Within a state the cap keeps pairs by name, not by how bad they are this scrape: the
    // listed set does not swap pairs in and out as their numbers move.
    const snapshot = await getHealthSnapshot();
    const lagging = snapshot.rows.find((row) => row.state === 'LAGGING')!;
    const clones = (order: string[]) => order.map((symbol, i) => ({ ...lagging, symbol, barsBehind: 100 - i }));
    for (const order of [
      ['L5', 'L3', 'L1', 'L4', 'L2'],
      ['L2', 'L1', 'L4', 'L3', 'L5'],
    ]) {
      const capped = await renderMetrics({
        snapshot: { ...snapshot, rows: clones(order) },
        timeframes: [],
        pairSeriesCap: 2,
      });
      expect(
        lines(capped)
          .filter((l) => l.startsWith('frontier_pair_bars_behind{'))
          .map((l) => l.split('"')[1]),
      ).toEqual(['L1', 'L2']);
    }
    const countsOnly = await renderMetrics({
      snapshot: await getHealthSnapshot(),
      timeframes: [],
      pairSeriesCap: 0,
      incidentsOpen: 2,
    });
    expect(count(countsOnly, 'frontier_pair_')).toBe(1); // frontier_pair_series_cap_pairs 0
    expect(value(countsOnly, 'frontier_pairs_omitted')).toBe('7');
    expect(value(countsOnly, 'frontier_incidents_open')).toBe('2');
  });

  test('promtool check metrics finds nothing to complain about', async (context) => {
    const promtool = requireTool(context, 'promtool');
    const { body } = await call<string>(metricsGET, '/api/metrics');
    const run = runTool(promtool, ['check', 'metrics'], body);
    expect([run.status, run.output]).toEqual([0, '']);
  });
});
