import os from 'node:os';
import type pg from 'pg';
import type { OpsCommand } from './commands';
import { OpsFailure } from './errors';

/**
 * The audit log's row for a command that writes (every action, from the
 * UI, the API or `npm run ops`): source 'ops', the operating-system user as the actor, role
 * admin (whoever runs ops holds the owner's connection). Commands that only read (health,
 * calendar lists, a dry audit) write none.
 */
export interface OpsAuditRow {
  action: string;
  target: string;
  args: Record<string, unknown>;
}

const pairs = (symbol: string | null | undefined, timeframes: string | string[] | 'all' | null | undefined) =>
  `${symbol ?? '*'}/${Array.isArray(timeframes) ? timeframes.join(',') : timeframes === 'all' ? '*' : (timeframes ?? '*')}`;

export function opsAuditRow(command: OpsCommand): OpsAuditRow | null {
  switch (command.kind) {
    case 'register':
      return { action: 'bootstrap', target: pairs(command.symbol, command.timeframes), args: {} };
    case 'reset':
      return {
        action: 'reset',
        target: command.pair ? `${command.pair.symbol}/${command.pair.timeframe}` : '*/*',
        args: { dry_run: command.dryRun },
      };
    case 'enable':
    case 'disable':
      return { action: command.kind, target: pairs(command.symbol, command.timeframes), args: {} };
    case 'retry':
      return { action: 'retry', target: pairs(command.symbol, command.timeframe), args: {} };
    case 'audit':
      return command.repair
        ? { action: 'repair', target: pairs(command.symbol, command.timeframe), args: { since: command.since } }
        : null;
    default:
      return null;
  }
}

export function opsActor(): string {
  try {
    return process.env.FRONTIER_OPS_ACTOR || os.userInfo().username;
  } catch {
    return process.env.USER || 'ops';
  }
}

/** The output kept in the row: what the command printed, capped (a reset of every cursor can be long). */
const MAX_LINES = 200;

export async function recordOpsAction(
  client: pg.ClientBase,
  row: OpsAuditRow,
  outcome: { lines: string[]; error?: unknown },
): Promise<void> {
  const error = outcome.error;
  const result =
    error === undefined
      ? { output: outcome.lines.slice(0, MAX_LINES) }
      : {
          error: error instanceof Error ? error.message : String(error),
          ...(error instanceof OpsFailure ? { output: error.output.slice(0, MAX_LINES) } : {}),
          ...(typeof (error as { code?: unknown }).code === 'string'
            ? { sqlstate: (error as { code: string }).code }
            : {}),
        };
  await client.query('SELECT record_operator_action($1, $2, $3, $4, $5, $6, $7, $8)', [
    opsActor(),
    'admin',
    'ops',
    row.action,
    row.target,
    JSON.stringify(row.args),
    JSON.stringify(result),
    error === undefined,
  ]);
}
