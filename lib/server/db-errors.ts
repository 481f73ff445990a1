/**
 * The one classifier of database errors: "the database cannot be reached" apart from "this
 * statement failed". The worker pauses its passes on the first (and logs the outage once); the
 * API answers 503 to both unreachable and busy.
 */

export type DatabaseErrorKind = 'unreachable' | 'busy' | 'statement';

// SQLSTATEs: 08 connection exception, 28 authorization, 3D000 no such database (yet), 53300 too
// many connections, 57P01-03 shutdown / crash / cannot connect now.
const UNREACHABLE_SQLSTATE = /^(08|28|3D000$|53300$|57P0[123]$)/;
// 57014 statement timeout: the server is too busy to answer in time. A caller sees the database
// as unavailable; for the worker it is that pair's run that failed (it may be too long).
const BUSY_SQLSTATE = '57014';
const NODE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
// node-postgres reports a lost socket or a connect timeout with plain Error messages.
const PG_CLIENT_MESSAGES = [
  'connection terminated',
  'timeout exceeded when trying to connect',
  'connection timeout',
  'client has encountered a connection error',
  'cannot use a pool after calling end',
  'database_url is not set',
];

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What an error (or its cause, or one of an AggregateError's errors) says about the database. */
export function classifyDatabaseError(error: unknown, depth = 0): DatabaseErrorKind {
  if (depth > 5 || error === null || typeof error !== 'object') return 'statement';
  const code = errorCode(error) ?? '';
  if (NODE_NETWORK_CODES.has(code) || UNREACHABLE_SQLSTATE.test(code)) return 'unreachable';
  if (code === BUSY_SQLSTATE) return 'busy';
  const message = errorMessage(error).toLowerCase();
  if (PG_CLIENT_MESSAGES.some((fragment) => message.includes(fragment))) return 'unreachable';
  const inner = [
    ...(error instanceof AggregateError ? error.errors : []),
    ...('cause' in error && error.cause !== undefined ? [error.cause] : []),
  ].map((cause) => classifyDatabaseError(cause, depth + 1));
  return inner.includes('unreachable') ? 'unreachable' : inner.includes('busy') ? 'busy' : 'statement';
}

/** True when the database cannot be reached: an outage of the connection, not a failed statement. */
export function isConnectionError(error: unknown): boolean {
  return classifyDatabaseError(error) === 'unreachable';
}

/** True when a caller should be told the database is unavailable (unreachable or too busy). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return classifyDatabaseError(error) !== 'statement';
}
