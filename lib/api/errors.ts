import { ApiError } from '../api-error';

export { ApiError };

export const badRequest = (message: string) => new ApiError(400, 'bad_request', message);
export const notFound = (message: string) => new ApiError(404, 'not_found', message);

/** Quotes a caller's value in a message, shortened: error bodies must stay small. */
export function quoted(value: string, max = 40): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

// Node socket errors that mean "cannot reach the server".
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
]);
// SQLSTATEs: 08 connection exception, 28 authorization, 3D000 no such database, 53300 too many
// connections, 57P01-03 shutdown / cannot connect now, 57014 statement timeout (the server is
// too busy to answer in time: from the caller's side the database is not available).
const SQLSTATE_UNAVAILABLE = /^(08|28|3D000$|53300$|57P0[123]$|57014$)/;
const MESSAGE_UNAVAILABLE = /timeout exceeded when trying to connect|Connection terminated|connection timeout|DATABASE_URL is not set/i;

/** True when an error (or its cause, or one of an AggregateError's errors) means the database is unreachable. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || error === null || typeof error !== 'object') return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (NETWORK_CODES.has(code) || SQLSTATE_UNAVAILABLE.test(code)) return true;
  if (error instanceof Error && MESSAGE_UNAVAILABLE.test(error.message)) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return 'cause' in error && isDatabaseUnavailable(error.cause, depth + 1);
}
