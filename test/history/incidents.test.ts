import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { evaluate, type Observation } from './support';

const TIMEFRAMES = ['5m', '15m', '30m', '1h', '4h', '1d'];

interface IncidentRow {
  id: number;
  scope: string;
  state: string;
  symbol: string | null;
  detail: string;
  open: boolean;
  merged: boolean;
  pairs: number;
  open_pairs: number;
}

describe('incidents: problems grouped by cause', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  async function reset(): Promise<void> {
    await db.sql('TRUNCATE pair_state_current, pair_state_intervals, incidents, incident_pairs, data_agg_state');
  }

  /** The pairs' rows with their last error, as record_aggregation_failure would leave them. */
  async function failing(symbol: string, errorFor: (timeframe: string, index: number) => string): Promise<void> {
    for (const [index, timeframe] of TIMEFRAMES.entries()) {
      await db.sql(
        `INSERT INTO data_agg_state (canonical_symbol, timeframe, last_error, consecutive_failures) VALUES ($1, $2, $3, 3)
         ON CONFLICT (canonical_symbol, timeframe) DO UPDATE SET last_error = excluded.last_error`,
        [symbol, timeframe, errorFor(timeframe, index)],
      );
    }
  }

  async function incidents(): Promise<IncidentRow[]> {
    return db.sql<IncidentRow>(
      `SELECT i.incident_id::int AS id, scope, state, symbol, detail, resolved_at IS NULL AS open, merged_into IS NOT NULL AS merged,
              (SELECT count(*)::int FROM incident_pairs p WHERE p.incident_id = i.incident_id) AS pairs,
              (SELECT count(*)::int FROM incident_pairs p WHERE p.incident_id = i.incident_id AND left_at IS NULL) AS open_pairs
         FROM incidents i ORDER BY incident_id`,
    );
  }

  const all = (symbol: string, state: Observation[2]): Observation[] => TIMEFRAMES.map((tf) => [symbol, tf, state]);

  it('a symbol failing on all its timeframes with an error that differs only by timeframe and timestamps is one incident', async () => {
    await reset();
    await failing(
      'CLZ6',
      (tf, i) =>
        `corrupt source data for CLZ6/${tf} window [2026-11-28 0${i}:00:00+00,2026-11-28 0${i}:05:00+00): ${i + 1} bar(s) with high < low`,
    );
    await evaluate(db.pool, [...all('CLZ6', 'OK'), ['EURUSD', '5m', 'OK']]);
    expect(await incidents()).toEqual([]);
    await evaluate(db.pool, [...all('CLZ6', 'FAILING'), ['EURUSD', '5m', 'OK']]);
    expect(await incidents()).toEqual([
      {
        id: expect.any(Number),
        scope: 'symbol',
        state: 'FAILING',
        symbol: 'CLZ6',
        detail: 'corrupt source data for <symbol>/<tf> window [<time>,<time>): # bar(s) with high < low',
        open: true,
        merged: false,
        pairs: 6,
        open_pairs: 6,
      },
    ]);
    // The same incident keeps its pairs evaluation after evaluation.
    await evaluate(db.pool, [...all('CLZ6', 'FAILING'), ['EURUSD', '5m', 'OK']]);
    expect((await incidents()).map((row) => row.pairs)).toEqual([6]);
  });

  it('a different error on the same symbol is a different cause', async () => {
    await reset();
    await failing('USDJPY', (tf) =>
      tf === '1d'
        ? 'canceling statement due to statement timeout'
        : `catchup_aggregation_range: start cursor is NULL for USDJPY/${tf}`,
    );
    await evaluate(db.pool, all('USDJPY', 'FAILING'));
    expect((await incidents()).map((row) => `${row.detail} ${row.pairs}`).sort()).toEqual([
      'canceling statement due to statement timeout 1',
      'catchup_aggregation_range: start cursor is NULL for <symbol>/<tf> 5',
    ]);
  });

  it('a feed outage over a symbol grows, then resolves when its last pair recovers', async () => {
    await reset();
    await evaluate(db.pool, [...all('GC', 'OK')]);
    await evaluate(db.pool, [['GC', '5m', 'SOURCE_STALE'], ['GC', '15m', 'SOURCE_STALE'], ...all('GC', 'OK').slice(2)]);
    expect((await incidents()).map((row) => [row.scope, row.state, row.symbol, row.pairs])).toEqual([
      ['symbol', 'SOURCE_STALE', 'GC', 2],
    ]);
    await evaluate(db.pool, all('GC', 'SOURCE_STALE'));
    expect((await incidents()).map((row) => [row.open, row.pairs])).toEqual([[true, 6]]);
    const recovering = all('GC', 'OK');
    recovering[5] = ['GC', '1d', 'SOURCE_STALE'];
    await evaluate(db.pool, recovering);
    expect((await incidents()).map((row) => [row.open, row.open_pairs])).toEqual([[true, 1]]);
    await evaluate(db.pool, all('GC', 'OK'));
    expect((await incidents()).map((row) => [row.open, row.open_pairs, row.pairs])).toEqual([[false, 0, 6]]);
    // A new outage later is a new incident.
    await evaluate(db.pool, all('GC', 'SOURCE_STALE'));
    expect((await incidents()).map((row) => row.open)).toEqual([false, true]);
  });

  it('the same state on many symbols at once is one global incident that absorbs the per-symbol ones', async () => {
    await reset();
    const symbols = Array.from({ length: 400 }, (_, i) => `S${String(i).padStart(3, '0')}`);
    const healthy: Observation[] = symbols.flatMap(
      (s) =>
        [
          [s, '5m', 'OK'],
          [s, '1h', 'OK'],
        ] as Observation[],
    );
    await evaluate(db.pool, healthy);
    // Three symbols first: per-symbol incidents.
    const few = healthy.map((row, i): Observation => (i < 6 ? [row[0], row[1], 'SOURCE_STALE'] : row));
    await evaluate(db.pool, few);
    expect((await incidents()).map((row) => row.scope)).toEqual(['symbol', 'symbol', 'symbol']);
    // Then all 400: one global incident with all 800 pairs; the three are merged into it.
    const silent = healthy.map((row): Observation => [row[0], row[1], 'SOURCE_STALE']);
    const result = await evaluate(db.pool, silent, { globalSymbols: 20 });
    expect(result.incidents).toMatchObject({ opened: 1, resolved: 3 });
    const rows = await incidents();
    expect(rows.filter((row) => row.open).map((row) => [row.scope, row.state, row.symbol, row.open_pairs])).toEqual([
      ['global', 'SOURCE_STALE', null, 800],
    ]);
    expect(rows.filter((row) => !row.open).map((row) => row.merged)).toEqual([true, true, true]);
    // Below the threshold it stays the one global incident until its last pair recovers.
    const most = silent.map((row, i): Observation => (i < 796 ? [row[0], row[1], 'OK'] : row));
    await evaluate(db.pool, most);
    expect((await incidents()).filter((row) => row.open).map((row) => [row.scope, row.open_pairs])).toEqual([
      ['global', 4],
    ]);
    await evaluate(db.pool, healthy);
    expect((await incidents()).filter((row) => row.open)).toEqual([]);
  });

  it('OK, DISABLED, CLOSED and MAINTENANCE never open an incident', async () => {
    await reset();
    await evaluate(
      db.pool,
      [
        ['A', '5m', 'OK'],
        ['A', '1h', 'DISABLED'],
        ['B', '5m', 'CLOSED' as Observation[2]],
        ['C', '5m', 'CLOSED' as Observation[2]],
        ['D', '5m', 'MAINTENANCE'],
        ['E', '5m', 'MAINTENANCE'],
      ],
      { globalSymbols: 2 },
    );
    expect(await incidents()).toEqual([]);
  });
});
