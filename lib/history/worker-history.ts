import type pg from 'pg';
import type { Env } from '../server/env';
import { thresholdsFromConfig } from '../health/rules';
import { observeWithPool } from './observe';
import { historySettingsFromEnv } from './settings';
import { silenceStep } from './silences';
import { startHistoryWriter } from './start';
import type { HistoryWriter } from './writer';

/** A worker process's history writer candidate, observing on the worker's pool. */
export function startWorkerHistory(url: string, pool: pg.Pool, config: Env): Promise<HistoryWriter | undefined> {
  return startHistoryWriter({
    connectionString: url,
    observe: observeWithPool(pool, thresholdsFromConfig(config)),
    settings: historySettingsFromEnv(config),
    processKind: 'worker',
    afterEvaluation: silenceStep(config),
  });
}
