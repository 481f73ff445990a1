// record_aggregation_failure: the documented four-argument call, and the SQLSTATE and HINT that
// sql/012 lets the worker keep.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, errorOf, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe) VALUES ('REC', '5m')`);
});
afterAll(async () => { await db?.drop(); });

const state = () => db.one<{ failures: number; error: string; sqlstate: string | null; hint: string | null }>(
  `SELECT consecutive_failures AS failures, last_error AS error, last_error_sqlstate AS sqlstate, last_error_hint AS hint
     FROM data_agg_state WHERE canonical_symbol = 'REC'`);

test("the documented four-argument call works and records no SQLSTATE or HINT", async () => {
  await db.sql(`SELECT record_aggregation_failure('REC', '5m', 'boom', now())`);
  expect(await state()).toEqual({ failures: 1, error: 'boom', sqlstate: null, hint: null });
});

test('with a SQLSTATE and a HINT, both are kept on the pair and in the run', async () => {
  await db.sql(`SELECT record_aggregation_failure('REC', '5m', 'corrupt source data', now(), '22000', '  fix the bars  ')`);
  expect(await state()).toEqual({ failures: 2, error: 'corrupt source data', sqlstate: '22000', hint: 'fix the bars' });
  const run = await db.one<{ result: Record<string, unknown> }>(`SELECT result FROM data_agg_runs ORDER BY run_id DESC LIMIT 1`);
  expect(run.result).toEqual({ symbol: 'REC', to_tf: '5m', cursor_utc: null, sqlstate: '22000', hint: 'fix the bars' });
});

test('a SQLSTATE that is not one raises naming p_sqlstate, and records nothing', async () => {
  expect(await errorOf(db.sql(`SELECT record_aggregation_failure('REC', '5m', 'x', now(), 'oops')`)))
    .toBe("record_aggregation_failure: p_sqlstate must be a five-character SQLSTATE such as 22000, got 'oops'");
  expect((await state()).failures).toBe(2);
});
