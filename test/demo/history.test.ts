import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoHistory } from '../../lib/demo/history';
import { seedDemo } from '../../lib/demo/seed';
import { DEFAULT_THRESHOLDS } from '../../lib/health/rules';
import { observeWithPool } from '../../lib/history/observe';
import { recordStates } from '../../lib/history/statements';
import { seededRandom } from '../support/bars';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('the demo state history', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.pool, { random: seededRandom(3) });
  });
  afterAll(async () => db?.drop());

  it('writes a week of past once, without gaps or overlaps, then the writer carries on from it', async () => {
    const now = new Date();
    expect(await seedDemoHistory(db.pool, now)).toBeGreaterThan(0);
    expect(await seedDemoHistory(db.pool, new Date())).toBe(0);

    // Per pair: consecutive, the first a week ago, the last ending at the seed's now.
    const gaps = await db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT since, lag(until) OVER (PARTITION BY canonical_symbol, timeframe ORDER BY since) AS previous_end
           FROM pair_state_intervals) x
        WHERE previous_end IS NOT NULL AND previous_end <> since`,
    );
    expect(gaps[0]!.n).toBe(0);
    const ends = await db.sql<{ n: number }>(`SELECT count(DISTINCT until)::int AS n FROM pair_state_intervals i
      WHERE until = (SELECT max(until) FROM pair_state_intervals j WHERE j.canonical_symbol = i.canonical_symbol AND j.timeframe = i.timeframe)`);
    expect(ends[0]!.n).toBe(1);
    const incidents = await db.sql<{ cause: string }>(
      `SELECT symbol || ' ' || state || ' ' || pair_count AS cause FROM incidents WHERE resolved_at IS NOT NULL ORDER BY opened_at`,
    );
    expect(incidents.map((row) => row.cause)).toEqual(['CLZ6 SOURCE_STALE 6', 'USDJPY FAILING 3', 'EURUSD LAGGING 1']);
    expect((await db.sql(`SELECT 1 FROM pair_state_intervals WHERE flapping`)).length).toBe(1);

    const client = await db.pool.connect();
    try {
      const result = await recordStates(client, await observeWithPool(db.pool, DEFAULT_THRESHOLDS)(), {
        settleSeconds: 0,
        flapWindowSeconds: 600,
        flapChanges: 4,
        globalSymbols: 20,
      });
      expect(result.new_pairs).toBe((await db.sql('SELECT 1 FROM data_agg_state')).length);
    } finally {
      client.release();
    }
    const open = await db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM pair_state_intervals WHERE until IS NULL`);
    expect(open[0]!.n).toBe((await db.sql('SELECT 1 FROM data_agg_state')).length);
  });
});
