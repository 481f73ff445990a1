// The audit on an adopted database's shapes: bars_1m partitioned by month with plain text
// columns (no COLLATE "C"), bars_agg with a nullable source_count holding legacy partial bars.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { audit, barsEqualRecompute } from '../support/audit';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(`ALTER TABLE bars_1m RENAME TO bars_1m_unpartitioned`);
  await db.sql(`CREATE TABLE bars_1m (canonical_symbol text NOT NULL, ts_utc timestamptz NOT NULL, open numeric NOT NULL,
                  high numeric NOT NULL, low numeric NOT NULL, close numeric NOT NULL, volume numeric NOT NULL DEFAULT 0,
                  PRIMARY KEY (canonical_symbol, ts_utc)) PARTITION BY RANGE (ts_utc)`);
  await db.sql(`CREATE TABLE bars_1m_2026_03 PARTITION OF bars_1m FOR VALUES FROM ('2026-03-01') TO ('2026-04-01')`);
  await db.sql(`CREATE TABLE bars_1m_2026_04 PARTITION OF bars_1m FOR VALUES FROM ('2026-04-01') TO ('2026-05-01')`);
  await db.sql('ALTER TABLE bars_agg ALTER COLUMN source_count DROP NOT NULL');
  // a day across the month boundary
  await insertBars(db.pool, randomWalkBars('LEGACY', minutesBetween(new Date('2026-03-31T12:00:00Z'), new Date('2026-04-01T12:00:00Z')), 2));
  // The old aggregator's bars: 1h bars with no source_count, the last six written before their window was complete.
  await db.sql(`
    INSERT INTO bars_agg (canonical_symbol, timeframe, ts_utc, open, high, low, close, volume, source_count)
    SELECT 'LEGACY', '1h', date_bin('1 hour', ts_utc, '2000-01-01'), (array_agg(open ORDER BY ts_utc))[1], max(high), min(low),
           (array_agg(close ORDER BY ts_utc DESC))[1], sum(volume), NULL
      FROM bars_1m WHERE canonical_symbol = 'LEGACY' AND (ts_utc < '2026-04-01T06:00:00Z' OR extract(minute FROM ts_utc) < 30)
     GROUP BY 3`);
  await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc) VALUES ('LEGACY', '1h', '2026-04-01T11:00:00Z')`);
});
afterAll(async () => { await db?.drop(); });

test('on a partitioned bars_1m, NULL source_count and partial legacy bars are drift, repaired to the recomputation', async () => {
  const found = await audit(db.pool, 'LEGACY', '1h', '2026-03-31T00:00:00Z', '2026-04-02T00:00:00Z', false);
  expect(found).toMatchObject({ windows_checked: 24, missing: 0, drifted: 24, orphaned: 0 });
  const repaired = await audit(db.pool, 'LEGACY', '1h', '2026-03-31T00:00:00Z', '2026-04-02T00:00:00Z', true);
  expect(repaired).toMatchObject({ drifted: 24, repaired: 24 });
  expect(await audit(db.pool, 'LEGACY', '1h', '2026-03-31T00:00:00Z', '2026-04-02T00:00:00Z', true)).toMatchObject({ drifted: 0, repaired: 0 });
  expect(await barsEqualRecompute(db.pool, 'LEGACY', '1h', '2026-03-31T12:00:00Z', '2026-04-01T12:00:00Z')).toEqual([]);
});
