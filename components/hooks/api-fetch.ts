import '@/lib/shared/zod-config';
import type { z } from 'zod';
import { ApiError } from '@/lib/shared/api-error';
import { GENERATED_AT_HEADER } from '@/lib/health/clock';
import { REQUEST_TIMEOUT_MS } from '@/components/hooks/polling';
import { apiErrorSchema } from './api-schemas';

/** The sentence a person sees for a failed poll. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    // The API's message for this one is generic; say what it means here.
    if (error.code === 'db_unavailable') return 'The database is unavailable (the API answered 503)';
    return error.message;
  }
  return error instanceof Error ? error.message : 'Unknown error';
}

/** AbortSignal.any where the browser has it (wall displays run old browsers for years). */
function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([a, b]);
  const controller = new AbortController();
  const abort = (source: AbortSignal) => () => controller.abort(source.reason);
  if (a.aborted || b.aborted) controller.abort((a.aborted ? a : b).reason);
  a.addEventListener('abort', abort(a), { once: true, signal: controller.signal });
  b.addEventListener('abort', abort(b), { once: true, signal: controller.signal });
  return controller.signal;
}

/** The request itself, with REQUEST_TIMEOUT_MS and the failures a person can act on. */
async function send(path: string, signal: AbortSignal | undefined, headers: Record<string, string>): Promise<Response> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const combined = signal ? anySignal(signal, timeout) : timeout;
  try {
    return await fetch(path, {
      signal: combined,
      cache: 'no-store',
      headers: { accept: 'application/json', ...headers },
    });
  } catch (error) {
    if (signal?.aborted) throw error; // react-query cancelled it; not a failure to report
    if (timeout.aborted) {
      throw new ApiError(0, 'timeout', `No answer from the server within ${REQUEST_TIMEOUT_MS / 1000} s`, {
        cause: error,
      });
    }
    throw new ApiError(0, 'network', 'Cannot reach the dashboard server (network down?)', { cause: error });
  }
}

async function parse<T>(response: Response, path: string, schema: z.ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new ApiError(response.status, 'bad_response', `HTTP ${response.status} from ${path} was not JSON`, {
      cause: error,
    });
  }

  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(body);
    if (parsed.success) throw new ApiError(response.status, parsed.data.error.code, parsed.data.error.message);
    throw new ApiError(response.status, `http_${response.status}`, `HTTP ${response.status} from ${path}`);
  }

  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'shape mismatch';
    throw new ApiError(response.status, 'bad_response', `Unexpected answer from ${path} (${where})`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/**
 * GETs a JSON resource of the API and checks it against its schema. A request that hangs is
 * abandoned after REQUEST_TIMEOUT_MS so that a dead network cannot freeze the polling.
 */
export async function fetchJson<T>(path: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
  return parse(await send(path, signal, {}), path, schema);
}

export type Conditional<T> =
  | { changed: true; data: T; etag: string | null; generatedAt: string | null }
  | { changed: false; etag: string; generatedAt: string };

/**
 * fetchJson with If-None-Match: a 304 comes back as `changed: false` with the time of the
 * server's snapshot that confirmed the copy (lib/health/clock.ts), and no body to parse.
 */
export async function fetchJsonIfChanged<T>(
  path: string,
  schema: z.ZodType<T>,
  etag: string | null,
  signal?: AbortSignal,
): Promise<Conditional<T>> {
  const response = await send(path, signal, etag ? { 'if-none-match': etag } : {});
  const generatedAt = response.headers.get(GENERATED_AT_HEADER);
  if (response.status === 304 && etag && generatedAt) {
    await response.arrayBuffer(); // empty; read to its end so the request completes rather than being cancelled
    return { changed: false, etag, generatedAt };
  }
  return { changed: true, data: await parse(response, path, schema), etag: response.headers.get('etag'), generatedAt };
}

/** `/api/pairs/EUR%2FUSD/5m` — symbols may contain characters that are not path-safe. */
export function pairPath(symbol: string, timeframe: string): string {
  return `/api/pairs/${encodeURIComponent(symbol)}/${encodeURIComponent(timeframe)}`;
}
