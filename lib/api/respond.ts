import { randomBytes } from 'node:crypto';
import { GENERATED_AT_HEADER } from '../health/clock';
import { log } from '../server/log';
import type { ApiErrorBody } from '../shared/types';
import { isDatabaseUnavailable } from '../server/db-errors';
import { ApiError } from '../shared/api-error';

const NO_STORE = { 'cache-control': 'no-store' };
/**
 * Says an answer is the same for every authorised user (made from the snapshot, never from the
 * request's identity): the only answers a shared cache may store (deploy/nginx). Browsers
 * still get no-store.
 */
export const SHARED_ANSWER = { 'x-frontier-cache': 'shared' };

export function json<T>(body: T, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

/** A body that is already JSON text (serialized once, sent to many). */
export function jsonText(text: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { ...NO_STORE, 'content-type': 'application/json', ...headers } });
}

/**
 * Does the request's If-None-Match name this ETag (RFC 9110 §13.1.2: a list, weak
 * comparison, or "*")? The clients that send one are the dashboard's own pages.
 */
function matchesIfNoneMatch(request: Request, etag: string): boolean {
  const header = request.headers.get('if-none-match');
  if (!header) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === strip(etag));
}

/**
 * A JSON answer with an ETag and the time of the snapshot behind it (GENERATED_AT_HEADER):
 * 304 with no body when the request's If-None-Match names the ETag (the body is then never
 * made), else 200 with the body.
 */
export function conditionalJsonText(
  request: Request,
  answer: { etag: string; generatedAt: string; json: () => string },
): Response {
  const headers = { ...SHARED_ANSWER, etag: answer.etag, [GENERATED_AT_HEADER]: answer.generatedAt };
  if (matchesIfNoneMatch(request, answer.etag))
    return new Response(null, { status: 304, headers: { ...NO_STORE, ...headers } });
  return jsonText(answer.json(), 200, headers);
}

/**
 * An answer made once and sent to many: 304 when If-None-Match names its ETag, else its JSON
 * text. (Next.js drops a route handler's Content-Encoding header — FORBIDDEN_HEADERS in
 * next/dist/server/send-response.js — so the text is gzipped by Next.js per response; the
 * overview's answers are windows of a few tens of kB, where that costs well under a millisecond.)
 */
export function cachedJsonAnswer(
  request: Request,
  answer: { etag: string; generatedAt: string; text: string },
): Response {
  const headers = { ...NO_STORE, ...SHARED_ANSWER, etag: answer.etag, [GENERATED_AT_HEADER]: answer.generatedAt };
  if (matchesIfNoneMatch(request, answer.etag)) return new Response(null, { status: 304, headers });
  return jsonText(answer.text, 200, headers);
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
  const detail =
    error instanceof Error
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
