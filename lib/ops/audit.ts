import type pg from 'pg';
import { formatTable, formatTime } from './table';

/**
 * `npm run ops -- audit [--symbol S] [--timeframe TF] [--days N | --since ISO] [--repair]`:
 * audit_aggregation_range over every matching pair, one pair per transaction (a long run holds
 * no lock for long), progress on stderr, a total, and exit code 3 when drift was found and not
 * repaired (docs/AUDIT.md).
 */
export interface AuditCommand {
  kind: 'audit';
  symbol?: string;
  timeframe?: string;
  /** audit windows from this instant to now */
  since: { days: number } | { iso: string };
  repair: boolean;
}

export const AUDIT_USAGE = `  audit [--symbol S] [--timeframe TF] [--days N | --since ISO] [--repair]
                                 compare finalized bars with bars_1m (default: the last
                                 day, every pair); --repair rewrites missing/drifted bars.
                                 Exit code 3: drift found and not repaired`;

/** Exit code when drift was found and left unrepaired (0 done, 1 failed, 2 bad arguments). */
export const EXIT_DRIFT = 3;

export class AuditUsageError extends Error {}

export function parseAuditArgs(
  rest: string[],
  symbolArg: (v: string | undefined) => string,
  timeframeArg: (v: string | undefined) => string,
): AuditCommand {
  const command: AuditCommand = { kind: 'audit', since: { days: 1 }, repair: false };
  let range: string | undefined;
  for (let i = 0; i < rest.length; i += 1) {
    const flag = rest[i]!;
    const value = (): string => {
      const next = rest[++i];
      if (next === undefined || next.startsWith('--')) throw new AuditUsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--symbol':
        command.symbol = symbolArg(value());
        break;
      case '--timeframe':
        command.timeframe = timeframeArg(value());
        break;
      case '--repair':
        command.repair = true;
        break;
      case '--days':
      case '--since': {
        if (range) throw new AuditUsageError(`${flag} and ${range} together: give one of --days N or --since ISO`);
        range = flag;
        const text = value();
        if (flag === '--days') {
          const days = Number(text);
          if (!Number.isFinite(days) || days <= 0 || days > 36_500)
            throw new AuditUsageError(`--days must be a positive number of days, got ${JSON.stringify(text)}`);
          command.since = { days };
        } else {
          if (
            !/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|[+-]\d\d:?\d\d)?$/.test(text) ||
            Number.isNaN(Date.parse(text))
          ) {
            throw new AuditUsageError(
              `--since must be an ISO date or timestamp (2026-04-01 or 2026-04-01T00:00:00Z), got ${JSON.stringify(text)}`,
            );
          }
          command.since = { iso: text };
        }
        break;
      }
      default:
        throw new AuditUsageError(`unexpected argument: ${JSON.stringify(flag)}`);
    }
  }
  return command;
}

interface AuditRow {
  missing: number;
  drifted: number;
  orphaned: number;
  repaired: number;
  windows_checked: number;
  from_utc: string;
  to_utc: string;
}

export interface AuditOutcome {
  lines: string[];
  exitCode: number;
}

/** Progress at most every this many ms (and at the end) on long runs. */
const PROGRESS_EVERY_MS = 2_000;

export async function runAudit(
  client: pg.ClientBase,
  command: AuditCommand,
  progress: (line: string) => void,
): Promise<AuditOutcome> {
  // The instant is fixed once, so every pair is audited over the same range.
  const bounds = await client.query<{ from_utc: Date; to_utc: Date }>(
    `SELECT CASE WHEN $1::double precision IS NOT NULL THEN now() - make_interval(secs => $1::double precision * 86400)
                 ELSE $2::timestamptz END AS from_utc, now() AS to_utc`,
    ['days' in command.since ? command.since.days : null, 'iso' in command.since ? command.since.iso : null],
  );
  const { from_utc: from, to_utc: to } = bounds.rows[0]!;
  if (from >= to) return { lines: [`ops: --since ${formatTime(from)} is not in the past`], exitCode: 2 };
  const pairs = (
    await client.query<{ symbol: string; timeframe: string }>(
      `SELECT s.canonical_symbol AS symbol, s.timeframe
       FROM data_agg_state s JOIN agg_timeframes t ON t.timeframe = s.timeframe
      WHERE ($1::text IS NULL OR s.canonical_symbol = $1) AND ($2::text IS NULL OR s.timeframe = $2)
        AND s.last_agg_bar_ts_utc IS NOT NULL
      ORDER BY s.canonical_symbol, t.step`,
      [command.symbol ?? null, command.timeframe ?? null],
    )
  ).rows;
  const what = `${command.symbol ?? 'every symbol'} / ${command.timeframe ?? 'every timeframe'}`;
  if (pairs.length === 0) {
    return { lines: [`no registered pair with a cursor matches ${what}`], exitCode: 1 };
  }

  const total = { windows: 0, missing: 0, drifted: 0, orphaned: 0, repaired: 0, failed: 0 };
  const findings: Array<Record<string, unknown>> = [];
  const errors: string[] = [];
  let lastProgress = Date.now();
  for (const [index, pair] of pairs.entries()) {
    try {
      const r = (
        await client.query<{ r: AuditRow }>('SELECT audit_aggregation_range($1, $2, $3, $4, $5) AS r', [
          pair.symbol,
          pair.timeframe,
          from,
          to,
          command.repair,
        ])
      ).rows[0]!.r;
      total.windows += r.windows_checked;
      total.missing += r.missing;
      total.drifted += r.drifted;
      total.orphaned += r.orphaned;
      total.repaired += r.repaired;
      if (r.missing + r.drifted + r.orphaned > 0) findings.push({ ...pair, ...r });
    } catch (error) {
      total.failed += 1;
      errors.push(`  ${pair.symbol}/${pair.timeframe}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (Date.now() - lastProgress >= PROGRESS_EVERY_MS || index === pairs.length - 1) {
      lastProgress = Date.now();
      progress(
        `audit: ${index + 1}/${pairs.length} pairs, ${total.missing} missing, ${total.drifted} drifted, ${total.orphaned} orphaned, ${total.repaired} repaired`,
      );
    }
  }

  const unrepaired = total.missing + total.drifted - total.repaired;
  const lines = [
    `audit of ${what}, windows from ${formatTime(from)} to ${formatTime(to)} up to each cursor${command.repair ? ', repairing' : ' (dry: nothing written but the audit columns)'}:`,
    ...(findings.length > 0
      ? formatTable(findings.slice(0, 200), [
          ['symbol', 'symbol'],
          ['timeframe', 'tf'],
          ['windows_checked', 'windows'],
          ['missing', 'missing'],
          ['drifted', 'drifted'],
          ['orphaned', 'orphaned'],
          ['repaired', 'repaired'],
        ])
      : ['(every bar checked equals its recomputation)']),
    ...(findings.length > 200 ? [`… and ${findings.length - 200} more pairs with findings`] : []),
    `total: ${pairs.length} pairs, ${total.windows} windows checked, ${total.missing} missing, ${total.drifted} drifted, ` +
      `${total.orphaned} orphaned (kept: bars with no source rows), ${total.repaired} repaired, ${total.failed} failed`,
    ...(errors.length > 0 ? ['failed pairs:', ...errors] : []),
    ...(unrepaired > 0 ? [`${unrepaired} window(s) differ and were not repaired: run again with --repair`] : []),
  ];
  return { lines, exitCode: total.failed > 0 ? 1 : unrepaired > 0 ? EXIT_DRIFT : 0 };
}
