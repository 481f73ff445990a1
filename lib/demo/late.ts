import type pg from 'pg';

/**
 * The demo's late data (docs/AUDIT.md): every few minutes the "vendor" corrects a minute of
 * LATE_SYMBOL that was already aggregated (its volume and high change), as real feeds do. The
 * worker's audit notices the finalized bars that no longer match and rewrites them within one
 * audit cycle: the pair page then lists an audit run and "repaired 24 h" goes up.
 */
export const LATE_SYMBOL = 'ETHUSD';
/** a correction every this many minutes */
export const LATE_EVERY_MINUTES = 5;
/** the corrected minute: this far behind the newest bar, so its 5m, 15m and 30m windows are finalized */
export const LATE_BY_MINUTES = 40;

/** Corrects one finalized minute of LATE_SYMBOL; returns its time, or null when there is none. */
export async function correctLateMinute(pool: pg.Pool, symbol: string = LATE_SYMBOL): Promise<Date | null> {
  const result = await pool.query<{ ts_utc: Date }>(
    `UPDATE bars_1m b
        SET volume = b.volume + 1 + floor(random() * 50), high = b.high * 1.0004
       FROM (SELECT max(ts_utc) - make_interval(mins => $2) AS ts FROM bars_1m WHERE canonical_symbol = $1) m
      WHERE b.canonical_symbol = $1 AND b.ts_utc = m.ts
     RETURNING b.ts_utc`,
    [symbol, LATE_BY_MINUTES],
  );
  return result.rows[0]?.ts_utc ?? null;
}
