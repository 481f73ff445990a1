import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GET as detailGET } from '../../app/api/pairs/[symbol]/[timeframe]/route';
import { GET as runsGET } from '../../app/api/pairs/[symbol]/[timeframe]/runs/route';
import { closePool } from '../../lib/server/db';
import type { ApiErrorBody, PairDetailResponse, RunsPage } from '../../lib/shared/types';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { seedEveryState } from './fixture';
import { MINUTE, call, currentWindow, pointApiAt, resetApiCaches } from './support';

let db: TestDatabase;
let runIds: number[];

/**
 * RUNSYM/5m has 6 hours of source (72 windows) and a real history: 5 runs of 10 windows,
 * one recorded failure, 2 more runs. It ends 2 windows behind, failures reset by the success.
 */
beforeAll(async () => {
  db = await createTestDatabase();
  await seedEveryState(db);
  const window = currentWindow();
  await insertBars(
    db.pool,
    randomWalkBars('RUNSYM', minutesBetween(new Date(window - 360 * MINUTE), new Date(window)), 7),
  );
  await db.sql(`SELECT bootstrap_aggregation_cursor('RUNSYM', '5m')`);
  // Grace 0: the last complete window is the one before the current one whatever the clock says.
  const run = () => db.sql(`SELECT run_catchup('RUNSYM', '5m', 10, 0)`);
  for (let i = 0; i < 5; i++) await run();
  await db.sql(`SELECT record_aggregation_failure('RUNSYM', '5m', 'boom: simulated failure', now())`);
  for (let i = 0; i < 2; i++) await run();
  runIds = (
    await db.sql<{ run_id: number }>(
      `SELECT run_id::int FROM data_agg_runs WHERE canonical_symbol = 'RUNSYM' ORDER BY run_id`,
    )
  ).map((r) => r.run_id);
  await pointApiAt(db.url);
});

afterAll(async () => {
  await closePool();
  await db.drop();
});

const detail = (symbol: string, timeframe: string, query = '') =>
  call<PairDetailResponse & ApiErrorBody>(
    detailGET,
    `/api/pairs/${encodeURIComponent(symbol)}/${encodeURIComponent(timeframe)}${query}`,
    { symbol, timeframe },
  );
const runs = (symbol: string, timeframe: string, query = '') =>
  call<RunsPage & ApiErrorBody>(
    runsGET,
    `/api/pairs/${encodeURIComponent(symbol)}/${encodeURIComponent(timeframe)}/runs${query}`,
    { symbol, timeframe },
  );

describe('GET /api/pairs/[symbol]/[timeframe]', () => {
  test('a pair with a real run history: health, charts history oldest first, trend from the history', async () => {
    const { status, body } = await detail('RUNSYM', '5m');
    expect(status).toBe(200);
    expect(body.pair).toMatchObject({
      symbol: 'RUNSYM',
      timeframe: '5m',
      state: 'OK',
      barsBehind: 2,
      consecutiveFailures: 0,
      totalRuns: 8,
      totalBarsWritten: 70,
      recentBars: [10, 10, 10, 10, 10, 0, 10, 10],
      barsPerRun: 8.75,
      reason: '2 bars behind, within threshold 3 bars, policy default',
      trend: 'catching_up',
    });
    expect(body.pair.etaMinutes).toBeGreaterThan(0);
    expect(body.history.map((run) => run.runId)).toEqual(runIds);
    expect(body.history.map((run) => run.ok)).toEqual([true, true, true, true, true, false, true, true]);
    expect(body.history.map((run) => run.result?.['bars_behind'] ?? null)).toEqual([62, 52, 42, 32, 22, null, 12, 2]);
    expect(body.history[5]).toMatchObject({
      error: 'boom: simulated failure',
      result: { symbol: 'RUNSYM', to_tf: '5m' },
    });
    expect(body.history[0]!.result).toMatchObject({
      windows_processed: 10,
      bars_written: 10,
      source_rows: 50,
      stop_reason: 'max_windows',
    });
    expect(body.remediationSql).toBeNull();
  });

  test('the source frontier is sampled from bars_1m, with or without runs, ending at the current frontier', async () => {
    // NZDUSD/5m is AHEAD and has no runs: the frontier still comes as a line of samples.
    const ahead = (await detail('NZDUSD', '5m')).body;
    expect(ahead.history).toEqual([]);
    expect(ahead.sourceFrontier.length).toBe(25);
    const last = ahead.sourceFrontier.at(-1)!;
    expect(last.atUtc).toBe(ahead.generatedAt);
    expect(last.sourceMaxTsUtc).toBe(ahead.pair.sourceMaxTsUtc);
    const hourAgo = Date.parse(ahead.generatedAt) - 60 * MINUTE;
    expect(Date.parse(ahead.sourceFrontier[0]!.atUtc)).toBe(hourAgo);
    const [frontierHourAgo] = await db.sql<{ expected: Date | null }>(
      `SELECT max(ts_utc) AS expected FROM bars_1m WHERE canonical_symbol = 'NZDUSD' AND ts_utc <= $1`,
      [new Date(hourAgo).toISOString()],
    );
    expect(ahead.sourceFrontier[0]!.sourceMaxTsUtc).toBe(frontierHourAgo!.expected?.toISOString() ?? null);
    // RUNSYM has runs: one sample at each run's finish besides the even ones, in time order.
    const withRuns = (await detail('RUNSYM', '5m')).body;
    const sampled = new Set(withRuns.sourceFrontier.map((sample) => sample.atUtc));
    for (const run of withRuns.history) expect(sampled.has(run.finishedAtUtc)).toBe(true);
    const times = withRuns.sourceFrontier.map((sample) => Date.parse(sample.atUtc));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  test.each([
    ['USDCAD', '5m', 'NULL', ["SELECT bootstrap_aggregation_cursor('USDCAD', '5m');"]],
    [
      'NZDUSD',
      '5m',
      'AHEAD',
      [
        "SELECT * FROM reset_aggregation_cursor('NZDUSD', '5m', true);",
        "SELECT * FROM reset_aggregation_cursor('NZDUSD', '5m', false);",
      ],
    ],
    [
      'AUDUSD',
      '5m',
      'FAILING',
      [
        "FROM data_agg_runs WHERE canonical_symbol = 'AUDUSD' AND timeframe = '5m' AND NOT ok",
        "FROM bars_1m WHERE canonical_symbol = 'AUDUSD'",
      ],
    ],
    ['USDJPY', '5m', 'STALLED', ["SELECT run_catchup('USDJPY', '5m', 1000, 1);"]],
    ['XAUUSD', '5m', 'SOURCE_STALE', ["FROM bars_1m WHERE canonical_symbol = 'XAUUSD'"]],
    ['GBPUSD', '5m', 'LAGGING', ["result->>'bars_behind' AS behind"]],
    [
      'BTCUSD',
      '5m',
      'DISABLED',
      ["UPDATE data_agg_state SET enabled = true WHERE canonical_symbol = 'BTCUSD' AND timeframe = '5m';"],
    ],
  ])('%s/%s (%s) comes with the SQL for its state', async (symbol, timeframe, state, snippets) => {
    const { status, body } = await detail(symbol, timeframe);
    expect(status).toBe(200);
    expect(body.pair.state).toBe(state);
    expect(body.history).toEqual([]);
    for (const snippet of snippets) expect(body.remediationSql).toContain(snippet);
  });

  test('the SQL of the remediation runs as written and names only its pair (dry run of the AHEAD reset)', async () => {
    const { body } = await detail('NZDUSD', '5m');
    expect(body.remediationSql).not.toContain('reset_aggregation_cursors');
    const dryRun = body.remediationSql!.split('\n').find((line) => line.includes(', true)'))!;
    const rows = await db.sql<{ canonical_symbol: string; timeframe: string; reason: string }>(dryRun);
    // USDCAD/5m (NULL) is in the same database: the pair's reset does not name it.
    expect(rows.map((row) => `${row.canonical_symbol}/${row.timeframe}:${row.reason}`)).toEqual([
      'NZDUSD/5m:ahead_of_source',
    ]);
  });

  test.each([
    ['NOPE', '5m'],
    ['EURUSD', '7m'],
    ['EURUSD', '30m'],
    ["EUR'USD", '5m'],
    ['€URUSD', '5m'],
  ])('404 not_found for %s/%s', async (symbol, timeframe) => {
    const { status, body } = await detail(symbol, timeframe);
    expect(status).toBe(404);
    expect(body.error).toEqual({ code: 'not_found', message: `no pair ${symbol}/${timeframe} in data_agg_state` });
  });

  test.each([
    ['', '5m', 'symbol must not be empty'],
    ['X'.repeat(65), '5m', 'symbol must be at most 64 characters'],
    ['EUR\u0000USD', '5m', 'symbol must not contain control characters'],
    ['EURUSD', '', 'timeframe must be a timeframe such as 5m or 1h, got ""'],
    ['EURUSD', "5m' OR '1'='1", `timeframe must be a timeframe such as 5m or 1h, got "5m' OR '1'='1"`],
    ['EURUSD', '<b>5m</b>', 'timeframe must be a timeframe such as 5m or 1h, got "<b>5m</b>"'],
  ])('400 bad_request for %j/%j', async (symbol, timeframe, message) => {
    const { status, body } = await detail(symbol, timeframe);
    expect(status).toBe(400);
    expect(body.error).toEqual({ code: 'bad_request', message });
  });

  test('400 for any query parameter', async () => {
    const { status, body } = await detail('EURUSD', '5m', '?limit=5');
    expect([status, body.error.message]).toEqual([400, 'unknown parameter "limit"; this endpoint takes none']);
  });
});

describe('GET /api/pairs/[symbol]/[timeframe]/runs', () => {
  test('pages newest first by run_id with a cursor until the end', async () => {
    const newestFirst = [...runIds].reverse();
    const first = await runs('RUNSYM', '5m', '?limit=3');
    expect(first.status).toBe(200);
    expect(first.body.runs.map((run) => run.runId)).toEqual(newestFirst.slice(0, 3));
    expect(first.body.nextCursor).toBe(String(newestFirst[2]));
    const second = await runs('RUNSYM', '5m', `?limit=3&before=${first.body.nextCursor}`);
    expect(second.body.runs.map((run) => run.runId)).toEqual(newestFirst.slice(3, 6));
    const third = await runs('RUNSYM', '5m', `?before=${second.body.nextCursor}&limit=3`);
    expect(third.body.runs.map((run) => run.runId)).toEqual(newestFirst.slice(6));
    expect(third.body.nextCursor).toBeNull();
  });

  test('a page exactly as long as what is left has no next cursor; one shorter has', async () => {
    expect((await runs('RUNSYM', '5m', '?limit=8')).body.nextCursor).toBeNull();
    expect((await runs('RUNSYM', '5m', '?limit=7')).body.nextCursor).toBe(String(runIds[1]));
  });

  test('default limit 50; the failure row carries its error', async () => {
    const { body } = await runs('RUNSYM', '5m');
    expect(body.runs).toHaveLength(8);
    expect(body.runs[2]).toMatchObject({ ok: false, error: 'boom: simulated failure' });
    expect(body.runs[0]!.result).toMatchObject({ bars_behind: 2, cursor_utc: expect.any(String) });
  });

  test('a registered pair without runs answers an empty page; an unknown pair 404', async () => {
    expect((await runs('EURUSD', '5m')).body).toEqual({ runs: [], nextCursor: null });
    expect((await runs('RUNSYM', '5m', `?before=${runIds[0]}`)).body).toEqual({ runs: [], nextCursor: null });
    const missing = await runs('NOPE', '5m');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found']);
  });

  test.each([
    ['?limit=0', 'limit must be an integer from 1 to 500, got "0"'],
    ['?limit=501', 'limit must be an integer from 1 to 500, got "501"'],
    ['?limit=abc', 'limit must be an integer from 1 to 500, got "abc"'],
    ['?before=0', 'before must be an integer from 1 to 9007199254740991, got "0"'],
    ['?before=-3', 'got "-3"'],
    ['?before=1.5', 'got "1.5"'],
    ['?before=', 'got ""'],
    ['?before=99999999999999999999', 'got "99999999999999999999"'],
    ['?before=1&before=2', 'parameter before is given more than once'],
    ['?cursor=5', 'unknown parameter "cursor"; known: before, limit'],
  ])('400 for %s', async (query, message) => {
    const { status, body } = await runs('RUNSYM', '5m', query);
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain(message);
  });

  test('property: any path segments and query answer 200, 400 or 404 with JSON', async () => {
    resetApiCaches();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 70 }), fc.constantFrom('RUNSYM', 'EURUSD', 'BRK.B')),
        fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('5m', '1h', '7m')),
        fc.string({ maxLength: 30 }),
        async (symbol, timeframe, query) => {
          for (const answer of [
            await detail(symbol, timeframe, `?${query}`),
            await runs(symbol, timeframe, `?${query}`),
          ]) {
            expect([200, 400, 404]).toContain(answer.status);
            expect(answer.contentType).toContain('application/json');
            if (answer.status !== 200) expect(['bad_request', 'not_found']).toContain(answer.body.error.code);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
