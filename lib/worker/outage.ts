/**
 * Telling "the database is gone" apart from "this pair's run failed", and logging an outage
 * once instead of once per pair (30,000 pairs would mean 30,000 identical lines).
 */

// SQLSTATE classes and codes that mean the connection or the server, not the statement.
const CONNECTION_SQLSTATES = new Set([
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '3D000', // invalid_catalog_name: the database is not there (yet)
]);
const NODE_NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
]);
// node-postgres reports a lost socket or a connect timeout with plain Error messages.
const PG_CLIENT_MESSAGES = [
  'connection terminated',
  'timeout exceeded when trying to connect',
  'connection timeout',
  'client has encountered a connection error',
  'cannot use a pool after calling end',
];

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True when the error says the database cannot be reached, not that a statement failed. */
export function isConnectionError(error: unknown): boolean {
  const code = errorCode(error);
  if (code && (code.startsWith('08') || CONNECTION_SQLSTATES.has(code) || NODE_NETWORK_CODES.has(code))) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  const message = errorMessage(error).toLowerCase();
  if (PG_CLIENT_MESSAGES.some((fragment) => message.includes(fragment))) return true;
  return error instanceof Error && error.cause !== undefined && isConnectionError(error.cause);
}

export interface OutageLogger {
  warn: (message: string, fields?: Record<string, unknown>) => void;
  info: (message: string, fields?: Record<string, unknown>) => void;
}

/** Remembers whether the database is reachable; logs the first failure and the recovery only. */
export class OutageTracker {
  private since: number | undefined;
  private attempts = 0;

  constructor(private readonly logger: OutageLogger) {}

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
