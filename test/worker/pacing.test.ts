// A paced pass (lib/worker/pacing.ts): the runs of a pass start evenly over WORKER_PASS_SPREAD of
// the interval instead of in a burst; small books, and passes behind their schedule, are not
// held back. Real PostgreSQL: the runs' start times are the database's last_attempt_utc.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PACED_MIN_PAIRS_PER_SECOND, pairSpacingMs } from '../../lib/worker/pacing';
import { workerSettingsFromEnv } from '../../lib/worker/worker';
import { parseEnv } from '../../lib/server/env';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { bootstrapAll, floorMinute, makeWorker, MINUTE } from './support';

describe('pairSpacingMs', () => {
  test('30,000 pairs over 0.6 of 15 s: a run every 0.3 ms, a 9-s pass', () => {
    expect(pairSpacingMs(30_000, 15_000, 0.6)).toBeCloseTo(0.3, 10);
  });
  test('a small book is not slowed below PACED_MIN_PAIRS_PER_SECOND', () => {
    expect(pairSpacingMs(60, 15_000, 0.6)).toBe(1_000 / PACED_MIN_PAIRS_PER_SECOND);
  });
  test('no spread, no pairs: not paced', () => {
    expect(pairSpacingMs(30_000, 15_000, 0)).toBe(0);
    expect(pairSpacingMs(0, 15_000, 0.6)).toBe(0);
    expect(pairSpacingMs(30_000, 15_000, Number.NaN)).toBe(0);
  });
  test('on by default, WORKER_PASS_SPREAD 0.6; 0 turns it off; outside 0–1 is a configuration error', () => {
    expect(workerSettingsFromEnv(parseEnv({})).passSpread).toBe(0.6);
    expect(workerSettingsFromEnv(parseEnv({ WORKER_PASS_SPREAD: '0' })).passSpread).toBe(0);
    expect(() => parseEnv({ WORKER_PASS_SPREAD: '1.5' })).toThrow(/WORKER_PASS_SPREAD/);
  });
});

describe('a paced pass', () => {
  let db: TestDatabase;
  // 100 symbols × 6 timeframes: at the 1-ms floor the pass is spread over 600 ms; unpaced, two
  // lanes run these caught-up pairs several times faster.
  const symbols = Array.from({ length: 100 }, (_, i) => `P${String(i).padStart(3, '0')}`);

  beforeAll(async () => {
    db = await createTestDatabase();
    const now = floorMinute(Date.now());
    const minutes = minutesBetween(new Date(now - 30 * MINUTE), new Date(now));
    await insertBars(
      db.pool,
      symbols.flatMap((symbol, i) => randomWalkBars(symbol, minutes, i + 1)),
    );
    await bootstrapAll(db.pool, symbols);
  });
  afterAll(async () => db?.drop());

  const attempts = async () =>
    (
      await db.sql<{ at: Date }>(
        `SELECT last_attempt_utc AS at FROM data_agg_state WHERE enabled ORDER BY canonical_symbol, timeframe`,
      )
    ).map((row) => row.at.getTime());

  test("each pair's run starts no earlier than its place in the spread pass", async () => {
    const { worker, close } = makeWorker(db.url, { intervalMs: 1_000, passSpread: 1 });
    try {
      const spacing = pairSpacingMs(600, 1_000, 1);
      expect(spacing).toBe(1);
      const before = Date.now();
      const summary = await worker.runPass();
      expect(summary.pairs).toBe(600);
      expect(summary.failed).toBe(0);
      const at = await attempts();
      // The database's clock is this host's; 2 ms for its rounding and the clocks' reading.
      const early = at.flatMap((ms, index) => (ms < before + index * spacing - 2 ? [index] : []));
      expect(early).toEqual([]);
      expect(summary.ms).toBeGreaterThanOrEqual(599 * spacing);
    } finally {
      await close();
    }
  });

  test('a stop during a paced pass ends it at once, the rest of the pairs not run', async () => {
    const { worker, close } = makeWorker(db.url, { intervalMs: 1_000, passSpread: 1 });
    try {
      // Past half an interval since the last test's runs: every pair is due again.
      await new Promise((resolve) => setTimeout(resolve, 600));
      const before = Math.max(...(await attempts()));
      worker.start();
      await new Promise((resolve) => setTimeout(resolve, 150));
      await worker.stop();
      const ran = (await attempts()).filter((ms) => ms > before).length;
      expect(ran).toBeGreaterThan(0);
      expect(ran).toBeLessThan(600);
    } finally {
      await close();
    }
  });
});
