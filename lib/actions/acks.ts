import { badRequest } from '../api/errors';
import { parseParams } from '../api/params';
import type { PairKey } from '../api/pair-params';
import { resetIncidentCaches } from '../api/incidents';
import { resetPairCaches } from '../api/pair';
import { resetCurrentAcks } from '../api/current-acks';
import type { Identity } from '../auth/identity';
import { ackBodySchema, type AckBody, type AckResponse } from '../shared/acks';
import { readJsonObject } from './params';
import type { ActionSource } from './run';
import { ackFailure, callActionFunction } from './call';
import { silenceNewAck } from './ack-silence';

export type AckTarget = { incidentId: number } | { pair: PairKey };

export async function parseAckBody(request: Request): Promise<AckBody> {
  return parseParams(ackBodySchema, await readJsonObject(request));
}

/** /api/incidents/{id}/ack: a positive integer id, else 400. */
export function parseIncidentId(raw: string): number {
  if (!/^[1-9]\d{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw badRequest(`the incident id must be a positive integer, got ${JSON.stringify(raw.slice(0, 40))}`);
  return Number(raw);
}

/**
 * Acks an open incident or a problem pair through the write role (action_ack_incident /
 * action_ack_pair of sql/definitions/acknowledgements.sql): the ack and its audit row, one
 * transaction. The read caches are dropped so the next GET shows it.
 */
export async function acknowledge(
  identity: Identity,
  source: ActionSource,
  target: AckTarget,
  body: AckBody,
): Promise<AckResponse> {
  const until = body.until ? new Date(body.until).toISOString() : null;
  const who = [identity.actor, identity.role, source];
  const statement =
    'incidentId' in target
      ? { text: 'SELECT action_ack_incident($1, $2, $3, $4, $5, $6) AS r', values: [...who, target.incidentId] }
      : {
          text: 'SELECT action_ack_pair($1, $2, $3, $4, $5, $6, $7) AS r',
          values: [...who, target.pair.symbol, target.pair.timeframe],
        };
  const result = await callActionFunction(
    { text: statement.text, values: [...statement.values, body.note, until] },
    ackFailure('nothing_to_acknowledge', 'the acknowledgement failed'),
  );
  resetIncidentCaches();
  resetPairCaches();
  resetCurrentAcks();
  const ackId = Number(result.ack_id);
  const silence = await silenceNewAck({
    ackId,
    incidentId: 'incidentId' in target ? target.incidentId : null,
    symbol: 'pair' in target ? target.pair.symbol : null,
    timeframe: 'pair' in target ? target.pair.timeframe : null,
    by: identity.actor,
    note: body.note,
    until,
  });
  return {
    ok: true,
    target: 'incidentId' in target ? `incident/${target.incidentId}` : `${target.pair.symbol}/${target.pair.timeframe}`,
    ackId,
    auditId: Number(result.audit_id),
    ack: { by: identity.actor, note: body.note, at: new Date().toISOString(), until },
    ...(silence ? { silence } : {}),
  };
}
