// Market calendars (sql/009): sessions at given instants across DST in New York and London,
// overnight sessions, holidays and early closes, exact vs pattern assignment, no calendar =
// open, bad arguments, and the view the dashboard joins.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, errorOf, type TestDatabase } from '../support/database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(`
    INSERT INTO market_calendars (calendar, time_zone) VALUES
      ('nyse', 'America/New_York'), ('lse', 'Europe/London'), ('fx', 'America/New_York'),
      ('cme', 'America/Chicago'), ('crypto', 'UTC'), ('short', 'UTC');
    INSERT INTO market_calendar_sessions (calendar, open_dow, open_time, close_dow, close_time)
      SELECT 'nyse', d, time '09:30', d, time '16:00' FROM generate_series(1, 5) d
      UNION ALL SELECT 'lse', d, '08:00', d, '16:30' FROM generate_series(1, 5) d
      UNION ALL SELECT 'fx', 0, '17:00', 5, '17:00'
      UNION ALL SELECT 'cme', d, '17:00', d + 1, '16:00' FROM generate_series(0, 4) d
      UNION ALL SELECT 'crypto', 0, '00:00', 0, '00:00'
      UNION ALL SELECT 'short', 3, '10:00', 3, '11:00';
    INSERT INTO market_calendar_closures (calendar, closed_on, early_close, note) VALUES
      ('nyse', '2026-12-25', NULL, 'Christmas'), ('nyse', '2026-11-27', '13:00', 'day after Thanksgiving'),
      ('crypto', '2026-05-01', NULL, 'exchange maintenance');`);
});
afterAll(async () => { await db?.drop(); });

interface State {
  is_open: boolean; opened_at_utc: Date | null; closes_at_utc: Date | null;
  next_opens_at_utc: Date | null; last_closed_at_utc: Date | null;
}

async function state(calendar: string, at: string): Promise<State> {
  return db.one<State>('SELECT * FROM market_calendar_state($1, $2)', [calendar, at]);
}
const iso = (value: Date | null) => value?.toISOString() ?? null;

describe('market_calendar_state', () => {
  test.each([
    // [calendar, instant, open, opened_at / next_opens_at, closes_at]
    ['nyse', '2026-03-06T14:29:00Z', false, '2026-03-06T14:30:00.000Z', null], // EST: 09:30 = 14:30Z, the minute before
    ['nyse', '2026-03-06T14:30:00Z', true, '2026-03-06T14:30:00.000Z', '2026-03-06T21:00:00.000Z'], // the minute it opens
    ['nyse', '2026-03-06T21:00:00Z', false, '2026-03-09T13:30:00.000Z', null], // closed for the weekend; Monday is EDT
    ['nyse', '2026-03-09T13:30:00Z', true, '2026-03-09T13:30:00.000Z', '2026-03-09T20:00:00.000Z'], // after the DST change
    ['nyse', '2026-11-02T14:29:00Z', false, '2026-11-02T14:30:00.000Z', null], // back on EST
    ['lse', '2026-03-27T07:59:00Z', false, '2026-03-27T08:00:00.000Z', null], // GMT, while New York is already on EDT
    ['lse', '2026-03-30T07:00:00Z', true, '2026-03-30T07:00:00.000Z', '2026-03-30T15:30:00.000Z'], // BST from 29 March
    ['fx', '2026-12-26T12:00:00Z', false, '2026-12-27T22:00:00.000Z', null], // Saturday: opens Sunday 17:00 EST
    ['fx', '2026-12-25T21:00:00Z', true, '2026-12-20T22:00:00.000Z', '2026-12-25T22:00:00.000Z'], // EURUSD at 21:00 UTC on the 25th
    ['fx', '2026-07-10T20:59:00Z', true, '2026-07-05T21:00:00.000Z', '2026-07-10T21:00:00.000Z'], // summer: 17:00 EDT = 21:00Z
    ['cme', '2026-01-13T22:30:00Z', false, '2026-01-13T23:00:00.000Z', null], // the daily break 16:00-17:00 CST
    ['cme', '2026-01-14T06:00:00Z', true, '2026-01-13T23:00:00.000Z', '2026-01-14T22:00:00.000Z'], // overnight, past midnight
    ['cme', '2026-01-17T12:00:00Z', false, '2026-01-18T23:00:00.000Z', null], // Saturday: Sunday 17:00 CST
    ['short', '2026-01-07T10:59:59Z', true, '2026-01-07T10:00:00.000Z', '2026-01-07T11:00:00.000Z'],
    ['short', '2026-01-07T11:00:00Z', false, '2026-01-14T10:00:00.000Z', null], // the end is exclusive
  ])('%s at %s: open %s', async (calendar, at, open, start, end) => {
    const s = await state(calendar, at);
    expect(s.is_open).toBe(open);
    expect(iso(open ? s.opened_at_utc : s.next_opens_at_utc)).toBe(start);
    expect(iso(s.closes_at_utc)).toBe(end);
    if (!open) expect(s.opened_at_utc).toBeNull();
  });

  test('a holiday closes the day: Christmas, and the next open is the Monday after', async () => {
    const s = await state('nyse', '2026-12-25T15:00:00Z');
    expect(s).toMatchObject({ is_open: false, opened_at_utc: null, closes_at_utc: null });
    expect(iso(s.next_opens_at_utc)).toBe('2026-12-28T14:30:00.000Z');
    expect(iso(s.last_closed_at_utc)).toBe('2026-12-24T21:00:00.000Z');
  });

  test('an early close ends the session at 13:00 local', async () => {
    const before = await state('nyse', '2026-11-27T17:59:00Z');
    expect(before.is_open).toBe(true);
    expect(iso(before.closes_at_utc)).toBe('2026-11-27T18:00:00.000Z');
    const after = await state('nyse', '2026-11-27T18:30:00Z');
    expect(after.is_open).toBe(false);
    expect(iso(after.last_closed_at_utc)).toBe('2026-11-27T18:00:00.000Z');
    expect(iso(after.next_opens_at_utc)).toBe('2026-11-30T14:30:00.000Z');
  });

  test('24/7: open with no start or end in sight, except on its closed date', async () => {
    expect(await state('crypto', '2026-06-15T03:00:00Z')).toEqual({
      is_open: true, opened_at_utc: null, closes_at_utc: null, next_opens_at_utc: null, last_closed_at_utc: null,
    });
    // A closed date within four weeks is a real end of the session.
    expect(iso((await state('crypto', '2026-04-15T03:00:00Z')).closes_at_utc)).toBe('2026-05-01T00:00:00.000Z');
    const closed = await state('crypto', '2026-05-01T12:00:00Z');
    expect(closed.is_open).toBe(false);
    expect(iso(closed.next_opens_at_utc)).toBe('2026-05-02T00:00:00.000Z');
    expect(iso(closed.last_closed_at_utc)).toBe('2026-05-01T00:00:00.000Z');
    const reopened = await state('crypto', '2026-05-02T00:05:00Z');
    expect(iso(reopened.opened_at_utc)).toBe('2026-05-02T00:00:00.000Z');
    expect(reopened.closes_at_utc).toBeNull();
  });

  test('FX on a weekday: last close is the previous Friday', async () => {
    const s = await state('fx', '2026-12-23T12:00:00Z');
    expect(iso(s.last_closed_at_utc)).toBe('2026-12-18T22:00:00.000Z');
  });
});

describe('assignment', () => {
  beforeAll(async () => {
    await db.sql(`INSERT INTO market_calendar_assignments (match, pattern, calendar) VALUES
      ('like', 'ES%', 'cme'), ('like', 'E%', 'lse'), ('like', '%Z6', 'crypto'), ('exact', 'ESZ6', 'nyse'),
      ('exact', 'EURUSD', 'fx')`);
    await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe) VALUES
      ('ESZ6', '5m'), ('ESZ6', '1h'), ('ESH7', '5m'), ('CLZ6', '5m'), ('EURUSD', '5m'), ('BTCUSD', '5m')`);
  });

  test.each([
    ['ESZ6', 'nyse', 'exact', 'ESZ6'], // exact beats every pattern
    ['ESH7', 'cme', 'like', 'ES%'], // the pattern with more literal characters wins
    ['CLZ6', 'crypto', 'like', '%Z6'],
    ['EURUSD', 'fx', 'exact', 'EURUSD'],
  ])('%s follows %s (%s %s)', async (symbol, calendar, matched, pattern) => {
    const row = await db.one('SELECT * FROM market_session_at($1, $2)', [symbol, '2026-06-10T12:00:00Z']);
    expect(row).toMatchObject({ calendar, matched_by: matched, pattern });
    const view = await db.sql('SELECT calendar, matched_by, pattern FROM v_symbol_market_session WHERE canonical_symbol = $1', [symbol]);
    expect(view).toEqual([{ calendar, matched_by: matched, pattern }]);
  });

  test('two patterns as specific as each other: the first in byte order wins', async () => {
    await db.sql(`DELETE FROM market_calendar_assignments WHERE pattern = 'ESZ6'`);
    try {
      // 'ES%' and '%Z6' both have two literal characters; '%' (0x25) sorts before 'E'.
      expect(await db.one('SELECT calendar, pattern FROM market_session_at($1, now())', ['ESZ6'])).toEqual({ calendar: 'crypto', pattern: '%Z6' });
    } finally {
      await db.sql(`INSERT INTO market_calendar_assignments (match, pattern, calendar) VALUES ('exact', 'ESZ6', 'nyse')`);
    }
  });

  test('no calendar: always open, and absent from the view', async () => {
    expect(await db.one('SELECT * FROM market_session_at($1, now())', ['BTCUSD'])).toEqual({
      calendar: null, time_zone: null, matched_by: null, pattern: null, is_open: true,
      opened_at_utc: null, closes_at_utc: null, next_opens_at_utc: null, last_closed_at_utc: null,
    });
    expect(await db.sql(`SELECT 1 FROM v_symbol_market_session WHERE canonical_symbol = 'BTCUSD'`)).toEqual([]);
  });

  test('the view agrees with market_session_at(symbol, now()) and gives minutes', async () => {
    const rows = await db.sql<Record<string, unknown>>(`
      SELECT v.canonical_symbol, v.is_open = f.is_open AS same_open,
             v.next_opens_at_utc IS NOT DISTINCT FROM f.next_opens_at_utc AS same_next,
             v.closes_at_utc IS NOT DISTINCT FROM f.closes_at_utc AS same_close,
             v.minutes_until_open, v.next_opens_at_utc
        FROM v_symbol_market_session v, market_session_at(v.canonical_symbol, now()) f
       ORDER BY 1`);
    expect(rows.map((r) => r.canonical_symbol)).toEqual(['CLZ6', 'ESH7', 'ESZ6', 'EURUSD']);
    for (const row of rows) expect(row).toMatchObject({ same_open: true, same_next: true, same_close: true });
    for (const row of rows.filter((r) => r.next_opens_at_utc)) expect(Number(row.minutes_until_open)).toBeGreaterThan(0);
  });
});

test('an adopted database: symbols with another collation join the view with COLLATE "C", as the snapshot does', async () => {
  // Legacy tables keep their symbol columns' collation (no COLLATE "C"); "POSIX" stands in for it.
  await db.sql(`CREATE TABLE legacy_symbols (canonical_symbol text COLLATE "POSIX"); INSERT INTO legacy_symbols VALUES ('EURUSD'), ('ZZZ')`);
  expect(await errorOf(db.sql(`SELECT * FROM legacy_symbols l LEFT JOIN v_symbol_market_session m ON m.canonical_symbol = l.canonical_symbol`)))
    .toContain('could not determine which collation to use');
  expect(await db.sql(`SELECT l.canonical_symbol, m.calendar FROM legacy_symbols l
                         LEFT JOIN v_symbol_market_session m ON m.canonical_symbol = l.canonical_symbol COLLATE "C" ORDER BY 1`))
    .toEqual([{ canonical_symbol: 'EURUSD', calendar: 'fx' }, { canonical_symbol: 'ZZZ', calendar: null }]);
  expect(await db.one(`SELECT calendar FROM market_session_at((SELECT canonical_symbol FROM legacy_symbols LIMIT 1), now())`)).toEqual({ calendar: 'fx' });
});

describe('bad arguments', () => {
  test.each([
    ['SELECT * FROM market_session_at(NULL, now())', 'market_session_at: p_symbol must be a non-empty symbol'],
    [`SELECT * FROM market_session_at('', now())`, 'market_session_at: p_symbol must be a non-empty symbol'],
    [`SELECT * FROM market_session_at('EURUSD', NULL)`, 'market_session_at: p_at must not be NULL'],
    [`SELECT * FROM market_calendar_state('nope', now())`, "market_calendar_state: unknown calendar p_calendar='nope' (known: cme, crypto, fx, lse, nyse, short)"],
    [`SELECT * FROM market_calendar_state('fx', NULL)`, 'market_calendar_state: p_at must not be NULL'],
    [`INSERT INTO market_calendars (calendar, time_zone) VALUES ('x', 'America/Nowhere')`, 'market_calendars_time_zone_known'],
    [`INSERT INTO market_calendars (calendar, time_zone) VALUES ('Bad Name', 'UTC')`, 'market_calendars_name_format'],
    [`INSERT INTO market_calendar_sessions VALUES ('fx', 7, '09:00', 1, '10:00')`, 'market_calendar_sessions_open_dow'],
    [`INSERT INTO market_calendar_assignments (match, pattern, calendar) VALUES ('regex', 'A.*', 'fx')`, 'market_calendar_assignments_match'],
    [`INSERT INTO market_calendar_assignments (match, pattern, calendar) VALUES ('exact', 'AAPL', 'nosuch')`, 'market_calendar_assignments_calendar_fkey'],
    [`DELETE FROM market_calendars WHERE calendar = 'fx'`, 'market_calendar_assignments_calendar_fkey'], // in use
  ])('%s', async (statement, message) => {
    expect(await errorOf(db.sql(statement))).toContain(message);
  });
});
