// The boundary minute through the API: at 60.0 minutes since success a pair is neither STALLED
// nor in the "stalled" preset; at 60.1 it is both (lib/health/stall-rule.ts; the SQL side is in
// test/sql/frontier-view.test.ts, the overview's side uses the same lib/health/list-contract.ts).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { GET } from '../../app/api/health/route';
import type { HealthListResponse } from '../../lib/shared/types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { call, insertFrontier, pointApiAt } from './support';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await pointApiAt(db.url);
});
afterAll(async () => {
  await db?.drop();
});

test('60.0 min since success: not STALLED, not in ?preset=stalled; 60.1 min: both', async () => {
  const lastMinute = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  for (const symbol of ['EDGE60', 'EDGE61']) await insertFrontier(db, symbol, lastMinute);
  // The view rounds minutes to 0.1 (6 s): 60 min minus 2 s reads 60.0 for the next 5 s, and
  // 60 min plus 4 s reads 60.1 for the next 2 s — far longer than the request takes.
  // Caught-up cursors: the last complete 1d window before the frontier.
  await db.sql(
    `INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc, last_success_utc)
    SELECT s, '1d', agg_last_complete_window_start(interval '24 hours', 'infinity', 0, $1), now() - d
      FROM (VALUES ('EDGE60', interval '60 minutes' - interval '2 seconds'), ('EDGE61', interval '60 minutes 4 seconds')) v(s, d)`,
    [new Date(lastMinute)],
  );
  const [all, preset] = await Promise.all([
    call<HealthListResponse>(GET, '/api/health'),
    call<HealthListResponse>(GET, '/api/health?preset=stalled'),
  ]);
  const byKey = new Map(all.body.rows.map((row) => [row.symbol, row]));
  expect(byKey.get('EDGE60')).toMatchObject({ minutesSinceSuccess: 60, state: 'OK' });
  expect(byKey.get('EDGE61')).toMatchObject({
    minutesSinceSuccess: 60.1,
    state: 'STALLED',
    reason: 'no success for 60 min, threshold 60 min, policy default',
  });
  expect(preset.body.rows.map((row) => row.symbol)).toEqual(['EDGE61']);
});
