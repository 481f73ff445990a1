import type pg from 'pg';

export interface AuditResult {
  kind: 'audit';
  symbol: string;
  to_tf: string;
  from_utc: string;
  to_utc: string;
  windows_checked: number;
  missing: number;
  drifted: number;
  orphaned: number;
  repaired: number;
  duration_ms: number;
}

type Client = pg.Pool | pg.PoolClient | pg.Client;

/** audit_aggregation_range with positional arguments; returns its JSON. */
export async function audit(
  client: Client,
  symbol: string,
  tf: string,
  from: string,
  to: string,
  repair: boolean,
): Promise<AuditResult> {
  const result = await client.query<{ r: AuditResult }>(
    'SELECT audit_aggregation_range($1, $2, $3::timestamptz, $4::timestamptz, $5) AS r',
    [symbol, tf, from, to, repair],
  );
  return result.rows[0]!.r;
}

/**
 * The window starts in [from, to) where bars_agg differs from an independent recomputation
 * (written here with date_bin and window functions, not with the pipeline's functions).
 */
export async function barsEqualRecompute(
  client: Client,
  symbol: string,
  tf: string,
  from: string,
  to: string,
): Promise<string[]> {
  const result = await client.query<{ ws: Date }>(
    `
    WITH src AS (
      SELECT date_bin(t.step, b.ts_utc, timestamptz '2000-01-01 00:00:00+00') AS ws, b.*
        FROM bars_1m b JOIN agg_timeframes t ON t.timeframe = $2
       WHERE b.canonical_symbol = $1 AND b.ts_utc >= $3 AND b.ts_utc < $4
    ), expected AS (
      SELECT DISTINCT ON (ws) ws,
             first_value(open) OVER w AS open, max(high) OVER w AS high, min(low) OVER w AS low,
             last_value(close) OVER w AS close, sum(volume) OVER w AS volume, count(*) OVER w AS n
        FROM src
      WINDOW w AS (PARTITION BY ws ORDER BY ts_utc ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ), actual AS (
      SELECT * FROM bars_agg WHERE canonical_symbol = $1 AND timeframe = $2 AND ts_utc >= $3 AND ts_utc < $4
    )
    SELECT coalesce(e.ws, a.ts_utc) AS ws
      FROM expected e FULL JOIN actual a ON a.ts_utc = e.ws
     WHERE (e.open, e.high, e.low, e.close, e.volume, e.n)
           IS DISTINCT FROM (a.open, a.high, a.low, a.close, a.volume, a.source_count)
     ORDER BY 1`,
    [symbol, tf, from, to],
  );
  return result.rows.map((row) => row.ws.toISOString());
}
