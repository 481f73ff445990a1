// npm run ops -- calendar …: parsing, install of the templates (NYSE holidays from
// nyse-holidays), assign/unassign, and check at given instants, against a real database.
import { describe, expect, it } from 'vitest';
import { usEquityClosures } from '../../lib/ops/calendar-templates';
import { parseOpsArgs } from '../../lib/ops/commands';
import { OpsFailure } from '../../lib/ops/errors';
import { errorOf } from '../support/database';
import { usageErrorOf, useOpsDatabase } from './support';

describe('calendar arguments', () => {
  it('parses and refuses with a clear message', () => {
    expect(parseOpsArgs(['calendar', 'check', 'EURUSD', '2026-12-25T21:00Z'])).toEqual({
      kind: 'calendar',
      action: 'check',
      symbol: 'EURUSD',
      at: '2026-12-25T21:00Z',
    });
    expect(parseOpsArgs(['calendar', 'assign', 'cme-globex', '--like', 'ES%'])).toEqual({
      kind: 'calendar',
      action: 'assign',
      calendar: 'cme-globex',
      match: 'like',
      pattern: 'ES%',
    });
    expect(parseOpsArgs(['calendar', 'install', 'us-equities', '--years', '2026-2028'])).toMatchObject({
      years: [2026, 2028],
    });
    expect(usageErrorOf(['calendar'])).toBe('calendar needs list, install, assign, unassign, check, close or reopen');
    expect(
      parseOpsArgs(['calendar', 'close', 'fx', '2026-12-24', '--early', '13:00', '--note', 'Christmas Eve']),
    ).toEqual({
      kind: 'calendar',
      action: 'close',
      calendar: 'fx',
      date: '2026-12-24',
      earlyClose: '13:00',
      note: 'Christmas Eve',
    });
    expect(usageErrorOf(['calendar', 'close', 'fx', '2026-02-30'])).toBe(
      `not a date: "2026-02-30" (YYYY-MM-DD, the calendar's local day)`,
    );
    expect(usageErrorOf(['calendar', 'close', 'fx', '2026-12-24', '--early', '25:00'])).toBe(
      '--early needs HH:MM, e.g. 13:00 (got "25:00")',
    );
    expect(usageErrorOf(['calendar', 'reopen', 'fx', '2026-12-24', '--note', 'x'])).toBe(
      'unexpected argument: "--note"',
    );
    expect(usageErrorOf(['calendar', 'install', 'lse'])).toBe(
      'unknown template "lse" (one of crypto-24x7, fx, us-equities, cme-globex)',
    );
    expect(usageErrorOf(['calendar', 'install', 'fx', '--years', '2028-2026'])).toBe(
      '--years 2028-2026: between 1990 and 2100, at most 20 years, FROM <= TO',
    );
    expect(usageErrorOf(['calendar', 'check', 'EURUSD', '2026-12-25 21:00'])).toBe(
      'not an instant: "2026-12-25 21:00" (ISO 8601 with Z or an offset, e.g. 2026-12-25T21:00Z)',
    );
    expect(usageErrorOf(['calendar', 'check', 'EURUSD', '2026-13-45T21:00Z'])).toMatch(/^not an instant/);
    expect(usageErrorOf(['calendar', 'assign', 'Bad Cal', 'AAPL'])).toBe(
      'not a calendar name: "Bad Cal" (lower-case letters, digits, - and _)',
    );
    expect(usageErrorOf(['calendar', 'assign', 'fx', '--like', 'EURUSD'])).toBe(
      'pattern "EURUSD" has no % or _: assign it as an exact SYMBOL',
    );
    expect(usageErrorOf(['calendar', 'unassign'])).toBe('missing SYMBOL (or --like PATTERN)');
  });

  it('NYSE closures: holidays from the library and the 13:00 early closes', () => {
    expect(usEquityClosures(2026).map((c) => `${c.date}${c.earlyClose ? ` ${c.earlyClose}` : ''}`)).toEqual([
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-04-03',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03',
      '2026-09-07',
      '2026-11-26',
      '2026-11-27 13:00',
      '2026-12-24 13:00',
      '2026-12-25',
    ]);
    // 2027: Christmas on a Saturday is observed on Friday 24 December (so no early close that day);
    // 3 July is a Saturday; Independence Day observed on Monday 5 July.
    const y2027 = usEquityClosures(2027);
    expect(y2027.find((c) => c.date === '2027-12-24')).toEqual({ date: '2027-12-24', note: 'Christmas Day' });
    expect(y2027.some((c) => c.date === '2027-07-03')).toBe(false);
    expect(y2027.some((c) => c.date === '2027-07-05')).toBe(true);
  });
});

describe('calendar commands', () => {
  const ops = useOpsDatabase(
    `INSERT INTO data_agg_state (canonical_symbol, timeframe) VALUES ('EURUSD', '5m'), ('ESZ6', '5m'), ('ESH7', '1h')`,
  );
  const run = ops.run;

  it('lists templates when nothing is installed', async () => {
    const lines = await run('calendar', 'list');
    expect(lines[0]).toBe('no calendars: every symbol is always open');
    expect(lines.join('\n')).toContain('us-equities  NYSE/Nasdaq regular session');
  });

  it('installs a template with its holidays, idempotently, leaving edited hours alone', async () => {
    expect(await run('calendar', 'install', 'us-equities', '--years', '2026-2027')).toEqual([
      'created calendar us-equities (America/New_York) with 5 weekly session(s)',
      'closed dates 2026-2027: 23 added',
      'next: npm run ops -- calendar assign us-equities SYMBOL   (exact names such as AAPL, MSFT)',
    ]);
    await ops.db.sql(
      `UPDATE market_calendar_sessions SET close_time = '20:00' WHERE calendar = 'us-equities' AND open_dow = 1`,
    );
    await ops.db.sql(
      `UPDATE market_calendar_closures SET note = 'ours' WHERE calendar = 'us-equities' AND closed_on = '2027-01-01'`,
    );
    const again = await run('calendar', 'install', 'us-equities', '--years', '2027-2028');
    expect(again.slice(0, 2)).toEqual([
      'calendar us-equities exists: its weekly hours are left as they are',
      'closed dates 2027-2028: 11 added, 11 already there (left as they were)',
    ]);
    expect(
      await ops.db.one(
        `SELECT close_time::text AS t FROM market_calendar_sessions WHERE calendar = 'us-equities' AND open_dow = 1`,
      ),
    ).toEqual({ t: '20:00:00' });
    expect(
      await ops.db.one(
        `SELECT note FROM market_calendar_closures WHERE calendar = 'us-equities' AND closed_on = '2027-01-01'`,
      ),
    ).toEqual({ note: 'ours' });
    await run('calendar', 'install', 'fx');
    await run('calendar', 'install', 'cme-globex');
  });

  it('assigns by name and pattern, reassigns, and checks what the calendar says', async () => {
    expect(await run('calendar', 'assign', 'fx', 'EURUSD')).toEqual(['EURUSD now follow(s) fx']);
    expect(await run('calendar', 'assign', 'cme-globex', '--like', 'ES%')).toEqual([
      "symbols LIKE 'ES%' now follow(s) cme-globex",
      '2 registered symbol(s) follow this pattern (an exact assignment or a more specific pattern wins)',
    ]);
    expect(await run('calendar', 'assign', 'us-equities', 'ESZ6')).toEqual(['ESZ6 now follow(s) us-equities']);
    expect(await run('calendar', 'assign', 'cme-globex', 'ESZ6')).toEqual([
      'ESZ6 now follow(s) cme-globex (was us-equities)',
    ]);

    expect(await run('calendar', 'check', 'EURUSD', '2026-12-25T21:00Z')).toEqual([
      'EURUSD at 2026-12-25 21:00:00Z: OPEN — calendar fx (America/New_York), assigned by name',
      '  local time: Fri 2026-12-25 16:00 America/New_York',
      '  session: opened 2026-12-20 22:00:00Z, closes 2026-12-25 22:00:00Z (in 60 min)',
    ]);
    expect(await run('calendar', 'check', 'EURUSD', '2026-12-26T12:00+01:00')).toEqual([
      'EURUSD at 2026-12-26 11:00:00Z: CLOSED — calendar fx (America/New_York), assigned by name',
      '  local time: Sat 2026-12-26 06:00 America/New_York',
      '  closed since 2026-12-25 22:00:00Z; opens 2026-12-27 22:00:00Z (in 35 h 0 min)',
    ]);
    const holiday = await run('calendar', 'check', 'AAPL', '2026-12-25T15:00Z');
    expect(holiday[0]).toBe('AAPL at 2026-12-25 15:00:00Z: OPEN — no calendar matches AAPL, so it is always open');
    await run('calendar', 'assign', 'us-equities', 'AAPL');
    expect(await run('calendar', 'check', 'AAPL', '2026-12-25T15:00Z')).toEqual([
      'AAPL at 2026-12-25 15:00:00Z: CLOSED — calendar us-equities (America/New_York), assigned by name',
      '  local time: Fri 2026-12-25 10:00 America/New_York',
      '  closed since 2026-12-24 18:00:00Z; opens 2026-12-28 14:30:00Z (in 2 d 23 h)',
      '  2026-12-25 is a closed date: Christmas Day',
    ]);
    const esz6 = await run('calendar', 'check', 'ESZ6', '2026-01-13T22:30Z');
    expect(esz6[0]).toBe(
      'ESZ6 at 2026-01-13 22:30:00Z: CLOSED — calendar cme-globex (America/Chicago), assigned by name',
    );
    expect(esz6).toContain("  also matches LIKE 'ES%' (cme-globex): less specific, not used");

    const list = (await run('calendar', 'list')).join('\n');
    expect(list).toMatch(
      /us-equities\s+America\/New_York\s+Mon 09:30-20:00; Tue-Fri 09:30-16:00\s+\d+ ahead \(last 2028-12-25\)\s+AAPL/,
    ); // Monday edited above
    expect(list).toMatch(/cme-globex\s+America\/Chicago\s+Sun-Thu 17:00-16:00 next day\s+-\s+ESZ6 LIKE ES%/);
    expect(list).toMatch(/fx\s+America\/New_York\s+Sun 17:00 - Fri 17:00/);
    expect(list).toContain('crypto-24x7'); // still a template
  });

  it('closes a date, changes it to an early close, and reopens it', async () => {
    expect(await run('calendar', 'close', 'fx', '2026-12-25', '--note', 'Christmas')).toEqual([
      'fx: 2026-12-25 is closed all day (local time)',
    ]);
    expect((await run('calendar', 'check', 'EURUSD', '2026-12-25T12:00Z'))[0]).toContain(': CLOSED — calendar fx');
    expect(await run('calendar', 'close', 'fx', '2026-12-25', '--early', '13:00')).toEqual([
      'fx: 2026-12-25 closes early at 13:00 (local time) — was: closed all day',
    ]);
    const early = await run('calendar', 'check', 'EURUSD', '2026-12-25T17:59Z'); // 12:59 in New York
    expect(early[0]).toContain(': OPEN — calendar fx');
    expect(early[2]).toBe('  session: opened 2026-12-20 22:00:00Z, closes 2026-12-25 18:00:00Z (in 1 min)');
    expect(await run('calendar', 'reopen', 'fx', '2026-12-25')).toEqual([
      'fx: 2026-12-25 follows the weekly hours again',
    ]);
    expect(await errorOf(run('calendar', 'reopen', 'fx', '2026-12-25'))).toBe(
      'fx has no closed date 2026-12-25 (see npm run ops -- calendar list)',
    );
    expect(await errorOf(run('calendar', 'close', 'lse', '2026-12-25'))).toBe(
      'no calendar lse (see npm run ops -- calendar list)',
    );
  });

  it('unassigns, and fails clearly for what is not there', async () => {
    expect(await run('calendar', 'unassign', 'ESZ6')).toEqual(['ESZ6 no longer follows cme-globex']);
    expect(await errorOf(run('calendar', 'unassign', 'ESZ6'))).toBe(
      'ESZ6 has no calendar assignment of its own (see npm run ops -- calendar list)',
    );
    expect(await errorOf(run('calendar', 'assign', 'lse', 'VOD'))).toBe(
      'no calendar lse (see npm run ops -- calendar list; install one with calendar install TEMPLATE)',
    );
    await expect(run('calendar', 'unassign', '--like', 'NOPE%')).rejects.toBeInstanceOf(OpsFailure);
  });
});
