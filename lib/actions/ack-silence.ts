import { AlertmanagerError, expireSilence, postSilence } from '../alertmanager/client';
import { ackMatchers, silenceSpec, type AckScope } from '../alertmanager/scope';
import { query } from '../server/db';
import { env } from '../server/env';
import { log } from '../server/log';
import { getWritePool } from '../server/write-db';
import type { AckSilence } from '../shared/acks';

/**
 * The ack routes' side of an ack's Alertmanager silence (docs/ACTIONS.md "The silence"). The
 * ack has landed before any of this runs: Alertmanager down or refusing never fails it. What
 * happened is stored through ack_silence_record (granted to the write role) and answered; a
 * failure is retried by the history writer's reconciler (lib/alertmanager/reconcile.ts).
 */

async function store(
  ackId: number,
  state: 'active' | 'failed' | 'expired',
  silenceId: string | null,
  error: string | null,
  endsAt: string | null,
): Promise<boolean> {
  const { rows } = await getWritePool().query<{ stored: boolean }>(
    'SELECT ack_silence_record($1, $2, $3, $4, $5) AS stored',
    [ackId, state, silenceId, error, endsAt],
  );
  return rows[0]!.stored;
}

/** What an incident's ack silences depends on the incident: read it (the read pool may). */
async function incidentOf(incidentId: number): Promise<AckScope['incident']> {
  const rows = await query<{ scope: string; state: string; symbol: string | null }>(
    'ack-incident-scope',
    'SELECT scope, state, symbol FROM incidents WHERE incident_id = $1',
    [incidentId],
  );
  return rows[0] ?? null;
}

/** Creates the silence of a new ack; undefined without ALERTMANAGER_URL. Never throws. */
export async function silenceNewAck(
  ack: Omit<AckScope, 'incident'> & { by: string; note: string; until: string | null },
): Promise<AckSilence | undefined> {
  const config = env();
  if (!config.ALERTMANAGER_URL) return undefined;
  try {
    const scope = {
      ...ack,
      incident: ack.incidentId === null ? null : await incidentOf(ack.incidentId),
    };
    const matchers = ackMatchers(scope);
    if (!matchers) throw new AlertmanagerError(`incident ${ack.incidentId} is not there to silence`);
    const until = ack.until ? new Date(ack.until) : null;
    const spec = silenceSpec({ ...scope, until }, matchers, new Date(), config.DASHBOARD_URL);
    let id: string;
    try {
      id = await postSilence(config.ALERTMANAGER_URL, spec);
    } catch (error) {
      if (!(error instanceof AlertmanagerError)) throw error;
      await store(ack.ackId, 'failed', null, error.message, null);
      log.warn('ack: the Alertmanager silence failed; the reconciler retries it', {
        ack_id: ack.ackId,
        error: error.message,
      });
      return { state: 'failed', error: error.message };
    }
    let stored: boolean;
    try {
      stored = await store(ack.ackId, 'active', id, null, spec.endsAt);
    } catch (error) {
      // Not stored (the role may lack ack_silence_record): a silence nobody would expire must
      // not stay. The ack keeps no id, so the reconciler makes one it can store.
      await expireSilence(config.ALERTMANAGER_URL, id).catch(() => undefined);
      throw error;
    }
    if (stored) return { state: 'active', id };
    // The reconciler silenced this ack meanwhile: one silence is enough.
    await expireSilence(config.ALERTMANAGER_URL, id);
    return { state: 'active' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn('ack: could not silence it in Alertmanager', { ack_id: ack.ackId, error: message });
    return { state: 'failed', error: message };
  }
}

/** Expires a withdrawn ack's silence at once; undefined without one (or without ALERTMANAGER_URL). */
export async function expireWithdrawnSilence(ackId: number, silenceId: string | null): Promise<AckSilence | undefined> {
  const url = env().ALERTMANAGER_URL;
  if (!url || !silenceId) return undefined;
  try {
    await expireSilence(url, silenceId);
    await store(ackId, 'expired', silenceId, null, null);
    return { state: 'expired', id: silenceId };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn('unack: could not expire the silence; the reconciler retries it', { ack_id: ackId, error: message });
    return { state: 'failed', error: message };
  }
}
