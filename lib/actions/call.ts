import { ApiError } from '../shared/api-error';
import { getWritePool } from '../server/write-db';
import { actionsStatus } from './write-pool';

/**
 * One call of an action function through the write role, as every write route makes it: refused
 * with 503 when the dashboard cannot write; the function's own argument checks (it raises and
 * writes no row) as 400 / 403; a logged failure (`ok: false` in its answer, the audit row
 * written) through `failure`, which maps its SQLSTATE to the route's answer.
 */
export async function callActionFunction(
  statement: { text: string; values: unknown[] },
  failure: (result: Record<string, unknown>) => ApiError,
): Promise<Record<string, unknown>> {
  const status = await actionsStatus();
  if (!status.writable) throw new ApiError(503, 'actions_unavailable', `actions are disabled: ${status.reason}`);
  let result: Record<string, unknown>;
  try {
    result = (await getWritePool().query<{ r: Record<string, unknown> }>(statement.text, statement.values)).rows[0]!.r;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === '22023') throw new ApiError(400, 'bad_request', message, { cause: error });
    if (code === '42501') throw new ApiError(403, 'forbidden', message, { cause: error });
    throw error;
  }
  if (result.ok !== true) throw failure(result);
  return result;
}

/** The failure of an ack or a withdrawal: 404 for an unknown target, 409 `nothing` when there is nothing to do. */
export function ackFailure(nothing: string, fallback: string) {
  return (result: Record<string, unknown>): ApiError => {
    const message = typeof result.error === 'string' ? result.error : fallback;
    if (result.sqlstate === 'P0002') return new ApiError(404, 'not_found', message);
    if (result.sqlstate === '55000') return new ApiError(409, nothing, message);
    return new ApiError(409, 'action_failed', message);
  };
}
