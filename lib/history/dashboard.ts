import type pg from 'pg';
import { getHealthSnapshot } from '../api/snapshot';
import { thresholdsFromConfig } from '../health/rules';
import { env } from '../server/env';
import { log } from '../server/log';
import { observeOn } from './observe';
import { historySettingsFromEnv } from './settings';
import { silenceStep } from './silences';
import { startHistoryWriter } from './start';
import { observedFrom, type ObservedStates } from './statements';

/**
 * The dashboard process as a history writer candidate (called once from instrumentation.ts).
 * It only writes when its database role may (db/roles/dashboard-readonly.sql's role may not: then
 * a worker writes). Never throws: the dashboard serves whether or not it writes history.
 */
export async function startDashboardHistory(): Promise<void> {
  try {
    const config = env();
    if (!config.DATABASE_URL) return;
    await startHistoryWriter({
      connectionString: config.DATABASE_URL,
      observe: dashboardObserver(Boolean(config.DATABASE_READ_URL), thresholdsFromConfig(config)),
      settings: historySettingsFromEnv(config),
      processKind: 'dashboard',
      afterEvaluation: silenceStep(config),
    });
  } catch (error) {
    log.error('history writer could not start in the dashboard', {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/**
 * What the dashboard's writer records. The primary's history must never hold states derived from a
 * replica's older data: when the API's snapshot was read on a primary (no DATABASE_READ_URL, and the
 * node answered as a primary) the writer reuses it and adds no read of its own; otherwise it reads
 * the pairs on its own connection, which is on the primary (it holds the advisory lock there).
 */
export function dashboardObserver(
  readsGoToReplica: boolean,
  thresholds: ReturnType<typeof thresholdsFromConfig>,
): (client: pg.ClientBase) => Promise<ObservedStates> {
  return async (client) => {
    if (!readsGoToReplica) {
      const snapshot = await getHealthSnapshot();
      if (snapshot.replication.role === 'primary') return observedFrom(snapshot.rows);
    }
    return observeOn(client, thresholds);
  };
}
