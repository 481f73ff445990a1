import { ApiError } from '../shared/api-error';
import { withdrawBodySchema, type WithdrawBody, type WithdrawResponse } from '../shared/acks';
import type { Identity } from '../auth/identity';
import { parseParams } from '../api/params';
import { resetIncidentCaches } from '../api/incidents';
import { resetPairCaches } from '../api/pair';
import { resetCurrentAcks } from '../api/current-acks';
import { getWritePool } from '../server/write-db';
import { expireWithdrawnSilence } from './ack-silence';
import type { AckTarget } from './acks';
import { readJsonObject } from './params';
import type { ActionSource } from './run';
import { actionsStatus } from './write-pool';

export async function parseWithdrawBody(request: Request): Promise<WithdrawBody> {
  return parseParams(withdrawBodySchema, await readJsonObject(request));
}

function failure(result: Record<string, unknown>): ApiError {
  const message = typeof result.error === 'string' ? result.error : 'the withdrawal failed';
  if (result.sqlstate === 'P0002') return new ApiError(404, 'not_found', message);
  if (result.sqlstate === '55000') return new ApiError(409, 'nothing_to_withdraw', message);
  return new ApiError(409, 'action_failed', message);
}

/**
 * Withdraws the current ack of an incident or a pair (DELETE …/ack): action_unack_incident /
 * action_unack_pair end it ('withdrawn') with one audit row, then its Alertmanager silence is
 * expired at once (a failure there is answered and retried by the reconciler).
 */
export async function withdrawAck(
  identity: Identity,
  source: ActionSource,
  target: AckTarget,
  body: WithdrawBody,
): Promise<WithdrawResponse> {
  const status = await actionsStatus();
  if (!status.writable) throw new ApiError(503, 'actions_unavailable', `actions are disabled: ${status.reason}`);
  const who = [identity.actor, identity.role, source];
  const reason = body.reason && body.reason !== '' ? body.reason : null;
  const statement =
    'incidentId' in target
      ? { text: 'SELECT action_unack_incident($1, $2, $3, $4, $5) AS r', values: [...who, target.incidentId, reason] }
      : {
          text: 'SELECT action_unack_pair($1, $2, $3, $4, $5, $6) AS r',
          values: [...who, target.pair.symbol, target.pair.timeframe, reason],
        };
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
  resetIncidentCaches();
  resetPairCaches();
  resetCurrentAcks();
  const ackId = Number(result.ack_id);
  const silenceId = typeof result.silence_id === 'string' ? result.silence_id : null;
  const silence = await expireWithdrawnSilence(ackId, silenceId);
  return {
    ok: true,
    target: 'incidentId' in target ? `incident/${target.incidentId}` : `${target.pair.symbol}/${target.pair.timeframe}`,
    ackId,
    auditId: Number(result.audit_id),
    ...(silence ? { silence } : {}),
  };
}
