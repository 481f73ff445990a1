import type pg from 'pg';
import { derivePairHealth } from '../health/rules';
import { FRONTIER_SELECT, marketParser, policyParser, toFrontierRow, type FrontierDbRow } from '../queries/frontier';
import type { HealthThresholds } from '../shared/types';
import { observedFrom, type ObservedStates } from './statements';

/**
 * Every pair's health as a worker sees it: the same select and the same pure rules
 * (lib/health/rules.ts) as the API's snapshot, read on the worker's own pool.
 */
export function observeWithPool(pool: pg.Pool, thresholds: HealthThresholds): () => Promise<ObservedStates> {
  return () => observeOn(pool, thresholds);
}

/** The same, read on a given pool or client (the history writer's own connection to the primary). */
export async function observeOn(db: pg.Pool | pg.ClientBase, thresholds: HealthThresholds): Promise<ObservedStates> {
  const result = await db.query<FrontierDbRow>({ name: 'history_observe', text: FRONTIER_SELECT });
  const parseMarket = marketParser();
  const parsePolicy = policyParser();
  return observedFrom(
    result.rows.map((row) => derivePairHealth(toFrontierRow(row, parseMarket, parsePolicy), thresholds)),
  );
}
