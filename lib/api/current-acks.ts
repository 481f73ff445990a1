import { createHash } from 'node:crypto';
import { fetchCurrentPairAcks } from '../queries/acks';
import { log } from '../server/log';
import { processWide } from '../server/process-wide';
import type { Ack } from '../shared/acks';
import { SingleFlightCache } from './cache';

/**
 * The current acks by pair, for the overview's rows and the wall's problems. Read apart from the
 * health snapshot (its build does not change): one small query, held for ACKS_TTL_MS and dropped
 * by the ack routes (resetCurrentAcks), so an ack shows on the next poll. Past the TTL the held
 * acks are still answered for ACKS_STALE_MS while one reload runs: with the worker busy on the
 * primary that query took up to a few hundred ms, and a page or a search waited for it. Its
 * version is a digest of what it holds: the answers built from it are cached under it, so an ack
 * that starts or ends (made, replaced, lapsed, resolved) gives new text and a new ETag, and two
 * processes holding the same acks agree on it.
 */
export const ACKS_TTL_MS = 5_000;
export const ACKS_STALE_MS = 10_000;

export interface CurrentAcks {
  /** '' when there is none, so an unacked dashboard's answers and ETags are as before */
  version: string;
  byPair: ReadonlyMap<string, Ack>;
}

const NONE: CurrentAcks = { version: '', byPair: new Map() };

/**
 * One per process (lib/server/process-wide.ts): the pages' copy of this module answers the page's
 * first answer, the routes' copy the polls and the ack routes' reset; with one each, a page could
 * show acks a reset had dropped elsewhere, and each copy read them. lastRead: the last acks read,
 * answered while the database cannot be read.
 */
const held = processWide('currentAcks', () => ({
  cache: new SingleFlightCache<CurrentAcks>(ACKS_TTL_MS, 1, ACKS_STALE_MS),
  lastRead: NONE,
}));

export const ackKey = (symbol: string, timeframe: string) => `${symbol}/${timeframe}`;

async function load(): Promise<CurrentAcks> {
  let rows;
  try {
    rows = await fetchCurrentPairAcks();
  } catch (error) {
    // The acks decorate the overview and the wall: without them both still answer (and the
    // database's outage is reported by the snapshot's own read).
    log.warn('current acks unreadable; answering without them', { error: String(error) });
    return held.lastRead;
  }
  if (rows.length === 0) return (held.lastRead = NONE);
  const byPair = new Map(rows.map((row) => [ackKey(row.symbol, row.timeframe), row.ack]));
  const hash = createHash('sha1');
  for (const row of rows) hash.update(JSON.stringify([row.symbol, row.timeframe, row.ack]));
  return (held.lastRead = { version: hash.digest('base64url').slice(0, 12), byPair });
}

/** The held acks; one reload (however many ask at the same time) once older than the TTL. */
export function currentAcks(): Promise<CurrentAcks> {
  return held.cache.get('acks', load);
}

/** After an ack is made (or withdrawn): the next read asks the database again (a read already under way is not held). */
export function resetCurrentAcks(): void {
  held.cache.clear();
}
