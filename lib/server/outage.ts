import { errorCode, errorMessage } from './db-errors';
import type { Logger } from './log';

/**
 * Logging an outage once instead of once per pair (30,000 pairs would mean 30,000 identical
 * lines), or once per interval; which errors are an outage is lib/server/db-errors.ts's to say.
 * The worker and the history writer each keep one.
 */

export interface OutageMessages {
  down: string;
  up: string;
}

const WORKER_MESSAGES: OutageMessages = {
  down: 'database unavailable; pausing passes and reconnecting with backoff',
  up: 'database reachable again; resuming passes',
};

/** Remembers whether the database is reachable; logs the first failure and the recovery only. */
export class OutageTracker {
  private since: number | undefined;
  private attempts = 0;

  constructor(
    private readonly logger: Pick<Logger, 'info' | 'warn'>,
    private readonly messages: OutageMessages = WORKER_MESSAGES,
  ) {}

  get down(): boolean {
    return this.since !== undefined;
  }

  /** Consecutive failed reconnection attempts in the current outage. */
  get failedAttempts(): number {
    return this.attempts;
  }

  markDown(error: unknown): void {
    if (this.since === undefined) {
      this.since = Date.now();
      this.attempts = 0;
      this.logger.warn(this.messages.down, {
        error: errorMessage(error),
        code: errorCode(error),
      });
    } else {
      this.attempts += 1;
    }
  }

  markUp(): void {
    if (this.since === undefined) return;
    const outageMs = Date.now() - this.since;
    this.logger.info(this.messages.up, { outage_ms: outageMs, attempts: this.attempts + 1 });
    this.since = undefined;
    this.attempts = 0;
  }
}

/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to maxMs. */
export function backoffDelay(attempt: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, 500 * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.75 + random() * 0.25));
}
