import { getHealthSnapshot } from '../api/snapshot';
import { env } from '../server/env';
import { log } from '../server/log';
import { historySettingsFromEnv } from './settings';
import { startHistoryWriter } from './start';
import { observedFrom } from './statements';

/**
 * The dashboard process as a history writer candidate (called once from instrumentation.ts).
 * It observes through the API's own snapshot, so it adds no read of its own; it only writes
 * when its database role may (db/roles/dashboard-readonly.sql's role may not: then a worker
 * writes). Never throws: the dashboard serves whether or not it writes history.
 */
export async function startDashboardHistory(): Promise<void> {
  try {
    const config = env();
    if (!config.DATABASE_URL) return;
    await startHistoryWriter({
      connectionString: config.DATABASE_URL,
      observe: async () => observedFrom((await getHealthSnapshot()).rows),
      settings: historySettingsFromEnv(config),
      processKind: 'dashboard',
    });
  } catch (error) {
    log.error('history writer could not start in the dashboard', {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
