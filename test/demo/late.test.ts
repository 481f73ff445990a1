// The demo's late data: a corrected minute of ETHUSD behind its cursors is repaired by the
// worker's next audit (docs/AUDIT.md).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { correctLateMinute, LATE_SYMBOL } from '../../lib/demo/late';
import { seedDemo } from '../../lib/demo/seed';
import { DEMO_SYMBOLS } from '../../lib/demo/symbols';
import { barsEqualRecompute } from '../support/audit';
import { seededRandom } from '../support/bars';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { makeWorker } from '../worker/support';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

it("the worker repairs the demo feed's correction of a finalized minute in its next audit", async () => {
  const symbols = DEMO_SYMBOLS.filter((s) => s.symbol === LATE_SYMBOL);
  await seedDemo(db.pool, { now: new Date(), random: seededRandom(8), symbols });
  const { worker, close } = makeWorker(db.url, { audit: { lookbackHours: 24, intervalMs: 1, pairsPerPass: 100 } });
  try {
    await worker.runPass();
    expect(
      await worker.auditor!.runDue(
        2,
        () => false,
        () => {},
      ),
    ).toMatchObject({ audited: 6, repaired: 0, failed: 0 });
    const corrected = await correctLateMinute(db.pool);
    expect(corrected).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const audit = await worker.auditor!.runDue(
      2,
      () => false,
      () => {},
    );
    // 5m, 15m and 30m windows 40 minutes back are finalized; 1h, 4h and 1d are when the hour allows
    expect(audit.repaired).toBeGreaterThanOrEqual(3);
    for (const tf of ['5m', '15m', '30m', '1h', '4h', '1d']) {
      const { end } = await db.one<{ end: Date }>(
        `SELECT s.last_agg_bar_ts_utc + t.step AS end FROM data_agg_state s JOIN agg_timeframes t USING (timeframe)
          WHERE canonical_symbol = $1 AND timeframe = $2`,
        [LATE_SYMBOL, tf],
      );
      const { start } = await db.one<{ start: Date }>(
        `SELECT min(ts_utc) AS start FROM bars_1m WHERE canonical_symbol = $1`,
        [LATE_SYMBOL],
      );
      const wrong = await barsEqualRecompute(db.pool, LATE_SYMBOL, tf, start.toISOString(), end.toISOString());
      // only a partial first window (before the oldest row's first full window) may differ: none here
      expect(wrong.filter((ts) => Date.parse(ts) >= start.getTime())).toEqual([]);
    }
  } finally {
    await close();
  }
});
