import type { Identity } from '../auth/identity';
import { roleAtLeast } from '../auth/identity';
import { parseParams } from '../api/params';
import { ApiError } from '../shared/api-error';
import { PAIR_ACTION_INFO } from '../shared/actions';
import { bulkBodySchema, type BulkBody, type BulkResponse, type BulkResult } from '../shared/bulk-actions';
import { acknowledge } from './acks';
import { readJsonObject } from './params';
import { checkBody, runPairAction, type ActionSource } from './run';
import { actionsStatus } from './write-pool';

/** 500 pairs of long symbols and a reason fit; more is not a selection. */
export const MAX_BULK_BODY_BYTES = 65_536;

export async function parseBulkBody(request: Request): Promise<BulkBody> {
  return parseParams(bulkBodySchema, await readJsonObject(request, MAX_BULK_BODY_BYTES));
}

/** The role the action needs: the pair page's (an ack: operator). */
export function bulkRole(body: BulkBody) {
  return body.action === 'ack' ? 'operator' : PAIR_ACTION_INFO[body.action].role;
}

function failed(target: string, error: unknown): BulkResult {
  if (error instanceof ApiError) return { target, ok: false, error: { code: error.code, message: error.message } };
  return {
    target,
    ok: false,
    error: { code: 'action_failed', message: error instanceof Error ? error.message : String(error) },
  };
}

/**
 * Runs the action on each pair in turn, through the same functions as the pair page (so each
 * writes its own audit row, failed or not). What is wrong with the whole request (the role, the
 * body's rules, no writable connection) is refused before any pair runs; what goes wrong with one
 * pair (unknown, busy, nothing to acknowledge) is its result, and the next pair runs.
 */
export async function runBulk(identity: Identity, source: ActionSource, body: BulkBody): Promise<BulkResponse> {
  const needed = bulkRole(body);
  if (!roleAtLeast(identity.role, needed))
    throw new ApiError(403, 'forbidden', `this needs the ${needed} role; you have ${identity.role}`);
  const { action, pairs, note, until, ...rest } = body;
  const dryRun = action === 'ack' ? false : checkBody(action, rest);
  const status = await actionsStatus();
  if (!status.writable) throw new ApiError(503, 'actions_unavailable', `actions are disabled: ${status.reason}`);
  const results: BulkResult[] = [];
  for (const key of pairs) {
    const target = `${key.symbol}/${key.timeframe}`;
    try {
      if (action === 'ack') {
        const answer = await acknowledge(identity, source, { pair: key }, { note: note!, until });
        results.push({ target, ok: true, auditId: answer.auditId });
      } else {
        const answer = await runPairAction({ identity, source, key, action, body: rest });
        results.push({ target, ok: true, auditId: answer.auditId, ...(answer.rows ? { rows: answer.rows } : {}) });
      }
    } catch (error) {
      results.push(failed(target, error));
    }
  }
  const ok = results.filter((result) => result.ok).length;
  return { action, dryRun, results, ok, failed: results.length - ok };
}
