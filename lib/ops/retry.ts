import type pg from 'pg';
import { formatTable } from './table';
import { UsageError } from './errors';

/** `retry [--symbol S] [--timeframe TF]`: clear the retry backoff (sql/011) so the next pass runs the pair(s). */
export interface RetryCommand {
  kind: 'retry';
  symbol: string | null;
  timeframe: string | null;
}

export function parseRetryArgs(rest: string[]): RetryCommand {
  const command: RetryCommand = { kind: 'retry', symbol: null, timeframe: null };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (flag !== '--symbol' && flag !== '--timeframe')
      throw new UsageError(`retry: unexpected argument ${JSON.stringify(flag)} (use --symbol S, --timeframe TF)`);
    if (!value || value.startsWith('--')) throw new UsageError(`retry: ${flag} needs a value`);
    const key = flag === '--symbol' ? 'symbol' : 'timeframe';
    if (command[key] !== null) throw new UsageError(`retry: ${flag} is given more than once`);
    command[key] = value;
  }
  return command;
}

export async function retryPairs(client: pg.ClientBase, command: RetryCommand): Promise<string[]> {
  const result = await client.query<{
    canonical_symbol: string;
    timeframe: string;
    consecutive_failures: number;
    was: Date;
  }>(
    `UPDATE data_agg_state s SET next_retry_utc = NULL
       FROM data_agg_state old
      WHERE old.canonical_symbol = s.canonical_symbol AND old.timeframe = s.timeframe
        AND s.next_retry_utc IS NOT NULL
        AND ($1::text IS NULL OR s.canonical_symbol = $1) AND ($2::text IS NULL OR s.timeframe = $2)
     RETURNING s.canonical_symbol, s.timeframe, s.consecutive_failures, old.next_retry_utc AS was`,
    [command.symbol, command.timeframe],
  );
  const scope = [command.symbol, command.timeframe].filter(Boolean).join('/') || 'all pairs';
  if (result.rows.length === 0) return [`no pair in retry backoff (${scope}): nothing to do`];
  return [
    `cleared the retry backoff of ${result.rows.length} pair(s) (${scope}); the next worker pass runs them:`,
    ...formatTable(result.rows, [
      ['canonical_symbol', 'symbol'],
      ['timeframe', 'tf'],
      ['consecutive_failures', 'fails'],
      ['was', 'was due'],
    ]),
  ];
}
