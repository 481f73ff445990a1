import type pg from 'pg';
import { CALENDAR_TEMPLATES, findTemplate } from './calendar-templates';
import { OpsFailure, UsageError } from './errors';
import { checkSymbol, listCalendars } from './calendar-report';

/** `npm run ops -- calendar …`: market calendars (sql/009, docs/SESSIONS.md). */
export type CalendarCommand =
  | { kind: 'calendar'; action: 'list' }
  | { kind: 'calendar'; action: 'install'; template: string; years: [number, number] }
  | { kind: 'calendar'; action: 'assign'; calendar: string; match: 'exact' | 'like'; pattern: string }
  | { kind: 'calendar'; action: 'unassign'; match: 'exact' | 'like'; pattern: string }
  | { kind: 'calendar'; action: 'check'; symbol: string; at: string | null }
  | { kind: 'calendar'; action: 'close'; calendar: string; date: string; earlyClose: string | null; note: string }
  | { kind: 'calendar'; action: 'reopen'; calendar: string; date: string };

export const CALENDAR_USAGE = `
  calendar list                  calendars, their hours, closed dates and symbols; templates
  calendar install TEMPLATE [--years 2026-2028]
                                 create a ready-made calendar (${CALENDAR_TEMPLATES.map((t) => t.name).join(', ')})
                                 and its holidays for those years (default: this year and next)
  calendar assign CALENDAR SYMBOL | --like PATTERN
                                 make a symbol (or a LIKE pattern such as 'ES%') follow a calendar
  calendar unassign SYMBOL | --like PATTERN
  calendar check SYMBOL [INSTANT]
                                 what the calendar says at INSTANT (ISO with Z or an offset,
                                 e.g. 2026-12-25T21:00Z; default now)
  calendar close CALENDAR YYYY-MM-DD [--early HH:MM] [--note TEXT]
                                 a closed date (local day), or an early close at HH:MM
  calendar reopen CALENDAR YYYY-MM-DD
                                 remove a closed date`;

const CALENDAR = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,31}$/;
const PATTERN = /^[A-Za-z0-9._:/%-]{1,64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function target(args: string[]): { match: 'exact' | 'like'; pattern: string } {
  const [first, second, ...more] = args;
  if (more.length > 0 || (first !== '--like' && second !== undefined))
    throw new UsageError(`unexpected argument: ${JSON.stringify(more[0] ?? second)}`);
  if (first === '--like') {
    if (!second || !PATTERN.test(second))
      throw new UsageError(`not a LIKE pattern: ${JSON.stringify(second ?? '')} (letters, digits, . _ : / - and %)`);
    if (!/[%_]/.test(second))
      throw new UsageError(`pattern ${JSON.stringify(second)} has no % or _: assign it as an exact SYMBOL`);
    return { match: 'like', pattern: second };
  }
  if (!first) throw new UsageError('missing SYMBOL (or --like PATTERN)');
  if (!SYMBOL.test(first)) throw new UsageError(`not a symbol: ${JSON.stringify(first)}`);
  return { match: 'exact', pattern: first };
}

function calendarArg(value: string | undefined): string {
  if (!value) throw new UsageError('missing CALENDAR');
  if (!CALENDAR.test(value))
    throw new UsageError(`not a calendar name: ${JSON.stringify(value)} (lower-case letters, digits, - and _)`);
  return value;
}

function yearsArg(value: string | undefined): [number, number] {
  const match = /^(\d{4})(?:-(\d{4}))?$/.exec(value ?? '');
  if (!match)
    throw new UsageError(`--years needs YEAR or FROM-TO, e.g. 2026-2028 (got ${JSON.stringify(value ?? '')})`);
  const from = Number(match[1]);
  const to = Number(match[2] ?? match[1]);
  if (from < 1990 || to > 2100 || to < from || to - from > 20)
    throw new UsageError(`--years ${value}: between 1990 and 2100, at most 20 years, FROM <= TO`);
  return [from, to];
}

export function parseCalendarArgs(args: string[], now: Date = new Date()): CalendarCommand {
  const [action, ...rest] = args;
  switch (action) {
    case 'list':
      if (rest.length > 0) throw new UsageError(`unexpected argument: ${JSON.stringify(rest[0])}`);
      return { kind: 'calendar', action };
    case 'install': {
      const [template, flag, years, ...more] = rest;
      if (!template)
        throw new UsageError(`missing TEMPLATE (one of ${CALENDAR_TEMPLATES.map((t) => t.name).join(', ')})`);
      if (!findTemplate(template))
        throw new UsageError(
          `unknown template ${JSON.stringify(template)} (one of ${CALENDAR_TEMPLATES.map((t) => t.name).join(', ')})`,
        );
      if (more.length > 0 || (flag !== undefined && flag !== '--years'))
        throw new UsageError(`unexpected argument: ${JSON.stringify(more[0] ?? flag)}`);
      const year = now.getUTCFullYear();
      return { kind: 'calendar', action, template, years: flag ? yearsArg(years) : [year, year + 1] };
    }
    case 'assign': {
      const [calendar, ...what] = rest;
      return { kind: 'calendar', action, calendar: calendarArg(calendar), ...target(what) };
    }
    case 'unassign':
      return { kind: 'calendar', action, ...target(rest) };
    case 'check': {
      const [symbol, at, ...more] = rest;
      if (more.length > 0) throw new UsageError(`unexpected argument: ${JSON.stringify(more[0])}`);
      if (!symbol || !SYMBOL.test(symbol))
        throw new UsageError(symbol ? `not a symbol: ${JSON.stringify(symbol)}` : 'missing SYMBOL');
      if (at !== undefined && (!INSTANT.test(at) || Number.isNaN(Date.parse(at)))) {
        throw new UsageError(
          `not an instant: ${JSON.stringify(at)} (ISO 8601 with Z or an offset, e.g. 2026-12-25T21:00Z)`,
        );
      }
      return { kind: 'calendar', action, symbol, at: at ?? null };
    }
    case 'close':
    case 'reopen': {
      const [calendar, date, ...flags] = rest;
      const name = calendarArg(calendar);
      if (
        !date ||
        !DATE.test(date) ||
        Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
        new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
      ) {
        throw new UsageError(`not a date: ${JSON.stringify(date ?? '')} (YYYY-MM-DD, the calendar's local day)`);
      }
      if (action === 'reopen') {
        if (flags.length > 0) throw new UsageError(`unexpected argument: ${JSON.stringify(flags[0])}`);
        return { kind: 'calendar', action, calendar: name, date };
      }
      let earlyClose: string | null = null;
      let note = '';
      for (let i = 0; i < flags.length; i += 2) {
        const [flag, value] = [flags[i], flags[i + 1]];
        if (flag === '--early' && value !== undefined && TIME.test(value)) earlyClose = value;
        else if (flag === '--note' && value !== undefined) note = value;
        else if (flag === '--early')
          throw new UsageError(`--early needs HH:MM, e.g. 13:00 (got ${JSON.stringify(value ?? '')})`);
        else if (flag === '--note') throw new UsageError('--note needs a text');
        else throw new UsageError(`unexpected argument: ${JSON.stringify(flag)}`);
      }
      return { kind: 'calendar', action, calendar: name, date, earlyClose, note };
    }
    case undefined:
      throw new UsageError('calendar needs list, install, assign, unassign, check, close or reopen');
    default:
      throw new UsageError(`unknown calendar command: ${JSON.stringify(action)}`);
  }
}

export async function runCalendarCommand(client: pg.ClientBase, command: CalendarCommand): Promise<string[]> {
  switch (command.action) {
    case 'list':
      return listCalendars(client);
    case 'install':
      return install(client, command.template, command.years);
    case 'assign':
      return assign(client, command.calendar, command.match, command.pattern);
    case 'unassign':
      return unassign(client, command.match, command.pattern);
    case 'check':
      return checkSymbol(client, command.symbol, command.at);
    case 'close':
      return closeDate(client, command.calendar, command.date, command.earlyClose, command.note);
    case 'reopen':
      return reopenDate(client, command.calendar, command.date);
  }
}

async function install(client: pg.ClientBase, name: string, [from, to]: [number, number]): Promise<string[]> {
  const template = findTemplate(name)!;
  const lines: string[] = [];
  await client.query('BEGIN');
  try {
    const created = await client.query(
      `INSERT INTO market_calendars (calendar, time_zone, description) VALUES ($1, $2, $3) ON CONFLICT (calendar) DO NOTHING`,
      [template.name, template.timeZone, template.description],
    );
    if (created.rowCount === 1) {
      for (const s of template.sessions) {
        await client.query('INSERT INTO market_calendar_sessions VALUES ($1, $2, $3, $4, $5)', [
          template.name,
          s.openDow,
          s.openTime,
          s.closeDow,
          s.closeTime,
        ]);
      }
      lines.push(
        `created calendar ${template.name} (${template.timeZone}) with ${template.sessions.length} weekly session(s)`,
      );
    } else {
      // An existing calendar may have been edited by its operator: its hours are left alone.
      lines.push(`calendar ${template.name} exists: its weekly hours are left as they are`);
    }
    let added = 0;
    let kept = 0;
    for (let year = from; year <= to; year += 1) {
      for (const c of template.closures(year)) {
        const result = await client.query(
          `INSERT INTO market_calendar_closures (calendar, closed_on, early_close, note) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
          [template.name, c.date, c.earlyClose ?? null, c.note],
        );
        if (result.rowCount === 1) added += 1;
        else kept += 1;
      }
    }
    await client.query('COMMIT');
    lines.push(
      template.closures(from).length === 0
        ? `no closed dates in this template (add your venue's with SQL: INSERT INTO market_calendar_closures …)`
        : `closed dates ${from}-${to}: ${added} added${kept ? `, ${kept} already there (left as they were)` : ''}`,
      `next: npm run ops -- calendar assign ${template.name} SYMBOL   (${template.assignHint})`,
    );
    return lines;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

async function assign(
  client: pg.ClientBase,
  calendar: string,
  match: 'exact' | 'like',
  pattern: string,
): Promise<string[]> {
  const known = await client.query('SELECT 1 FROM market_calendars WHERE calendar = $1', [calendar]);
  if (known.rowCount === 0) {
    throw new OpsFailure(
      `no calendar ${calendar} (see npm run ops -- calendar list; install one with calendar install TEMPLATE)`,
    );
  }
  const result = await client.query<{ previous: string | null }>(
    `WITH previous AS (SELECT calendar FROM market_calendar_assignments WHERE match = $1 AND pattern = $2)
     INSERT INTO market_calendar_assignments (match, pattern, calendar) VALUES ($1, $2, $3)
     ON CONFLICT (match, pattern) DO UPDATE SET calendar = EXCLUDED.calendar, assigned_at_utc = now()
     RETURNING (SELECT calendar FROM previous) AS previous`,
    [match, pattern, calendar],
  );
  const previous = result.rows[0]?.previous ?? null;
  const what = match === 'exact' ? pattern : `symbols LIKE '${pattern}'`;
  const lines = [
    previous === null
      ? `${what} now follow(s) ${calendar}`
      : previous === calendar
        ? `${what} already followed ${calendar}`
        : `${what} now follow(s) ${calendar} (was ${previous})`,
  ];
  if (match === 'like') {
    const count = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM v_symbol_market_session WHERE matched_by = $1 AND pattern = $2',
      [match, pattern],
    );
    lines.push(
      `${count.rows[0]?.n ?? 0} registered symbol(s) follow this pattern (an exact assignment or a more specific pattern wins)`,
    );
  }
  return lines;
}

async function unassign(client: pg.ClientBase, match: 'exact' | 'like', pattern: string): Promise<string[]> {
  const result = await client.query<{ calendar: string }>(
    'DELETE FROM market_calendar_assignments WHERE match = $1 AND pattern = $2 RETURNING calendar',
    [match, pattern],
  );
  const what = match === 'exact' ? pattern : `pattern '${pattern}'`;
  if (result.rowCount === 0)
    throw new OpsFailure(`${what} has no calendar assignment of its own (see npm run ops -- calendar list)`);
  return [`${what} no longer follows ${result.rows[0]!.calendar}`];
}

async function closeDate(
  client: pg.ClientBase,
  calendar: string,
  date: string,
  earlyClose: string | null,
  note: string,
): Promise<string[]> {
  const known = await client.query('SELECT 1 FROM market_calendars WHERE calendar = $1', [calendar]);
  if (known.rowCount === 0) throw new OpsFailure(`no calendar ${calendar} (see npm run ops -- calendar list)`);
  const result = await client.query<{ previous: string | null }>(
    `WITH previous AS (SELECT coalesce('early close ' || to_char(early_close, 'HH24:MI'), 'closed all day') AS what
                         FROM market_calendar_closures WHERE calendar = $1 AND closed_on = $2)
     INSERT INTO market_calendar_closures (calendar, closed_on, early_close, note) VALUES ($1, $2, $3, $4)
     ON CONFLICT (calendar, closed_on) DO UPDATE SET early_close = EXCLUDED.early_close, note = EXCLUDED.note
     RETURNING (SELECT what FROM previous) AS previous`,
    [calendar, date, earlyClose, note],
  );
  const what = earlyClose ? `closes early at ${earlyClose}` : 'is closed all day';
  const previous = result.rows[0]?.previous;
  return [`${calendar}: ${date} ${what} (local time)${previous ? ` — was: ${previous}` : ''}`];
}

async function reopenDate(client: pg.ClientBase, calendar: string, date: string): Promise<string[]> {
  const result = await client.query('DELETE FROM market_calendar_closures WHERE calendar = $1 AND closed_on = $2', [
    calendar,
    date,
  ]);
  if (result.rowCount === 0)
    throw new OpsFailure(`${calendar} has no closed date ${date} (see npm run ops -- calendar list)`);
  return [`${calendar}: ${date} follows the weekly hours again`];
}
