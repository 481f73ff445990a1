import type pg from 'pg';
import { target } from './calendar-commands';
import { UsageError } from './errors';
import { opsActor } from './policy-commands';
import { formatTable, formatTime } from './table';
import { TIMEFRAME_SYNTAX } from '../shared/pair-key';

/** `npm run ops -- maintenance …`: maintenance windows (sql/018, docs/MAINTENANCE.md). */
export type MaintenanceCommand =
  | { kind: 'maintenance'; action: 'list'; all: boolean }
  | { kind: 'maintenance'; action: 'end'; id: number }
  | {
      kind: 'maintenance';
      action: 'add';
      match: 'exact' | 'like';
      pattern: string;
      timeframe: string | null;
      from: string | null;
      until: string | null;
      hours: number | null;
      reason: string;
    };

export const MAINTENANCE_USAGE = `
  maintenance add SYMBOL | --like PATTERN [--timeframe TF] --hours N | --until INSTANT
                  [--from INSTANT] --reason TEXT
                                 a planned outage: problems of the pairs it covers are
                                 MAINTENANCE (no alert, no incident) until it ends
  maintenance list [--all]       windows not ended (--all: every window)
  maintenance end ID             end a window now`;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;

function instantArg(flag: string, value: string | undefined): string {
  if (!value || !INSTANT.test(value) || Number.isNaN(Date.parse(value)))
    throw new UsageError(
      `${flag} needs an instant: ISO 8601 with Z or an offset, e.g. 2026-12-25T21:00Z (got ${JSON.stringify(value ?? '')})`,
    );
  return new Date(value).toISOString();
}

function parseAdd(args: string[]): MaintenanceCommand {
  let timeframe: string | null = null;
  let from: string | null = null;
  let until: string | null = null;
  let hours: number | null = null;
  let reason = '';
  const what: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--timeframe') {
      const value = args[++i];
      if (!value || !TIMEFRAME_SYNTAX.test(value))
        throw new UsageError(`not a timeframe: ${JSON.stringify(value ?? '')}`);
      timeframe = value;
    } else if (arg === '--from') from = instantArg(arg, args[++i]);
    else if (arg === '--until') until = instantArg(arg, args[++i]);
    else if (arg === '--hours') {
      const value = args[++i];
      hours = Number(value);
      if (value === undefined || !(hours > 0) || hours > 24 * 31)
        throw new UsageError(
          `--hours needs a number of hours, more than 0 and at most 744 (got ${JSON.stringify(value ?? '')})`,
        );
    } else if (arg === '--reason') {
      reason = (args[++i] ?? '').trim();
      if (!reason) throw new UsageError('--reason needs a text (why the feed will be down)');
    } else if (arg === '--like') what.push(arg, ...(args[i + 1] === undefined ? [] : [args[++i]!]));
    else if (arg.startsWith('--')) throw new UsageError(`unknown option: ${JSON.stringify(arg)}`);
    else what.push(arg);
  }
  if ((hours === null) === (until === null)) throw new UsageError('give one of --hours N and --until INSTANT');
  if (!reason) throw new UsageError('missing --reason TEXT (why the feed will be down)');
  return { kind: 'maintenance', action: 'add', ...target(what), timeframe, from, until, hours, reason };
}

export function parseMaintenanceArgs(args: string[]): MaintenanceCommand {
  const [action, ...rest] = args;
  switch (action) {
    case 'add':
      return parseAdd(rest);
    case 'list':
      if (rest.length > 1 || (rest[0] !== undefined && rest[0] !== '--all'))
        throw new UsageError(`unexpected argument: ${JSON.stringify(rest[rest[0] === '--all' ? 1 : 0])}`);
      return { kind: 'maintenance', action, all: rest[0] === '--all' };
    case 'end': {
      const [id, ...more] = rest;
      if (more.length > 0) throw new UsageError(`unexpected argument: ${JSON.stringify(more[0])}`);
      if (!id || !/^[1-9]\d{0,15}$/.test(id)) throw new UsageError(`not a window id: ${JSON.stringify(id ?? '')}`);
      return { kind: 'maintenance', action, id: Number(id) };
    }
    case undefined:
      throw new UsageError('maintenance needs add, list or end');
    default:
      throw new UsageError(`unknown maintenance command: ${JSON.stringify(action)}`);
  }
}

interface StoredWindow {
  id: number;
  starts_at: string;
  ends_at: string;
  ended_at: string | null;
}

const when = (value: string) => formatTime(new Date(value));

export async function runMaintenanceCommand(client: pg.ClientBase, command: MaintenanceCommand): Promise<string[]> {
  switch (command.action) {
    case 'add': {
      const start = command.from ?? null;
      const end =
        command.until ??
        new Date(Date.parse(start ?? new Date().toISOString()) + command.hours! * 3_600_000).toISOString();
      const { rows } = await client.query<{ r: StoredWindow }>(
        'SELECT maintenance_add($1, $2, $3, $4, $5, $6, $7, $8, $9) AS r',
        [opsActor(), 'admin', 'ops', command.match, command.pattern, command.timeframe, start, end, command.reason],
      );
      const w = rows[0]!.r;
      const covers = `${command.match === 'like' ? `symbols like '${command.pattern}'` : command.pattern}, ${command.timeframe ?? 'every timeframe'}`;
      const pairs = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM v_pair_maintenance WHERE window_id = $1',
        [w.id],
      );
      return [
        `maintenance window ${w.id}: ${covers}, from ${when(w.starts_at)} to ${when(w.ends_at)}`,
        `${pairs.rows[0]!.n} registered pair(s) in it now; end it early with: npm run ops -- maintenance end ${w.id}`,
      ];
    }
    case 'end': {
      const { rows } = await client.query<{ r: StoredWindow }>('SELECT maintenance_end($1, $2, $3, $4) AS r', [
        opsActor(),
        'admin',
        'ops',
        command.id,
      ]);
      return [`maintenance window ${command.id} ended at ${when(rows[0]!.r.ended_at!)}`];
    }
    case 'list': {
      const { rows } = await client.query<Record<string, unknown>>(
        `SELECT w.id, w.match, w.pattern, coalesce(w.timeframe, 'all') AS timeframe, w.starts_at, w.ends_at,
                CASE WHEN w.ended_at IS NOT NULL OR w.ends_at <= now() THEN 'ended'
                     WHEN w.starts_at > now() THEN 'upcoming' ELSE 'active' END AS status,
                (SELECT count(*) FROM v_pair_maintenance p WHERE p.window_id = w.id)::int AS pairs,
                w.created_by, w.reason
           FROM maintenance_windows w
          ${command.all ? '' : 'WHERE w.ended_at IS NULL AND w.ends_at > now()'}
          ORDER BY w.starts_at DESC, w.id DESC`,
      );
      if (rows.length === 0)
        return [command.all ? 'no maintenance windows' : 'no maintenance window is active or planned'];
      return formatTable(rows, [
        ['id', 'id'],
        ['match', 'match'],
        ['pattern', 'symbol/pattern'],
        ['timeframe', 'tf'],
        ['starts_at', 'starts'],
        ['ends_at', 'ends'],
        ['status', 'status'],
        ['pairs', 'pairs now'],
        ['created_by', 'by'],
        ['reason', 'reason'],
      ]);
    }
  }
}
