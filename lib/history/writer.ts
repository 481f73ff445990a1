import type pg from 'pg';
import { connectClient } from '../server/connect';
import { BackgroundLoop } from '../server/background-loop';
import { log as defaultLog, type Logger } from '../server/log';
import { errorCode, errorMessage, isWriteOutage } from '../server/db-errors';
import { OutageTracker } from '../server/outage';
import type { HistorySettings } from './settings';
import {
  canWriteHistory,
  HISTORY_LOCK_KEY,
  pruneHistoryBatch,
  recordStates,
  tryHistoryLock,
  type EvaluationResult,
  type ObservedStates,
} from './statements';

/** Evaluations failing in a row (not for a lost connection) before the writer lets another try. */
const GIVE_UP_AFTER = 3;

export interface HistoryWriterOptions {
  connectionString: string;
  /** Every pair's health now (lib/health/rules.ts), however this process reads it. */
  /** every pair's state now; given the writer's own connection, which is on the primary */
  observe: (client: pg.ClientBase) => Promise<ObservedStates>;
  settings: HistorySettings;
  log?: Logger;
  /** shows in pg_stat_activity, so an operator can see which process holds the lock */
  applicationName?: string;
  /**
   * Runs after each evaluation this writer records, on its connection (the silence reconciler,
   * lib/alertmanager/reconcile.ts): once per interval, by the one process holding the lock. Its
   * failure is logged and never fails the evaluation.
   */
  afterEvaluation?: (client: pg.ClientBase) => Promise<void>;
}

export type Tick =
  | { role: 'writer'; result: EvaluationResult; pruned: number }
  | { role: 'standby' }
  | { role: 'readonly' }
  | { role: 'error'; error: string };

/**
 * The state history's single writer. Every process that may write runs one; each interval each
 * tries pg_try_advisory_lock on a connection of its own, and only the one holding it evaluates.
 * The lock is a session lock: it goes when that connection goes (process killed, network
 * lost, backend terminated), and a standby gets it at its next try, within one interval.
 * Evaluations are written on the lock's own connection, so a writer that lost its lock can
 * no longer write; and history_record_states compares with the stored state, not with this
 * object's memory, so a takeover neither loses nor repeats a transition. docs/HISTORY.md.
 */
export class HistoryWriter {
  private client: pg.Client | undefined;
  private holding = false;
  private evaluations = 0;
  private readonly loop = new BackgroundLoop(() => this.run());
  private lastError: string | undefined;
  private lastStepError: string | undefined;
  /** undefined until checked on the current connection */
  private writable: 'yes' | 'no-privilege' | 'read-only' | undefined;
  private saidReadOnly = false;
  private failures = 0;
  private readonly log: Logger;
  /** one line when the database goes (or turns read-only), one when a primary answers again */
  private readonly outage: OutageTracker;

  constructor(private readonly options: HistoryWriterOptions) {
    this.log = options.log ?? defaultLog;
    this.outage = new OutageTracker(this.log, {
      down: 'history writer: database unavailable or read-only; competing again each interval through the host list',
      up: 'history writer: a writable database answers again',
    });
  }

  get isWriter(): boolean {
    return this.holding;
  }

  /** The backend pid of the lock connection (tests end it to simulate a dead writer). */
  get backendPid(): number | undefined {
    return (this.client as unknown as { processID?: number } | undefined)?.processID;
  }

  start(): void {
    this.loop.start();
  }

  /** Ends the lock connection, which releases the lock for a standby at once. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.dropConnection();
  }

  /** One interval's work: take the lock if free, and evaluate when holding it. */
  async tick(): Promise<Tick> {
    try {
      const client = await this.connection();
      // A role that cannot write must not hold the lock: it would keep the real writer out.
      // Checked on every new connection (grants may change; a process may have started while
      // the database was down and could not check then).
      if (this.writable === undefined) this.writable = await canWriteHistory(client);
      if (this.writable === 'read-only') {
        // The node became a standby under us (the connection is read-write when opened): a
        // failover. Let go of the connection and compete again on the next interval, through
        // the host list, until a primary answers.
        await this.dropConnection();
        throw Object.assign(new Error('history writer: the database is read-only now (a standby)'), {
          code: '25006',
        });
      }
      if (this.writable === 'no-privilege') {
        if (!this.saidReadOnly) {
          this.saidReadOnly = true;
          const message =
            'history writer: this database role cannot write the state history; not competing for the lock';
          if (this.options.settings.mode === 'on') this.log.error(`${message} (HISTORY_WRITER=on)`);
          else this.log.info(message);
        }
        // auto: nothing will change that without a restart; stop trying (and free the connection).
        if (this.options.settings.mode !== 'on') this.loop.requestStop();
        await this.dropConnection();
        return { role: 'readonly' };
      }
      if (!this.holding) {
        this.holding = await tryHistoryLock(client);
        this.outage.markUp();
        if (!this.holding) return { role: 'standby' };
        this.log.info('history writer: this process now records the state history', { pid: process.pid });
      }
      const observed = await this.options.observe(client);
      const result = await recordStates(client, observed, this.options.settings);
      const pruned = this.evaluations++ % this.options.settings.pruneEvery === 0 ? await this.prune(client) : 0;
      if (this.options.afterEvaluation) await this.afterEvaluation(client, this.options.afterEvaluation);
      this.lastError = undefined;
      this.failures = 0;
      this.outage.markUp();
      return { role: 'writer', result, pruned };
    } catch (error) {
      const message = errorMessage(error);
      // A vanished node or one that became a standby: an outage of this connection, retried
      // through the host list each interval (the lock goes with the connection).
      if (isWriteOutage(error)) {
        this.outage.markDown(error);
        await this.dropConnection();
        return { role: 'error', error: message };
      }
      if (this.holding && ++this.failures >= GIVE_UP_AFTER) await this.release(message);
      // Said once per distinct error, not every 15 s while the database is away.
      if (message !== this.lastError) {
        this.log.warn('history evaluation failed', { error: message, code: errorCode(error), writer: this.holding });
        this.lastError = message;
      }
      return { role: 'error', error: message };
    }
  }

  private async afterEvaluation(client: pg.Client, step: (client: pg.ClientBase) => Promise<void>): Promise<void> {
    try {
      await step(client);
      this.lastStepError = undefined;
    } catch (error) {
      // Said once per distinct error, not every interval.
      const message = errorMessage(error);
      if (message !== this.lastStepError)
        this.log.warn('history writer: the step after the evaluation failed', { error: message });
      this.lastStepError = message;
    }
  }

  /** After repeated failures, let another candidate (maybe a healthier process) try. */
  private async release(reason: string): Promise<void> {
    this.log.warn('history writer: giving the lock up after repeated failures', {
      failures: this.failures,
      error: reason,
    });
    this.failures = 0;
    this.holding = false;
    await this.client?.query('SELECT pg_advisory_unlock($1)', [HISTORY_LOCK_KEY]).catch(() => this.dropConnection());
  }

  private async prune(client: pg.Client): Promise<number> {
    let total = 0;
    // Bounded per call: a backlog is worked off over several minutes, never in one long stall.
    for (let batch = 0; batch < 10; batch += 1) {
      const deleted = await pruneHistoryBatch(
        client,
        this.options.settings.retentionDays,
        this.options.settings.pruneBatch,
      );
      total += deleted;
      if (deleted < this.options.settings.pruneBatch) break;
    }
    return total;
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    // Through the host list to a primary: advisory locks are per node and not replicated, so
    // only a primary's lock means anything. (primary, not read-write: a session that is
    // read-only by its role's settings is told apart by canWriteHistory and stops competing.)
    const client = await connectClient(
      this.options.connectionString,
      {
        application_name: this.options.applicationName ?? 'frontier-history',
        statement_timeout: 60_000,
        connectionTimeoutMillis: 5_000,
        // A writer whose process froze must not keep the lock: the server notices a dead client.
        keepAlive: true,
      },
      { defaultTargetSessionAttrs: 'primary' },
    );
    client.on('error', (error) => {
      this.outage.markDown(error);
      if (this.client === client) {
        if (this.holding) this.log.info('history writer: this process no longer records the state history');
        this.client = undefined;
        this.writable = undefined;
        this.holding = false;
      }
    });
    this.client = client;
    return client;
  }

  private async dropConnection(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.writable = undefined;
    if (this.holding) this.log.info('history writer: this process no longer records the state history');
    this.holding = false;
    await client?.end().catch(() => {});
  }

  private async run(): Promise<void> {
    while (!this.loop.stopping) {
      const started = Date.now();
      await this.tick();
      await this.loop.sleep(Math.max(0, started + this.options.settings.intervalMs - Date.now()));
    }
  }
}
