import type { Identity } from '../auth/identity';
import { badRequest } from '../api/errors';
import { ApiError } from '../shared/api-error';
import {
  PAIR_ACTION_INFO,
  type CursorChange,
  type PairAction,
  type PairActionBody,
  type PairActionResponse,
} from '../shared/actions';
import type { PairKey } from '../api/pair-params';
import { callActionFunction } from './call';

export type ActionSource = 'ui' | 'api' | 'ops';

export interface PairActionRequest {
  identity: Identity;
  source: ActionSource;
  key: PairKey;
  action: PairAction;
  body: PairActionBody;
}

/** What each action sends to its function (sql/definitions/operator_pair_actions.sql). */
function statement(request: PairActionRequest, dryRun: boolean): { text: string; values: unknown[] } {
  const { identity, source, key, action, body } = request;
  const who = [identity.actor, identity.role, source, key.symbol, key.timeframe];
  const reason = body.reason?.trim() || null;
  switch (action) {
    case 'retry':
      return { text: 'SELECT action_retry_pair($1, $2, $3, $4, $5, $6) AS r', values: [...who, reason] };
    case 'enable':
    case 'disable':
      return {
        text: 'SELECT action_set_pair_enabled($1, $2, $3, $4, $5, $6, $7) AS r',
        values: [...who, action === 'enable', reason],
      };
    case 'bootstrap':
      return {
        text: 'SELECT action_bootstrap_pair($1, $2, $3, $4, $5, $6, $7) AS r',
        values: [...who, dryRun, reason],
      };
    case 'reset':
      return { text: 'SELECT action_reset_pair($1, $2, $3, $4, $5, $6, $7) AS r', values: [...who, dryRun, reason] };
    case 'repair':
      return {
        text: 'SELECT action_repair_range($1, $2, $3, $4, $5, $6, $7, $8, $9) AS r',
        values: [...who, body.from, body.to, dryRun, reason],
      };
  }
}

/** The rules the body must follow beyond its shape (its dry run or not); the functions check them again. */
export function checkBody(action: PairAction, body: PairActionBody): boolean {
  const info = PAIR_ACTION_INFO[action];
  if (!info.destructive && body.dryRun === true)
    throw badRequest(`${action} has no dry run: it changes one flag and says what it was`);
  if (action !== 'repair' && (body.from !== undefined || body.to !== undefined))
    throw badRequest(`from and to belong to repair only, not ${action}`);
  if (action === 'repair') {
    if (body.from === undefined || body.to === undefined) throw badRequest('repair needs from and to (ISO times)');
    if (Date.parse(body.from) >= Date.parse(body.to)) throw badRequest('from must be before to');
  }
  // A destructive action looks first unless told to apply.
  const dryRun = info.destructive ? (body.dryRun ?? true) : false;
  if (info.destructive && !dryRun && !body.reason?.trim())
    throw badRequest(`${action} needs a reason to apply (a dry run needs none)`);
  return dryRun;
}

/** A failed action's SQLSTATE as the HTTP answer: the caller's mistake, a conflict, or ours. */
function failure(result: Record<string, unknown>): ApiError {
  const message = typeof result.error === 'string' ? result.error : 'the action failed';
  switch (result.sqlstate) {
    case 'P0002': // no_data_found: the pair (or its source) is not there
      return new ApiError(404, 'not_found', message);
    case '22023': // invalid_parameter_value
    case '22007':
    case '22008':
      return new ApiError(400, 'bad_request', message);
    case '55P03': // lock_not_available: the worker holds the pair
      return new ApiError(409, 'busy', `${message}: the worker is running this pair; try again in a moment`);
    default:
      return new ApiError(409, 'action_failed', message);
  }
}

/** Runs one action through the write role; the function writes its audit row either way. */
export async function runPairAction(request: PairActionRequest): Promise<PairActionResponse> {
  const dryRun = checkBody(request.action, request.body);
  const result = await callActionFunction(statement(request, dryRun), failure);
  return {
    ok: true,
    action: request.action,
    target: `${request.key.symbol}/${request.key.timeframe}`,
    dryRun,
    auditId: Number(result.audit_id),
    ...(Array.isArray(result.rows) ? { rows: result.rows as CursorChange[] } : {}),
    result,
  };
}

/** 'ui' for the dashboard's own pages (a browser's same-origin fetch), 'api' for anything else. */
export function requestSource(request: Request): ActionSource {
  return request.headers.get('sec-fetch-site') === 'same-origin' ? 'ui' : 'api';
}
