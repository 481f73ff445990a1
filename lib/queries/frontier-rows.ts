import { query } from '../server/db';
import type { FrontierRow } from '../shared/types';
import { FRONTIER_SELECT, toFrontierRow, type FrontierDbRow } from './frontier-columns';
import { marketParser } from './market-columns';

/** Every pair's frontier row: one statement for all 30,000 pairs (callers cache it). */
export async function fetchFrontierRows(): Promise<FrontierRow[]> {
  const rows = await query<FrontierDbRow>('frontier-rows', FRONTIER_SELECT);
  const parseMarket = marketParser();
  return rows.map((row) => toFrontierRow(row, parseMarket));
}
