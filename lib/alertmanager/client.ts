/**
 * Alertmanager's v2 API, only what an acknowledgement needs: create (or extend) a silence and
 * expire one. Every call is bounded; a failure throws AlertmanagerError with what was said.
 */

export interface Matcher {
  name: string;
  value: string;
  isRegex: false;
  isEqual: true;
}

export interface SilenceSpec {
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  /** set to update (extend) a silence; Alertmanager may answer with a new id */
  id?: string;
}

export class AlertmanagerError extends Error {}

const TIMEOUT_MS = 3_000;

export const matcher = (name: string, value: string): Matcher => ({ name, value, isRegex: false, isEqual: true });

async function call(base: string, path: string, init: RequestInit): Promise<Response> {
  const url = `${base.replace(/\/+$/, '')}${path}`;
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
  } catch (error) {
    const reason =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new AlertmanagerError(`Alertmanager at ${base} did not answer: ${reason}`, { cause: error });
  }
}

async function refusal(response: Response, what: string): Promise<AlertmanagerError> {
  const text = (await response.text().catch(() => '')).trim().slice(0, 300);
  return new AlertmanagerError(`Alertmanager refused ${what}: HTTP ${response.status}${text ? ` ${text}` : ''}`);
}

/** POST /api/v2/silences: the silence's id (a new one, or the same when extended in place). */
export async function postSilence(base: string, spec: SilenceSpec): Promise<string> {
  const response = await call(base, '/api/v2/silences', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  if (!response.ok) throw await refusal(response, 'the silence');
  const body = (await response.json().catch(() => ({}))) as { silenceID?: unknown };
  if (typeof body.silenceID !== 'string' || body.silenceID === '')
    throw new AlertmanagerError('Alertmanager answered the silence without a silenceID');
  return body.silenceID;
}

/**
 * DELETE /api/v2/silence/{id}. A silence that is already expired or gone (expired by hand,
 * garbage-collected) is what was wanted: 'gone', not an error.
 */
export async function expireSilence(base: string, id: string): Promise<'expired' | 'gone'> {
  const path = `/api/v2/silence/${encodeURIComponent(id)}`;
  const response = await call(base, path, { method: 'DELETE' });
  if (response.ok) return 'expired';
  const failure = await refusal(response, `to expire silence ${id}`);
  const check = await call(base, path, { method: 'GET' });
  if (check.status === 404) return 'gone';
  if (check.ok) {
    const silence = (await check.json().catch(() => ({}))) as { status?: { state?: unknown } };
    if (silence.status?.state === 'expired') return 'gone';
  }
  throw failure;
}
