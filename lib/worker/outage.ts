import { errorCode, errorMessage } from '../server/db-errors';
import type { Logger } from '../server/log';

/**
 * Logging an outage once instead of once per pair (30,000 pairs would mean 30,000 identical
 * lines); which errors are an outage is lib/server/db-errors.ts's to say.
 */

/** Remembers whether the database is reachable; logs the first failure and the recovery only. */
export class OutageTracker {
  private since: number | undefined;
  private attempts = 0;

  constructor(private readonly logger: Pick<Logger, 'info' | 'warn'>) {}

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
      this.logger.warn('database unavailable; pausing passes and reconnecting with backoff', {
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
    this.logger.info('database reachable again; resuming passes', { outage_ms: outageMs, attempts: this.attempts + 1 });
    this.since = undefined;
    this.attempts = 0;
  }
}

/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to maxMs. */
export function backoffDelay(attempt: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, 500 * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.75 + random() * 0.25));
}
