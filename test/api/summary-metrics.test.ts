import { describe, expect, test } from 'vitest';
import { GET as summaryGET } from '../../app/api/health/summary/route';
import { GET as healthzGET } from '../../app/api/healthz/route';
import { GET as metricsGET } from '../../app/api/metrics/route';
import type { ApiErrorBody, HealthSummaryResponse } from '../../lib/types';
import { WORST_FIRST, useEveryStateDatabase } from './fixture';
import { call, resetApiCaches } from './support';

const database = useEveryStateDatabase();

describe('GET /api/health/summary', () => {
  test('counts per state and the problems worst first', async () => {
    const { status, body } = await call<HealthSummaryResponse>(summaryGET, '/api/health/summary');
    expect(status).toBe(200);
    expect(body.total).toBe(11);
    expect(body.byState).toEqual({ AHEAD: 1, NULL: 1, FAILING: 1, STALLED: 1, SOURCE_STALE: 1, LAGGING: 1, INEFFICIENT: 1, CLOSED: 0, OK: 3, DISABLED: 1 });
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

  test('400 for any parameter', async () => {
    const { status, body } = await call<ApiErrorBody>(summaryGET, '/api/health/summary?state=OK');
    expect([status, body.error]).toEqual([400, { code: 'bad_request', message: 'unknown parameter "state"; this endpoint takes none' }]);
  });
});

describe('GET /api/healthz', () => {
  test('200 ok when the database answers', async () => {
    const { status, body } = await call(healthzGET, '/api/healthz');
    expect([status, body]).toEqual([200, { status: 'ok', database: 'up' }]);
  });
});

describe('GET /api/metrics', () => {
  test('Prometheus text with a series per pair and counts per state', async () => {
    const { status, body, contentType } = await call<string>(metricsGET, '/api/metrics');
    expect(status).toBe(200);
    expect(contentType).toContain('text/plain');
    const lines = body.split('\n');
    const value = (series: string) => lines.find((line) => line.startsWith(`${series} `))?.split(' ')[1];
    expect(value('frontier_pair_bars_behind{symbol="GBPUSD",timeframe="5m"}')).toBe('42');
    expect(value('frontier_pair_gap_seconds{symbol="GBPUSD",timeframe="5m"}')).toBe(String(214 * 60));
    expect(value('frontier_pair_gap_seconds{symbol="NZDUSD",timeframe="5m"}')).toBe(String(-6 * 60));
    expect(value('frontier_pair_consecutive_failures{symbol="AUDUSD",timeframe="5m"}')).toBe('3');
    expect(Number(value('frontier_pair_seconds_since_success{symbol="USDJPY",timeframe="5m"}'))).toBeGreaterThanOrEqual(73 * 60 - 3);
    expect(value('frontier_pair_state{symbol="USDJPY",timeframe="5m",state="STALLED"}')).toBe('1');
    expect(Number(value('frontier_symbol_source_age_seconds{symbol="XAUUSD"}'))).toBeGreaterThanOrEqual(31 * 60);
    expect(lines.filter((line) => line.startsWith('frontier_symbol_source_age_seconds{'))).toHaveLength(10);
    expect(value('frontier_pairs{state="OK"}')).toBe('3');
    expect(value('frontier_pairs{state="LAGGING"}')).toBe('1');
    // One state series per pair; no bars_behind series for a NULL cursor (absent, not 0).
    expect(lines.filter((line) => line.startsWith('frontier_pair_state{'))).toHaveLength(11);
    expect(lines.filter((line) => line.startsWith('frontier_pair_bars_behind{'))).toHaveLength(10);
    expect(body).not.toContain('frontier_pair_bars_behind{symbol="USDCAD"');
    expect(body).toContain('# TYPE frontier_pair_state gauge');
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
});
