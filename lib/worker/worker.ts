import type pg from 'pg';
import { BackgroundLoop } from '../server/background-loop';
import { log as defaultLog, type Logger } from '../server/log';
import type { Env } from '../server/env';
import { errorCode, errorMessage, isWriteOutage } from '../server/db-errors';
import { backoffDelay, OutageTracker } from '../server/outage';
import {
  listPairs,
  pingWritable,
  pruneBatch,
  raisedWith,
  recordFailure,
  runPair,
  type Pair,
  type RetryBackoff,
} from './statements';
import { Auditor, type AuditSettings } from './audit';
import { beat, workerIdentity, type WorkerIdentity } from './heartbeat';

export interface WorkerSettings {
  intervalMs: number;
  maxWindows: number;
  graceMinutes: number;
  concurrency: number;
  retentionDays: number;
  pruneEveryPasses: number;
  pruneBatchSize: number;
  pruneMaxBatches: number;
  backoffMaxMs: number;
  /** the late-data sweep after each pass (lib/worker/audit.ts); absent: none */
  audit?: AuditSettings;
  /** a failing pair's retry backoff (RETRY_BACKOFF_*); the SQL's defaults when absent */
  retryBackoff?: RetryBackoff;
}

export function workerSettingsFromEnv(config: Env): WorkerSettings {
  return {
    intervalMs: config.WORKER_INTERVAL_MS,
    maxWindows: config.WORKER_MAX_WINDOWS,
    graceMinutes: config.WORKER_GRACE_MINUTES,
    concurrency: config.WORKER_CONCURRENCY,
    retentionDays: config.WORKER_RETENTION_DAYS,
    pruneEveryPasses: config.WORKER_PRUNE_EVERY_PASSES,
    pruneBatchSize: config.WORKER_PRUNE_BATCH_SIZE,
    pruneMaxBatches: config.WORKER_PRUNE_MAX_BATCHES,
    backoffMaxMs: config.WORKER_BACKOFF_MAX_MS,
    audit: {
      lookbackHours: config.WORKER_AUDIT_LOOKBACK_HOURS,
      intervalMs: config.WORKER_AUDIT_INTERVAL_MS,
      pairsPerPass: config.WORKER_AUDIT_PAIRS_PER_PASS,
    },
    retryBackoff: { baseSeconds: config.RETRY_BACKOFF_BASE_SECONDS, capSeconds: config.RETRY_BACKOFF_CAP_SECONDS },
  };
}

export interface PassSummary {
  pass: number;
  /** enabled pairs listed */
  pairs: number;
  /** runs that committed (idle runs included) */
  ok: number;
  /** of those, runs that found nothing to do */
  idle: number;
  failed: number;
  /** not claimed: held by another worker, attempted recently, in retry backoff, or disabled meanwhile */
  skipped: number;
  bars: number;
  /** pairs that stopped on max_windows and want another run */
  behind: number;
  pruned: number;
  ms: number;
  /** the pass stopped early because the database went away */
  interrupted: boolean;
}

// A failing pair is logged when it starts failing or its error changes, not every pass (the
// database keeps every failure in data_agg_runs), and at most this many lines a pass: a
// thousand pairs with a NULL cursor must not bury the log. The pass line counts them all.
const FAILURE_LINES_PER_PASS = 10;
// Bounds the memory of failing pairs; past it, repeated failures are logged again.
const REMEMBERED_FAILURES = 100_000;

/**
 * Runs run_catchup for every enabled pair, WORKER_CONCURRENCY at a time, pass after pass.
 * See docs/WORKER.md for how work is claimed and what happens on failures and outages.
 */
export class Worker {
  readonly outage: OutageTracker;
  readonly auditor: Auditor | undefined;
  private passes = 0;
  private readonly loop = new BackgroundLoop(() => this.runLoop());
  /** pair key -> the error last logged for it */
  private readonly failing = new Map<string, string>();
  private failureLines = 0;
  /**
   * this process in worker_heartbeats, beaten at the start of every pass and again during a pass
   * whenever an interval has gone by (a pass longer than two intervals must not read as no worker)
   */
  readonly identity: WorkerIdentity = workerIdentity();
  private saidNoHeartbeat = false;
  private lastBeatAt = 0;
  private beating: Promise<void> | undefined;
  private recordErrorLines = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly settings: WorkerSettings,
    private readonly log: Logger = defaultLog,
  ) {
    this.outage = new OutageTracker(log);
    this.auditor = settings.audit ? new Auditor(pool, settings.audit, log) : undefined;
  }

  get passCount(): number {
    return this.passes;
  }

  /** Starts passing in the background; resolves at once. */
  start(): void {
    this.loop.start();
  }

  /** Lets the statements in flight finish (commit or roll back), then resolves. Idempotent. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  private get stopping(): boolean {
    return this.loop.stopping;
  }

  /** One pass over all enabled pairs. Throws only when the pair listing itself fails. */
  async runPass(): Promise<PassSummary> {
    const started = performance.now();
    const { pairs, dbNow } = await listPairs(this.pool);
    await this.beatOnce();
    const clockOffset = dbNow.getTime() - Date.now();
    const pass = ++this.passes;
    const summary: PassSummary = {
      pass,
      pairs: pairs.length,
      ok: 0,
      idle: 0,
      failed: 0,
      skipped: 0,
      bars: 0,
      behind: 0,
      pruned: 0,
      ms: 0,
      interrupted: false,
    };
    this.failureLines = 0;
    this.recordErrorLines = 0;
    let next = 0;
    const lane = async (): Promise<void> => {
      while (!this.stopping && !summary.interrupted) {
        const pair = pairs[next++];
        if (!pair) return;
        if (Date.now() - this.lastBeatAt >= this.settings.intervalMs) await this.beatDuringPass(summary);
        if (summary.interrupted) return;
        await this.processPair(pair, summary, clockOffset);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.settings.concurrency) }, lane));

    if (!summary.interrupted && !this.stopping && (pass - 1) % this.settings.pruneEveryPasses === 0) {
      summary.pruned = await this.prune(summary);
    }
    summary.ms = Math.round(performance.now() - started);
    if (this.recordErrorLines > FAILURE_LINES_PER_PASS) {
      this.log.error('more failed runs could not be recorded', {
        pass,
        count: this.recordErrorLines - FAILURE_LINES_PER_PASS,
      });
    }
    if (this.failureLines > FAILURE_LINES_PER_PASS) {
      this.log.warn('more newly failing pairs not logged individually', {
        pass,
        count: this.failureLines - FAILURE_LINES_PER_PASS,
      });
    }
    return summary;
  }

  private async processPair(pair: Pair, summary: PassSummary, clockOffset: number): Promise<void> {
    const startedAt = new Date(Date.now() + clockOffset);
    try {
      const outcome = await runPair(
        this.pool,
        pair,
        this.settings.maxWindows,
        this.settings.graceMinutes,
        this.settings.intervalMs / 2,
      );
      if (!outcome) {
        summary.skipped += 1;
        return;
      }
      summary.ok += 1;
      summary.bars += outcome.bars;
      if (this.failing.delete(`${pair.symbol}/${pair.timeframe}`)) {
        this.log.info('pair recovered', { symbol: pair.symbol, timeframe: pair.timeframe });
      }
      if (outcome.windows === 0) summary.idle += 1;
      if (outcome.stopReason === 'max_windows') summary.behind += 1;
    } catch (error) {
      if (isWriteOutage(error)) {
        // Not the pair's fault (the database went away, or the node is a standby now after a
        // failover): nothing is recorded, the pair is retried after reconnecting.
        this.outage.markDown(error);
        summary.interrupted = true;
        return;
      }
      summary.failed += 1;
      const message = errorMessage(error);
      const key = `${pair.symbol}/${pair.timeframe}`;
      if (this.failing.get(key) !== message) {
        if (++this.failureLines <= FAILURE_LINES_PER_PASS) {
          this.log.warn('pair failed', {
            symbol: pair.symbol,
            timeframe: pair.timeframe,
            code: errorCode(error),
            error: message,
          });
        }
        if (this.failing.size < REMEMBERED_FAILURES || this.failing.has(key)) this.failing.set(key, message);
      }
      try {
        await recordFailure(this.pool, pair, message, startedAt, this.settings.retryBackoff, raisedWith(error));
      } catch (recordError) {
        if (isWriteOutage(recordError)) {
          this.outage.markDown(recordError);
          summary.interrupted = true;
        } else if (++this.recordErrorLines <= FAILURE_LINES_PER_PASS) {
          this.log.error('could not record a failed run', {
            symbol: pair.symbol,
            timeframe: pair.timeframe,
            error: errorMessage(recordError),
            run_error: message,
          });
        }
      }
    }
  }

  /** A lost database during a pass is an outage like any run's: the pass stops, nothing recorded. */
  private async beatDuringPass(summary: PassSummary): Promise<void> {
    try {
      await this.beatOnce();
    } catch (error) {
      this.outage.markDown(error);
      summary.interrupted = true;
    }
  }

  /** One beat at a time: the lanes of a pass share it. */
  private beatOnce(): Promise<void> {
    this.beating ??= this.beat().finally(() => (this.beating = undefined));
    return this.beating;
  }

  /** A lost database stops the pass (the caller's outage); anything else is said once and passed over. */
  private async beat(): Promise<void> {
    try {
      this.lastBeatAt = Date.now();
      await beat(this.pool, this.identity);
    } catch (error) {
      if (isWriteOutage(error)) throw error;
      if (!this.saidNoHeartbeat) {
        this.saidNoHeartbeat = true;
        this.log.warn('cannot record the worker heartbeat (is sql/014 applied?)', {
          error: errorMessage(error),
          code: errorCode(error),
        });
      }
    }
  }

  /** Bounded: at most pruneMaxBatches batches, so a backlog is worked off over several passes. */
  private async prune(summary: PassSummary): Promise<number> {
    let deleted = 0;
    try {
      for (let batch = 0; batch < this.settings.pruneMaxBatches && !this.stopping; batch += 1) {
        const count = await pruneBatch(this.pool, this.settings.retentionDays, this.settings.pruneBatchSize);
        deleted += count;
        if (count < this.settings.pruneBatchSize) break;
      }
    } catch (error) {
      if (isWriteOutage(error)) {
        this.outage.markDown(error);
        summary.interrupted = true;
      } else {
        this.log.error('pruning data_agg_runs failed', { error: errorMessage(error), code: errorCode(error) });
      }
    }
    return deleted;
  }

  private async runLoop(): Promise<void> {
    while (!this.stopping) {
      if (this.outage.down) {
        await this.loop.sleep(backoffDelay(this.outage.failedAttempts, this.settings.backoffMaxMs));
        if (this.stopping) break;
        try {
          await pingWritable(this.pool);
          this.outage.markUp();
        } catch (error) {
          if (!isWriteOutage(error)) this.log.error('database check failed', { error: errorMessage(error) });
          this.outage.markDown(error);
          continue;
        }
      }
      const started = Date.now();
      try {
        const summary = await this.runPass();
        if (!summary.interrupted) {
          this.log.info('pass', {
            pass: summary.pass,
            pairs: summary.pairs,
            ok: summary.ok,
            idle: summary.idle,
            failed: summary.failed,
            skipped: summary.skipped,
            behind: summary.behind,
            bars: summary.bars,
            pruned: summary.pruned,
            ms: summary.ms,
          });
        }
        // After the pass, never inside it: catch-up throughput does not pay for the audit.
        if (this.auditor && !summary.interrupted && !this.outage.down && !this.stopping) {
          const audit = await this.auditor.runDue(
            this.settings.concurrency,
            () => this.stopping,
            (e) => this.outage.markDown(e),
          );
          if (audit.audited + audit.failed > 0) this.log.info('audit', { ...audit });
        }
      } catch (error) {
        if (isWriteOutage(error)) {
          this.outage.markDown(error);
          continue;
        }
        // A bug or a broken schema: say so every pass rather than spin or die silently.
        this.log.error('pass failed', { error: errorMessage(error), code: errorCode(error) });
      }
      if (!this.outage.down) await this.loop.sleep(Math.max(0, started + this.settings.intervalMs - Date.now()));
    }
  }
}
