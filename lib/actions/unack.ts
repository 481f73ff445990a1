import { withdrawBodySchema, type WithdrawBody, type WithdrawResponse } from '../shared/acks';
import type { Identity } from '../auth/identity';
import { parseParams } from '../api/params';
import { resetIncidentCaches } from '../api/incidents';
import { resetPairCaches } from '../api/pair';
import { resetCurrentAcks } from '../api/current-acks';
import { expireWithdrawnSilence } from './ack-silence';
import type { AckTarget } from './acks';
import { readJsonObject } from './params';
import type { ActionSource } from './run';
import { ackFailure, callActionFunction } from './call';

export async function parseWithdrawBody(request: Request): Promise<WithdrawBody> {
  return parseParams(withdrawBodySchema, await readJsonObject(request));
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
  const who = [identity.actor, identity.role, source];
  const reason = body.reason && body.reason !== '' ? body.reason : null;
  const statement =
    'incidentId' in target
      ? { text: 'SELECT action_unack_incident($1, $2, $3, $4, $5) AS r', values: [...who, target.incidentId, reason] }
      : {
          text: 'SELECT action_unack_pair($1, $2, $3, $4, $5, $6) AS r',
          values: [...who, target.pair.symbol, target.pair.timeframe, reason],
        };
  const result = await callActionFunction(statement, ackFailure('nothing_to_withdraw', 'the withdrawal failed'));
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
