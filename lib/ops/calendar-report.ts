import type pg from 'pg';
import { CALENDAR_TEMPLATES } from './calendar-templates';
import { OpsFailure } from './errors';
import { formatTable, formatTime } from './table';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

interface SessionRow {
  open_dow: number;
  open_time: string;
  close_dow: number;
  close_time: string;
}

/** "Mon,Tue,Wed,Thu,Fri 09:30-16:00", "Sun-Thu 17:00-16:00 next day", "Sun 17:00 - Fri 17:00". */
export function describeSessions(sessions: SessionRow[]): string {
  const hhmm = (time: string) => time.slice(0, 5);
  const groups = new Map<string, number[]>();
  for (const s of sessions) {
    const days = (s.close_dow - s.open_dow + 7) % 7 || (s.close_time <= s.open_time ? 7 : 0);
    const key =
      days === 0
        ? `${hhmm(s.open_time)}-${hhmm(s.close_time)}`
        : days === 1
          ? `${hhmm(s.open_time)}-${hhmm(s.close_time)} next day`
          : days === 7 && s.open_time === s.close_time
            ? 'around the clock'
            : `${hhmm(s.open_time)} - ${DAYS[s.close_dow]} ${hhmm(s.close_time)}`;
    groups.set(key, [...(groups.get(key) ?? []), s.open_dow]);
  }
  if (groups.size === 0) return '(no weekly hours: always closed)';
  return [...groups].map(([hours, days]) => `${dayList(days)} ${hours}`).join('; ');
}

/** "daily", "Mon-Fri", "Sun-Thu", "Mon,Wed": runs of three or more days as a range. */
function dayList(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return 'daily';
  const runs: number[][] = [];
  for (const day of sorted) {
    const last = runs.at(-1);
    if (last && last.at(-1) === day - 1) last.push(day);
    else runs.push([day]);
  }
  return runs
    .map((run) => (run.length >= 3 ? `${DAYS[run[0]!]}-${DAYS[run.at(-1)!]}` : run.map((d) => DAYS[d]).join(',')))
    .join(',');
}

export async function listCalendars(client: pg.ClientBase): Promise<string[]> {
  const calendars = await client.query<{
    calendar: string;
    time_zone: string;
    sessions: SessionRow[];
    upcoming: number;
    next_closed: string | null;
    symbols: string | null;
  }>(
    `SELECT c.calendar, c.time_zone,
            coalesce((SELECT json_agg(s ORDER BY s.open_dow, s.open_time) FROM market_calendar_sessions s WHERE s.calendar = c.calendar), '[]') AS sessions,
            (SELECT count(*)::int FROM market_calendar_closures x WHERE x.calendar = c.calendar AND x.closed_on >= current_date) AS upcoming,
            (SELECT max(x.closed_on)::text FROM market_calendar_closures x WHERE x.calendar = c.calendar) AS next_closed,
            (SELECT string_agg(CASE a.match WHEN 'like' THEN 'LIKE ' || a.pattern ELSE a.pattern END, ' ' ORDER BY a.match, a.pattern)
               FROM market_calendar_assignments a WHERE a.calendar = c.calendar) AS symbols
       FROM market_calendars c ORDER BY c.calendar`,
  );
  const installed = new Set(calendars.rows.map((row) => row.calendar));
  const lines =
    calendars.rows.length === 0
      ? ['no calendars: every symbol is always open']
      : formatTable(
          calendars.rows.map((row) => ({
            ...row,
            hours: describeSessions(row.sessions),
            closed: row.upcoming === 0 ? '-' : `${row.upcoming} ahead (last ${row.next_closed})`,
            symbols: row.symbols ?? '(none assigned)',
          })),
          [
            ['calendar', 'calendar'],
            ['time_zone', 'zone'],
            ['hours', 'weekly hours (local)'],
            ['closed', 'closed dates'],
            ['symbols', 'symbols'],
          ],
        );
  const templates = CALENDAR_TEMPLATES.filter((t) => !installed.has(t.name));
  if (templates.length > 0) {
    lines.push('', 'templates (npm run ops -- calendar install NAME [--years 2026-2028]):');
    for (const t of templates) lines.push(`  ${t.name.padEnd(12)} ${t.description}`);
  }
  return lines;
}

interface CheckRow {
  at: Date;
  calendar: string | null;
  time_zone: string | null;
  matched_by: string | null;
  pattern: string | null;
  is_open: boolean;
  opened_at_utc: Date | null;
  closes_at_utc: Date | null;
  next_opens_at_utc: Date | null;
  last_closed_at_utc: Date | null;
  local_at: string | null;
}

const span = (from: Date, to: Date) => {
  const minutes = Math.floor((to.getTime() - from.getTime()) / 60_000);
  return minutes < 120
    ? `${minutes} min`
    : minutes < 2880
      ? `${Math.floor(minutes / 60)} h ${minutes % 60} min`
      : `${Math.floor(minutes / 1440)} d ${Math.floor((minutes % 1440) / 60)} h`;
};

export async function checkSymbol(client: pg.ClientBase, symbol: string, at: string | null): Promise<string[]> {
  const result = await client.query<CheckRow>(
    `SELECT t.at, m.*, to_char(t.at AT TIME ZONE m.time_zone, 'Dy YYYY-MM-DD HH24:MI') AS local_at
       FROM (SELECT coalesce($2::timestamptz, now()) AS at) t, market_session_at($1, t.at) m`,
    [symbol, at],
  );
  const row = result.rows[0];
  if (!row) throw new OpsFailure(`no answer from market_session_at for ${symbol}`);
  const when = formatTime(row.at);
  if (row.calendar === null) {
    return [
      `${symbol} at ${when}: OPEN — no calendar matches ${symbol}, so it is always open`,
      `  give it one: npm run ops -- calendar assign CALENDAR ${symbol}`,
    ];
  }
  const how = row.matched_by === 'exact' ? 'assigned by name' : `matched by LIKE '${row.pattern}'`;
  const lines = [
    `${symbol} at ${when}: ${row.is_open ? 'OPEN' : 'CLOSED'} — calendar ${row.calendar} (${row.time_zone}), ${how}`,
    `  local time: ${row.local_at} ${row.time_zone}`,
  ];
  if (row.is_open) {
    lines.push(
      `  session: ${row.opened_at_utc ? `opened ${formatTime(row.opened_at_utc)}` : 'open for more than 7 days'}, ${
        row.closes_at_utc
          ? `closes ${formatTime(row.closes_at_utc)} (in ${span(row.at, row.closes_at_utc)})`
          : 'no close within 4 weeks'
      }`,
    );
  } else {
    lines.push(
      `  closed${row.last_closed_at_utc ? ` since ${formatTime(row.last_closed_at_utc)}` : ''}; ${
        row.next_opens_at_utc
          ? `opens ${formatTime(row.next_opens_at_utc)} (in ${span(row.at, row.next_opens_at_utc)})`
          : 'no session within 5 weeks'
      }`,
    );
  }
  const holiday = await client.query<{ closed_on: string; early_close: string | null; note: string }>(
    `SELECT closed_on::text, early_close::text, note FROM market_calendar_closures
      WHERE calendar = $1 AND closed_on = ($2::timestamptz AT TIME ZONE $3)::date`,
    [row.calendar, row.at, row.time_zone],
  );
  for (const h of holiday.rows)
    lines.push(
      `  ${h.closed_on} is a closed date${h.early_close ? ` from ${h.early_close.slice(0, 5)}` : ''}: ${h.note || '(no note)'}`,
    );
  const others = await client.query<{ match: string; pattern: string; calendar: string }>(
    `SELECT match, pattern, calendar FROM market_calendar_assignments
      WHERE ((match = 'exact' AND pattern = $1) OR (match = 'like' AND $1 LIKE pattern)) AND NOT (match = $2 AND pattern = $3)
      ORDER BY match, pattern`,
    [symbol, row.matched_by, row.pattern],
  );
  for (const o of others.rows)
    lines.push(
      `  also matches ${o.match === 'like' ? `LIKE '${o.pattern}'` : o.pattern} (${o.calendar}): less specific, not used`,
    );
  return lines;
}
