/**
 * The one classifier of database errors: "the database cannot be reached" apart from "this
 * statement failed". The worker pauses its passes on the first (and logs the outage once); the
 * API answers 503 to unreachable, read_only and busy.
 *
 * read_only (SQLSTATE 25006): the node this connection is on is a standby now (a failover) or
 * read-only. For what writes (the worker, the history writer) that is an outage of the write
 * connection, like unreachable: nothing is recorded against the pair, and it reconnects through
 * the host list (lib/server/connect.ts) until a primary answers. For the API it means a write
 * reached a read-only node: unavailable (503), not a bug (500).
 */

export type DatabaseErrorKind = 'unreachable' | 'read_only' | 'busy' | 'statement';

/** lib/server/connect.ts: no host of the list accepted a connection with the wanted target_session_attrs. */
export const NO_SUITABLE_HOST = 'FRONTIER_NO_SUITABLE_HOST';
/** lib/server/connect.ts: a host answered, but its session did not suit target_session_attrs. */
export const SESSION_MISMATCH = 'FRONTIER_SESSION_MISMATCH';

// SQLSTATEs: 08 connection exception, 28 authorization, 3D000 no such database (yet), 53300 too
// many connections, 57P01-03 shutdown / crash / cannot connect now.
const UNREACHABLE_SQLSTATE = /^(08|28|3D000$|53300$|57P0[123]$)/;
// 57014 statement timeout: the server is too busy to answer in time. A caller sees the database
// as unavailable; for the worker it is that pair's run that failed (it may be too long).
// 40001 and 40P01 also: on a standby, "canceling statement due to conflict with recovery" once
// replay resumes; a transient, answered 503 and tried again, never cached as an outage.
const BUSY_SQLSTATES = new Set(['57014', '40001', '40P01']);
const READ_ONLY_SQLSTATE = '25006';
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
  if (code === NO_SUITABLE_HOST || code === SESSION_MISMATCH) {
    // Every host refused or none suited: read_only when some answered, but only as a standby.
    const inner = error instanceof AggregateError ? error.errors.map((e) => classifyDatabaseError(e, depth + 1)) : [];
    return inner.length > 0 && inner.every((kind) => kind === 'read_only') ? 'read_only' : 'unreachable';
  }
  if (NODE_NETWORK_CODES.has(code) || UNREACHABLE_SQLSTATE.test(code)) return 'unreachable';
  if (code === READ_ONLY_SQLSTATE) return 'read_only';
  if (BUSY_SQLSTATES.has(code)) return 'busy';
  const message = errorMessage(error).toLowerCase();
  if (PG_CLIENT_MESSAGES.some((fragment) => message.includes(fragment))) return 'unreachable';
  const inner = [
    ...(error instanceof AggregateError ? error.errors : []),
    ...('cause' in error && error.cause !== undefined ? [error.cause] : []),
  ].map((cause) => classifyDatabaseError(cause, depth + 1));
  for (const kind of ['unreachable', 'read_only', 'busy'] as const) if (inner.includes(kind)) return kind;
  return 'statement';
}

/** True when the database cannot be reached: an outage of the connection, not a failed statement. */
export function isConnectionError(error: unknown): boolean {
  return classifyDatabaseError(error) === 'unreachable';
}

/**
 * True when a connection that writes has lost its database: unreachable, or on a node that is
 * read-only now. The worker and the history writer treat it as an outage, never as a failed run.
 */
export function isWriteOutage(error: unknown): boolean {
  const kind = classifyDatabaseError(error);
  return kind === 'unreachable' || kind === 'read_only';
}

/** True when a caller should be told the database is unavailable (unreachable or too busy). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return classifyDatabaseError(error) !== 'statement';
}
