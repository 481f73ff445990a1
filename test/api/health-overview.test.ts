// GET /api/health/overview: the overview's counts and windows, filtered, sorted and windowed on
// the server, with the table's fields only; one answer's text (and ETag) per snapshot and query.
import { describe, expect, test, vi } from 'vitest';
import { GET } from '../../app/api/health/overview/route';
import { GET as list } from '../../app/api/health/route';
import type { ApiErrorBody, HealthListResponse, OverviewResponse } from '../../lib/shared/types';
import { WORST_FIRST, useEveryStateDatabase } from './fixture';
import { call, resetApiCaches } from './support';
import { FIRST_LOOK_STALE_MS, SNAPSHOT_STALE_MS, snapshotCache } from '../../lib/api/snapshot';
import { GENERATED_AT_HEADER } from '../../lib/health/clock';

useEveryStateDatabase();

const overview = (query = '') => call<OverviewResponse>(GET, `/api/health/overview${query}`);
const keys = (body: OverviewResponse) => body.rows.map((row) => `${row.symbol}/${row.timeframe}:${row.state}`);

describe('GET /api/health/overview', () => {
  test('counts of every pair, the table window worst first with the shown fields only, the heatmap worst symbols first', async () => {
    const { status, body } = await overview();
    expect(status).toBe(200);
    expect(body.total).toBe(11);
    expect(body.matched).toBe(11);
    expect(keys(body)).toEqual(WORST_FIRST);
    expect(Object.values(body.byState).reduce((a, b) => a + b, 0)).toBe(11);
    expect(body.byState.OK).toBe(3);
    expect(body.matchedByState).toEqual(body.byState); // no filter: every pair matches
    expect(body.timeframes).toEqual([
      { timeframe: '5m', stepMinutes: 5 },
      { timeframe: '15m', stepMinutes: 15 },
      { timeframe: '1h', stepMinutes: 60 },
    ]);
    expect(Object.keys(body.rows[0]!).sort()).toEqual(
      [
        'symbol',
        'timeframe',
        'state',
        'reason',
        'reasons',
        'action',
        'state_since',
        'barsBehind',
        'trend',
        'etaMinutes',
        'lastSuccessUtc',
        'minutesSinceSuccess',
        'gapMinutes',
        'consecutiveFailures',
        'team',
      ].sort(),
    );
    // The same rows as GET /api/health says, field for field (minutes since success as shown: whole minutes).
    const full = (await call<HealthListResponse>(list, '/api/health')).body;
    const stalled = full.rows.find((row) => row.symbol === 'USDJPY')!;
    expect(body.rows.find((row) => row.symbol === 'USDJPY')).toMatchObject({
      reason: stalled.reason,
      reasons: stalled.reasons,
      barsBehind: stalled.barsBehind,
      minutesSinceSuccess: Math.round(stalled.minutesSinceSuccess!),
    });
    expect(body.heatmap.timeframes).toEqual(['5m', '15m', '1h']);
    expect(body.heatmap.symbols).toBe(10);
    expect(body.heatmap.lines[0]).toEqual({ symbol: 'NZDUSD', cells: [['AHEAD', expect.any(String)], null, null] });
    const eurusd = body.heatmap.lines.find((line) => line.symbol === 'EURUSD')!;
    expect(eurusd.cells.map((cell) => cell?.[0] ?? null)).toEqual(['OK', 'OK', null]);
  });

  test('windows: offset and limit over the filtered, sorted pairs; hoffset and hlimit over the symbols', async () => {
    const { body } = await overview('?offset=2&limit=3&hoffset=8&hlimit=5');
    expect(body.matched).toBe(11);
    expect(body.offset).toBe(2);
    expect(keys(body)).toEqual(WORST_FIRST.slice(2, 5));
    expect(body.heatmap.offset).toBe(8);
    expect(body.heatmap.lines.map((line) => line.symbol)).toEqual(['EURUSD', 'BTCUSD']);

    const sorted = (await overview('?timeframe=5m&sort=symbol&dir=desc&limit=2')).body;
    expect(sorted.total).toBe(11);
    expect(sorted.matched).toBe(9);
    expect(keys(sorted)).toEqual(['XAUUSD/5m:SOURCE_STALE', 'USDJPY/5m:STALLED']);
    expect(sorted.heatmap.timeframes).toEqual(['5m']);

    const search = (await overview('?q=usd&state=ok')).body;
    expect(keys(search)).toEqual(['EURUSD/5m:OK', 'EURUSD/15m:OK']);
    expect(Object.entries(search.matchedByState).filter(([, n]) => n > 0)).toEqual([['OK', 2]]);
    // A preset's pairs per state, counted over every match, not the window.
    const preset = (await overview('?preset=stalled&limit=1')).body;
    const states = (await overview('?preset=stalled')).body.rows.map((row) => row.state);
    expect(preset.rows).toHaveLength(Math.min(1, preset.matched));
    for (const [state, n] of Object.entries(preset.matchedByState)) {
      expect(n, state).toBe(states.filter((candidate) => candidate === state).length);
    }
    expect(search.heatmap.lines.map((line) => line.symbol)).toEqual(['EURUSD']);

    // A timeframe no pair has matches nothing (the overview says so), not a 400.
    const none = (await overview('?timeframe=2m')).body;
    expect([none.total, none.matched, none.rows.length, none.heatmap.symbols]).toEqual([11, 0, 0, 0]);
  });

  test('bad parameters are a 400 naming them', async () => {
    for (const [query, message] of [
      ['?limit=501', 'limit must be an integer from 1 to 500'],
      ['?hlimit=0', 'hlimit must be an integer from 1 to 2000'],
      ['?sort=nope', 'sort must be one of'],
      ['?page=1', 'unknown parameter'],
    ] as const) {
      const answer = await call<ApiErrorBody>(GET, `/api/health/overview${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.message, query).toContain(message);
    }
  });

  test('one answer per snapshot and query: the same text and ETag for every viewer, 304 for the ETag held', async () => {
    const request = (headers: Record<string, string> = {}) =>
      GET(new Request('http://127.0.0.1/api/health/overview?limit=5', { headers }));
    const a = await request();
    const b = await request();
    const text = await a.text();
    expect(await b.text()).toBe(text);
    expect(JSON.parse(text).rows).toHaveLength(5);
    const etag = a.headers.get('etag')!;
    expect(etag).toMatch(/^"o\.[\w-]+"$/);
    expect(b.headers.get('etag')).toBe(etag);
    const again = await request({ 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  test('a first look (no If-None-Match) is answered at once from a snapshot up to one poll interval old; a poll waits for the one rebuild', async () => {
    resetApiCaches();
    const request = (headers: Record<string, string> = {}) =>
      GET(new Request('http://127.0.0.1/api/health/overview?limit=5', { headers }));
    const first = await request();
    const heldAt = first.headers.get(GENERATED_AT_HEADER)!;
    const etag = first.headers.get('etag')!;
    expect(snapshotCache.loads).toBe(1);
    // Only Date is faked, so the database driver's own timers run as usual.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // Past what a poll takes (TTL + stale window), within what a first look takes.
      vi.setSystemTime(Date.now() + snapshotCache.ttlOf('all')! + SNAPSHOT_STALE_MS + 1_000);
      const look = await request();
      expect(look.status).toBe(200);
      expect(look.headers.get(GENERATED_AT_HEADER)).toBe(heldAt);
      expect(snapshotCache.loads).toBe(2); // the rebuild behind it
      const poll = await request({ 'if-none-match': etag });
      expect([200, 304]).toContain(poll.status);
      expect(Date.parse(poll.headers.get(GENERATED_AT_HEADER)!)).toBeGreaterThan(Date.parse(heldAt));
      expect(snapshotCache.loads).toBe(2); // it waited for that rebuild, no second one
      const rebuiltAt = poll.headers.get(GENERATED_AT_HEADER)!;
      // Past one poll interval even a first look waits for a new snapshot.
      vi.setSystemTime(Date.now() + snapshotCache.ttlOf('all')! + FIRST_LOOK_STALE_MS + 1_000);
      const late = await request();
      expect(Date.parse(late.headers.get(GENERATED_AT_HEADER)!)).toBeGreaterThan(Date.parse(rebuiltAt));
      expect(snapshotCache.loads).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
