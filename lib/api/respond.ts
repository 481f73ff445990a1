import { randomBytes } from 'node:crypto';
import { log } from '../log';
import type { ApiErrorBody } from '../types';
import { ApiError, isDatabaseUnavailable } from './errors';

const NO_STORE = { 'cache-control': 'no-store' };

export function json<T>(body: T, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

/** A body that is already JSON text (serialized once, sent to many). */
export function jsonText(text: string, status = 200): Response {
  return new Response(text, { status, headers: { ...NO_STORE, 'content-type': 'application/json' } });
}

export function errorJson(status: number, code: string, message: string): Response {
  const body: ApiErrorBody = { error: { code, message } };
  return json(body, status);
}

/**
 * Maps any error to `{ error: { code, message } }`. Database and internal errors are logged
 * here in full and answered with a fixed message: no stack, host or SQL text leaves the server.
 */
export function errorResponse(route: string, error: unknown): Response {
  if (error instanceof ApiError) return errorJson(error.status, error.code, error.message);
  const detail = error instanceof Error
    ? { error: error.message, code: 'code' in error ? error.code : undefined }
    : { error: String(error) };
  if (isDatabaseUnavailable(error)) {
    log.warn('database unavailable', { route, ...detail });
    return errorJson(503, 'db_unavailable', 'the database is unavailable; try again shortly');
  }
  const ref = randomBytes(4).toString('hex');
  log.error('request failed', { route, ref, ...detail, stack: error instanceof Error ? error.stack : undefined });
  return errorJson(500, 'internal', `internal error (ref ${ref}); see the server log`);
}

/** The one try/catch of every route handler. */
export async function handle(route: string, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    return errorResponse(route, error);
  }
}
