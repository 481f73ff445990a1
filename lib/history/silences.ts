import type pg from 'pg';
import { reconcileSilences } from '../alertmanager/reconcile';
import type { Env } from '../server/env';
import { log } from '../server/log';

/**
 * The history writer's step for acks' Alertmanager silences, when ALERTMANAGER_URL is set
 * (docs/ACTIONS.md "The silence"); undefined otherwise. Logs what it changed, when it did.
 */
export function silenceStep(config: Env): ((client: pg.ClientBase) => Promise<void>) | undefined {
  const alertmanagerUrl = config.ALERTMANAGER_URL;
  if (!alertmanagerUrl) return undefined;
  return async (client) => {
    const result = await reconcileSilences(client, { alertmanagerUrl, dashboardUrl: config.DASHBOARD_URL, log });
    if (Object.values(result).some((count) => count > 0)) log.info('ack silences reconciled', { ...result });
  };
}
