// An audit and a catch-up of the same pair at the same moment, from two connections: the
// state-row lock serialises them, and no bar ends up different from an independent recompute.
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { barsEqualRecompute } from '../support/audit';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { connectTo, waitUntilBlocked as waitUntilBlockedOn } from '../support/locks';

let db: TestDatabase;
const FROM = new Date('2026-05-01T00:00:00Z');
beforeAll(async () => {
  db = await createTestDatabase();
  await insertBars(db.pool, randomWalkBars('ETHUSD', minutesBetween(FROM, new Date('2026-05-01T12:00:00Z')), 5, 3000));
  await db.sql(`SELECT bootstrap_aggregation_cursor('ETHUSD', '5m')`);
});
afterAll(async () => { await db?.drop(); });

const connect = () => connectTo(db);
const waitUntilBlocked = (pid: number) => waitUntilBlockedOn(db, pid);

const pid = async (client: pg.Client) => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
const AUDIT = `SELECT audit_aggregation_range('ETHUSD', '5m', '2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z', true) AS r`;
const CATCHUP = `SELECT run_catchup('ETHUSD', '5m', 40, 1) AS r`;

test('a catch-up waits for an audit holding the pair, then carries on from the cursor it re-reads', async () => {
  await db.sql(CATCHUP); // cursor at 03:15
  // A late minute in a finalized window and a wrong bar, for the audit to repair.
  await db.sql(`DELETE FROM bars_1m WHERE canonical_symbol = 'ETHUSD' AND ts_utc = '2026-05-01T01:02:00Z'`);
  await db.sql(`UPDATE bars_agg SET low = low - 1 WHERE canonical_symbol = 'ETHUSD' AND timeframe = '5m' AND ts_utc = '2026-05-01T02:00:00Z'`);
  const [a, b] = [await connect(), await connect()];
  try {
    await a.query('BEGIN');
    const audited = (await a.query(AUDIT)).rows[0].r;
    expect(audited).toMatchObject({ drifted: 2, repaired: 2, to_utc: '2026-05-01T03:20:00+00:00' });
    const bPid = await pid(b);
    const waiting = b.query(CATCHUP);
    await waitUntilBlocked(bPid);
    await a.query('COMMIT');
    const caughtUp = (await waiting).rows[0].r;
    expect(caughtUp).toMatchObject({ start_cursor_utc: '2026-05-01T03:15:00+00:00', cursor_utc: '2026-05-01T06:35:00+00:00' });
  } finally {
    await a.end();
    await b.end();
  }
  // every bar up to the cursor (bars after it are not written yet)
  expect(await barsEqualRecompute(db.pool, 'ETHUSD', '5m', '2026-05-01T00:00:00Z', '2026-05-01T06:40:00Z')).toEqual([]);
});

test('an audit waits for a catch-up holding the pair, then audits up to the cursor the catch-up left', async () => {
  const [a, b] = [await connect(), await connect()];
  try {
    await a.query('BEGIN');
    const caughtUp = (await a.query(CATCHUP)).rows[0].r;
    const bPid = await pid(b);
    const waiting = b.query(AUDIT);
    await waitUntilBlocked(bPid);
    await a.query('COMMIT');
    const audited = (await waiting).rows[0].r;
    // The audit saw the catch-up's cursor and bars (committed while it waited): nothing drifted.
    expect(audited.cursor_utc).toBe(caughtUp.cursor_utc);
    expect(audited).toMatchObject({ missing: 0, drifted: 0, repaired: 0 });
  } finally {
    await a.end();
    await b.end();
  }
});

test('audits and catch-ups racing from two connections while late minutes arrive: no wrong bar', async () => {
  const [a, b] = [await connect(), await connect()];
  try {
    for (let round = 0; round < 12; round += 1) {
      // a late (or corrected) minute somewhere behind the cursor
      const minute = new Date(FROM.getTime() + (7 + round * 13) * 60_000).toISOString();
      await db.sql(`UPDATE bars_1m SET volume = volume + 1, high = high + 0.5 WHERE canonical_symbol = 'ETHUSD' AND ts_utc = $1`, [minute]);
      await Promise.all([a.query(AUDIT), b.query(CATCHUP)]);
    }
    await a.query(AUDIT);
  } finally {
    await a.end();
    await b.end();
  }
  const cursor = (await db.one<{ c: Date }>(`SELECT last_agg_bar_ts_utc AS c FROM data_agg_state WHERE canonical_symbol = 'ETHUSD' AND timeframe = '5m'`)).c;
  expect(cursor.toISOString()).toBe('2026-05-01T11:55:00.000Z');
  expect(await barsEqualRecompute(db.pool, 'ETHUSD', '5m', '2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z')).toEqual([]);
});
