import type pg from 'pg';
import { CALENDAR_USAGE, parseCalendarArgs, runCalendarCommand, type CalendarCommand } from './calendar-commands';
import { OpsFailure, UsageError } from './errors';
import { formatTable, formatTime } from './table';
import { symbolProblem, TIMEFRAME_SYNTAX } from '../shared/pair-key';
import { AUDIT_USAGE, AuditUsageError, parseAuditArgs, runAudit, type AuditCommand } from './audit';
import { parseRetryArgs, retryPairs, type RetryCommand } from './retry';
import { parseTokenArgs, runTokenCommand, TOKEN_USAGE, type TokenCommand } from './token-commands';
import { opsAuditRow, recordOpsAction } from './record';
import { OWNER_USAGE, parseOwnerArgs, runOwnerCommand, type OwnerCommand } from './owner-commands';
import { parsePolicyArgs, POLICY_USAGE, runPolicyCommand, type PolicyCommand } from './policy-commands';
import {
  MAINTENANCE_USAGE,
  parseMaintenanceArgs,
  runMaintenanceCommand,
  type MaintenanceCommand,
} from './maintenance-commands';

/** The operator commands of `npm run ops -- <command>`; parsing is separate so that it needs no database. */
export type OpsCommand =
  | { kind: 'register'; symbol: string; timeframes: string[] | 'all' }
  | { kind: 'health'; symbol: string }
  | { kind: 'reset'; dryRun: boolean; pair?: { symbol: string; timeframe: string } }
  | { kind: 'enable' | 'disable'; symbol: string; timeframes: string[] | 'all' }
  | AuditCommand
  | CalendarCommand
  | PolicyCommand
  | OwnerCommand
  | MaintenanceCommand
  | RetryCommand
  | TokenCommand;

export const USAGE = `usage: npm run ops -- <command>

  register SYMBOL TF[,TF…]|all   register the pair(s) and bootstrap the cursor
                                 (the window before the symbol's first source bar)
  health SYMBOL                  the monitoring view's rows for the symbol
  reset --dry-run [SYMBOL TF]    which NULL/AHEAD cursors a reset would move; writes nothing
  reset --apply [SYMBOL TF]      move them, print rows and notices: with SYMBOL TF only that
                                 pair's cursor (reset_aggregation_cursor); without, every NULL
                                 and AHEAD cursor in the database (reset_aggregation_cursors)
  enable SYMBOL TF[,TF…]|all     let the worker run the pair(s) again
  disable SYMBOL TF[,TF…]|all    stop the worker running the pair(s)${CALENDAR_USAGE}
${AUDIT_USAGE}${POLICY_USAGE}${OWNER_USAGE}${MAINTENANCE_USAGE}
  retry [--symbol S] [--timeframe TF]
                                 clear the retry backoff of failing pair(s): the next pass runs them${TOKEN_USAGE}

timeframes: 5m 15m 30m 1h 4h 1d. Database: DATABASE_URL, else the embedded one under .data/.`;

function symbolArg(value: string | undefined): string {
  if (!value) throw new UsageError('missing SYMBOL');
  const problem = symbolProblem(value);
  if (problem) throw new UsageError(`not a symbol: ${JSON.stringify(value)} (${problem})`);
  return value;
}

function timeframesArg(value: string | undefined): string[] | 'all' {
  if (!value) throw new UsageError('missing TF (a timeframe such as 5m, a comma-separated list, or all)');
  if (value === 'all') return 'all';
  const list = value
    .split(',')
    .map((tf) => tf.trim())
    .filter(Boolean);
  const bad = list.filter((tf) => !TIMEFRAME_SYNTAX.test(tf));
  if (list.length === 0 || bad.length > 0) throw new UsageError(`not a timeframe: ${JSON.stringify(bad[0] ?? value)}`);
  return list;
}

function noMore(rest: string[]): void {
  if (rest.length > 0) throw new UsageError(`unexpected argument: ${JSON.stringify(rest[0])}`);
}

export function parseOpsArgs(argv: string[]): OpsCommand {
  const [name, ...rest] = argv;
  switch (name) {
    case 'register':
    case 'enable':
    case 'disable': {
      const [symbol, tfs, ...more] = rest;
      noMore(more);
      return { kind: name, symbol: symbolArg(symbol), timeframes: timeframesArg(tfs) };
    }
    case 'health': {
      const [symbol, ...more] = rest;
      noMore(more);
      return { kind: 'health', symbol: symbolArg(symbol) };
    }
    case 'reset': {
      const [mode, symbol, timeframe, ...more] = rest;
      if (mode !== '--dry-run' && mode !== '--apply')
        throw new UsageError('reset needs --dry-run (look) or --apply (do it)');
      noMore(more);
      const dryRun = mode === '--dry-run';
      if (symbol === undefined) return { kind: 'reset', dryRun };
      if (timeframe === undefined)
        throw new UsageError('reset SYMBOL needs its TF too (one pair: reset --dry-run SYMBOL TF)');
      const timeframes = timeframesArg(timeframe);
      if (timeframes === 'all' || timeframes.length !== 1)
        throw new UsageError(`reset takes one pair: one timeframe, not ${JSON.stringify(timeframe)}`);
      return { kind: 'reset', dryRun, pair: { symbol: symbolArg(symbol), timeframe: timeframes[0]! } };
    }
    case 'audit':
      try {
        return parseAuditArgs(rest, symbolArg, (tf) => {
          if (!tf || !TIMEFRAME_SYNTAX.test(tf)) throw new UsageError(`not a timeframe: ${JSON.stringify(tf ?? '')}`);
          return tf;
        });
      } catch (error) {
        throw error instanceof AuditUsageError ? new UsageError(error.message) : error;
      }
    case 'calendar':
      return parseCalendarArgs(rest);
    case 'policy':
      return parsePolicyArgs(rest);
    case 'owner':
      return parseOwnerArgs(rest);
    case 'maintenance':
      return parseMaintenanceArgs(rest);
    case 'retry':
      return parseRetryArgs(rest);
    case 'token':
      return parseTokenArgs(rest);
    case undefined:
      throw new UsageError('missing command');
    default:
      throw new UsageError(`unknown command: ${JSON.stringify(name)}`);
  }
}

async function resolveTimeframes(client: pg.ClientBase, timeframes: string[] | 'all'): Promise<string[]> {
  const known = (
    await client.query<{ timeframe: string }>('SELECT timeframe FROM agg_timeframes ORDER BY step')
  ).rows.map((r) => r.timeframe);
  if (timeframes === 'all') return known;
  const unknown = timeframes.filter((tf) => !known.includes(tf));
  if (unknown.length > 0) throw new OpsFailure(`unknown timeframe ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return timeframes;
}

/**
 * Runs one command; returns the lines to print. Throws OpsFailure when it did nothing useful.
 * A command that writes leaves its row in the audit log, failed or not (lib/ops/record.ts).
 */
export async function runOpsCommand(
  client: pg.ClientBase,
  command: OpsCommand,
  progress: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<string[]> {
  const row = opsAuditRow(command);
  if (!row) return runCommand(client, command, progress);
  let lines: string[];
  try {
    lines = await runCommand(client, command, progress);
  } catch (error) {
    // The command's own error is the one to show, even when the row cannot be written too.
    await recordOpsAction(client, row, { lines: [], error }).catch(() => {});
    throw error;
  }
  await recordOpsAction(client, row, { lines });
  return lines;
}

async function runCommand(
  client: pg.ClientBase,
  command: OpsCommand,
  progress: (line: string) => void,
): Promise<string[]> {
  switch (command.kind) {
    case 'audit': {
      const outcome = await runAudit(client, command, progress);
      if (outcome.exitCode === 0) return outcome.lines;
      throw new OpsFailure(outcome.lines.at(-1) ?? 'audit failed', outcome.exitCode, outcome.lines.slice(0, -1));
    }
    case 'register':
      return register(client, command.symbol, command.timeframes);
    case 'health':
      return health(client, command.symbol);
    case 'reset':
      return reset(client, command.dryRun, command.pair);
    case 'enable':
    case 'disable':
      return setEnabled(client, command.symbol, command.timeframes, command.kind === 'enable');
    case 'calendar':
      return runCalendarCommand(client, command);
    case 'policy':
      return runPolicyCommand(client, command);
    case 'owner':
      return runOwnerCommand(client, command);
    case 'maintenance':
      return runMaintenanceCommand(client, command);
    case 'retry':
      return retryPairs(client, command);
    case 'token':
      return runTokenCommand(client, command);
  }
}

async function register(client: pg.ClientBase, symbol: string, requested: string[] | 'all'): Promise<string[]> {
  const timeframes = await resolveTimeframes(client, requested);
  const lines: string[] = [];
  await client.query('BEGIN');
  try {
    for (const tf of timeframes) {
      const before = await client.query<{ cursor: Date | null }>(
        'SELECT last_agg_bar_ts_utc AS cursor FROM data_agg_state WHERE canonical_symbol = $1 AND timeframe = $2',
        [symbol, tf],
      );
      const after = await client.query<{ cursor: Date }>('SELECT bootstrap_aggregation_cursor($1, $2) AS cursor', [
        symbol,
        tf,
      ]);
      const cursor = formatTime(after.rows[0]?.cursor ?? null);
      const previous = before.rows[0];
      if (!previous) lines.push(`registered ${symbol}/${tf}, cursor bootstrapped to ${cursor}`);
      else if (previous.cursor === null)
        lines.push(`bootstrapped ${symbol}/${tf} (cursor was NULL), cursor now ${cursor}`);
      else lines.push(`${symbol}/${tf} was already registered; cursor left at ${cursor}`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  return lines;
}

async function health(client: pg.ClientBase, symbol: string): Promise<string[]> {
  const result = await client.query<Record<string, unknown>>(
    `SELECT h.timeframe, h.enabled, h.cursor_status, h.cursor_utc, h.source_max_ts_utc, h.bars_behind,
            h.source_age_minutes, h.minutes_since_success, h.consecutive_failures, h.total_runs,
            h.total_bars_written, h.bars_per_run, h.last_error
       FROM v_aggregation_frontier_health h JOIN agg_timeframes t USING (timeframe)
      WHERE h.canonical_symbol = $1 ORDER BY t.step`,
    [symbol],
  );
  if (result.rows.length === 0)
    throw new OpsFailure(`no pairs registered for ${symbol} (register one: npm run ops -- register ${symbol} all)`);
  const table = formatTable(result.rows, [
    ['timeframe', 'tf'],
    ['enabled', 'on'],
    ['cursor_status', 'status'],
    ['cursor_utc', 'cursor'],
    ['source_max_ts_utc', 'source frontier'],
    ['bars_behind', 'behind'],
    ['source_age_minutes', 'src age min'],
    ['minutes_since_success', 'since ok min'],
    ['consecutive_failures', 'fails'],
    ['total_runs', 'runs'],
    ['total_bars_written', 'bars'],
    ['bars_per_run', 'bars/run'],
  ]);
  const errors = result.rows
    .filter((row) => typeof row.last_error === 'string')
    .map((row) => `  ${String(row.timeframe)}: ${String(row.last_error)}`);
  return [
    `health of ${symbol} (v_aggregation_frontier_health):`,
    ...table,
    ...(errors.length ? ['last errors:', ...errors] : []),
  ];
}

async function reset(
  client: pg.ClientBase,
  dryRun: boolean,
  pair?: { symbol: string; timeframe: string },
): Promise<string[]> {
  const notices: string[] = [];
  const onNotice = (notice: { message?: string }) => notices.push(`NOTICE: ${notice.message ?? ''}`);
  client.on('notice', onNotice);
  try {
    const result = pair
      ? await client.query<Record<string, unknown>>('SELECT * FROM reset_aggregation_cursor($1, $2, $3)', [
          pair.symbol,
          pair.timeframe,
          dryRun,
        ])
      : await client.query<Record<string, unknown>>('SELECT * FROM reset_aggregation_cursors($1)', [dryRun]);
    const heading = dryRun
      ? 'reset dry run: these cursors would move (nothing written):'
      : 'reset applied: cursors moved:';
    const rows =
      result.rows.length === 0
        ? [
            pair
              ? `(${pair.symbol}/${pair.timeframe} is neither NULL nor AHEAD: nothing to reset)`
              : '(no NULL or AHEAD cursor: nothing to reset)',
          ]
        : formatTable(result.rows, [
            ['canonical_symbol', 'symbol'],
            ['timeframe', 'tf'],
            ['old_cursor_utc', 'old cursor'],
            ['new_cursor_utc', 'new cursor'],
            ['reason', 'reason'],
          ]);
    return [heading, ...rows, ...notices];
  } finally {
    client.off('notice', onNotice);
  }
}

async function setEnabled(
  client: pg.ClientBase,
  symbol: string,
  requested: string[] | 'all',
  enabled: boolean,
): Promise<string[]> {
  const timeframes = await resolveTimeframes(client, requested);
  const result = await client.query<{ timeframe: string; was: boolean }>(
    `UPDATE data_agg_state s SET enabled = $3
       FROM data_agg_state old
      WHERE s.canonical_symbol = $1 AND s.timeframe = ANY($2::text[])
        AND old.canonical_symbol = s.canonical_symbol AND old.timeframe = s.timeframe
     RETURNING s.timeframe, old.enabled AS was`,
    [symbol, timeframes, enabled],
  );
  if (result.rows.length === 0) throw new OpsFailure(`no registered pair ${symbol}/${timeframes.join(',')}`);
  const verb = enabled ? 'enabled' : 'disabled';
  const lines = result.rows.map((row) =>
    row.was === enabled ? `${symbol}/${row.timeframe} was already ${verb}` : `${verb} ${symbol}/${row.timeframe}`,
  );
  const missing = timeframes.filter((tf) => !result.rows.some((row) => row.timeframe === tf));
  if (missing.length > 0 && requested !== 'all')
    lines.push(`not registered (left alone): ${missing.map((tf) => `${symbol}/${tf}`).join(', ')}`);
  return lines;
}
