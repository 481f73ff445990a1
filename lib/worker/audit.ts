import type pg from 'pg';
import { errorCode, errorMessage, isWriteOutage } from '../server/db-errors';

/**
 * The worker's late-data sweep (docs/AUDIT.md): after each catch-up pass, audit a bounded
 * number of pairs whose last audit is older than the audit interval, over the last lookback
 * hours of finalized windows, and repair what changed. Bounded per pass so that a pass's
 * cadence never waits on a full sweep of 30,000 pairs; the sweep goes round in
 * (pairs / pairsPerPass) passes.
 */
export interface AuditSettings {
  /** how far back the windows audited reach (WORKER_AUDIT_LOOKBACK_HOURS) */
  lookbackHours: number;
  /** a pair is audited again once its last audit is this old (WORKER_AUDIT_INTERVAL_MS) */
  intervalMs: number;
  /** at most this many pairs audited after each pass; 0 turns the sweep off (WORKER_AUDIT_PAIRS_PER_PASS) */
  pairsPerPass: number;
}

export interface AuditPassSummary {
  audited: number;
  /** windows found missing or drifted (all of them repaired) */
  repaired: number;
  orphaned: number;
  failed: number;
  skipped: number;
  ms: number;
  interrupted: boolean;
}

interface Logger {
  info: (message: string, fields?: Record<string, unknown>) => void;
  warn: (message: string, fields?: Record<string, unknown>) => void;
}

// Oldest audit first: a pair never audited, then the one waiting longest.
const DUE_PAIRS = `
  SELECT canonical_symbol AS symbol, timeframe
    FROM data_agg_state
   WHERE enabled AND last_agg_bar_ts_utc IS NOT NULL
     AND (audit_last_utc IS NULL OR audit_last_utc <= now() - make_interval(secs => $1::double precision / 1000))
   ORDER BY audit_last_utc NULLS FIRST, canonical_symbol, timeframe
   LIMIT $2`;

/**
 * One statement, one transaction. The claim is the catch-up's (FOR UPDATE SKIP LOCKED on the
 * state row): a pair a catch-up holds is skipped, and a catch-up skips a pair being audited.
 * A dry audit first, so that the usual case (nothing changed) writes no run row; only when it
 * found something does the repairing audit run, in the same transaction, under the same lock.
 */
const AUDIT_PAIR = `
  WITH claimed AS MATERIALIZED (
    SELECT canonical_symbol, timeframe
      FROM data_agg_state
     WHERE canonical_symbol = $1 AND timeframe = $2 AND enabled
       AND (audit_last_utc IS NULL OR audit_last_utc <= now() - make_interval(secs => $4::double precision / 1000))
       FOR UPDATE SKIP LOCKED
  ), checked AS MATERIALIZED (
    SELECT audit_aggregation_range(canonical_symbol, timeframe, now() - make_interval(hours => $3), now(), false) AS r
      FROM claimed
  )
  SELECT CASE WHEN (r->>'missing')::int + (r->>'drifted')::int > 0
              THEN audit_aggregation_range($1, $2, now() - make_interval(hours => $3), now(), true)
              ELSE r END AS r
    FROM checked`;

interface AuditJson {
  missing: number;
  drifted: number;
  orphaned: number;
  repaired: number;
}

export class Auditor {
  constructor(
    private readonly pool: pg.Pool,
    private readonly settings: AuditSettings,
    private readonly log: Logger,
  ) {}

  /** Audits up to pairsPerPass due pairs, `lanes` at a time. Connection errors interrupt it. */
  async runDue(
    lanes: number,
    stopping: () => boolean,
    onConnectionError: (error: unknown) => void,
  ): Promise<AuditPassSummary> {
    const started = performance.now();
    const summary: AuditPassSummary = {
      audited: 0,
      repaired: 0,
      orphaned: 0,
      failed: 0,
      skipped: 0,
      ms: 0,
      interrupted: false,
    };
    if (this.settings.pairsPerPass === 0) return summary;
    let pairs: Array<{ symbol: string; timeframe: string }>;
    try {
      pairs = (
        await this.pool.query<{ symbol: string; timeframe: string }>({
          name: 'worker_audit_due',
          text: DUE_PAIRS,
          values: [this.settings.intervalMs, this.settings.pairsPerPass],
        })
      ).rows;
    } catch (error) {
      this.fail(error, summary, onConnectionError);
      return summary;
    }
    let next = 0;
    const lane = async (): Promise<void> => {
      for (let pair = pairs[next++]; pair && !stopping() && !summary.interrupted; pair = pairs[next++]) {
        try {
          const result = await this.pool.query<{ r: AuditJson }>({
            name: 'worker_audit_pair',
            text: AUDIT_PAIR,
            values: [pair.symbol, pair.timeframe, this.settings.lookbackHours, this.settings.intervalMs],
          });
          const r = result.rows[0]?.r;
          if (!r) {
            summary.skipped += 1;
            continue;
          }
          summary.audited += 1;
          summary.repaired += r.repaired;
          summary.orphaned += r.orphaned;
          if (r.repaired > 0) {
            this.log.info('audit repaired late data', {
              symbol: pair.symbol,
              timeframe: pair.timeframe,
              missing: r.missing,
              drifted: r.drifted,
            });
          }
        } catch (error) {
          // Not recorded as a failed run: the catch-up's failure counters are the catch-up's.
          // The pair stays due and is tried again after the next pass.
          this.fail(error, summary, onConnectionError, pair);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
    summary.ms = Math.round(performance.now() - started);
    return summary;
  }

  private fail(
    error: unknown,
    summary: AuditPassSummary,
    onConnectionError: (error: unknown) => void,
    pair?: { symbol: string; timeframe: string },
  ): void {
    if (isWriteOutage(error)) {
      summary.interrupted = true;
      onConnectionError(error);
      return;
    }
    summary.failed += 1;
    if (summary.failed <= 3)
      this.log.warn('audit failed', { ...pair, code: errorCode(error), error: errorMessage(error) });
  }
}
