import { getHolidays } from 'nyse-holidays';

/**
 * Ready-made market calendars a user starts from (`npm run ops -- calendar install NAME`).
 * Shipped as data, never installed by a migration: whether a symbol follows a calendar is
 * the operator's call. Weekly hours are local wall-clock times in the calendar's zone.
 */

export interface TemplateSession {
  /** 0 = Sunday … 6 = Saturday, as PostgreSQL's extract(dow) */
  openDow: number;
  openTime: string;
  closeDow: number;
  closeTime: string;
}

export interface TemplateClosure {
  date: string;
  /** local HH:MM when the day closes early; absent: closed all day */
  earlyClose?: string;
  note: string;
}

export interface CalendarTemplate {
  name: string;
  timeZone: string;
  description: string;
  sessions: TemplateSession[];
  /** closed dates for one year (none for markets without holidays) */
  closures: (year: number) => TemplateClosure[];
  /** the usual symbols, for the hint printed after install */
  assignHint: string;
}

const weekdays = [1, 2, 3, 4, 5];
const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/**
 * NYSE full-day holidays from the nyse-holidays package (observance rules included: Good
 * Friday, Saturday holidays on Friday except New Year's), and the three regular 13:00 early
 * closes: the day after Thanksgiving, and 3 July and 24 December when they are trading days.
 */
export function usEquityClosures(year: number): TemplateClosure[] {
  const holidays = getHolidays(year).map((h) => ({ date: h.dateString, note: h.name }));
  const closed = new Set(holidays.map((h) => h.date));
  const early: TemplateClosure[] = [];
  const tradingDay = (date: string) => {
    const dow = new Date(`${date}T12:00:00Z`).getUTCDay();
    return dow >= 1 && dow <= 5 && !closed.has(date);
  };
  const thanksgiving = holidays.find((h) => h.note.startsWith('Thanksgiving'));
  if (thanksgiving) {
    const next = new Date(`${thanksgiving.date}T12:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    early.push({ date: isoDate(next), earlyClose: '13:00', note: 'day after Thanksgiving (early close)' });
  }
  for (const [date, note] of [
    [`${year}-07-03`, 'eve of Independence Day (early close)'],
    [`${year}-12-24`, 'Christmas Eve (early close)'],
  ] as const) {
    if (tradingDay(date)) early.push({ date, earlyClose: '13:00', note });
  }
  return [...holidays, ...early].sort((a, b) => (a.date < b.date ? -1 : 1));
}

export const CALENDAR_TEMPLATES: readonly CalendarTemplate[] = [
  {
    name: 'crypto-24x7',
    timeZone: 'UTC',
    description: 'Crypto: trades around the clock (a whole-week session); add closed dates for venue maintenance',
    sessions: [{ openDow: 0, openTime: '00:00', closeDow: 0, closeTime: '00:00' }],
    closures: () => [],
    assignHint: "--like '%USDT' or exact names such as BTCUSD",
  },
  {
    name: 'fx',
    timeZone: 'America/New_York',
    description: 'Spot FX: Sunday 17:00 to Friday 17:00 New York time',
    sessions: [{ openDow: 0, openTime: '17:00', closeDow: 5, closeTime: '17:00' }],
    closures: () => [],
    assignHint: 'exact names such as EURUSD, GBPUSD',
  },
  {
    name: 'us-equities',
    timeZone: 'America/New_York',
    description: 'NYSE/Nasdaq regular session 09:30-16:00 New York time, NYSE holidays and 13:00 early closes',
    sessions: weekdays.map((d) => ({ openDow: d, openTime: '09:30', closeDow: d, closeTime: '16:00' })),
    closures: usEquityClosures,
    assignHint: 'exact names such as AAPL, MSFT',
  },
  {
    name: 'cme-globex',
    timeZone: 'America/Chicago',
    description:
      'CME Globex futures: Sunday-Friday 17:00-16:00 Chicago time, a daily one-hour break; exchange holidays not included',
    sessions: [0, 1, 2, 3, 4].map((d) => ({ openDow: d, openTime: '17:00', closeDow: d + 1, closeTime: '16:00' })),
    closures: () => [],
    assignHint: "--like 'ES%' or exact names such as CLZ6",
  },
];

export function findTemplate(name: string): CalendarTemplate | undefined {
  return CALENDAR_TEMPLATES.find((template) => template.name === name);
}
