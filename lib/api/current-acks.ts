import { createHash } from 'node:crypto';
import { fetchCurrentPairAcks } from '../queries/acks';
import { log } from '../server/log';
import type { Ack } from '../shared/acks';

/**
 * The current acks by pair, for the overview's rows and the wall's problems. Read apart from the
 * health snapshot (its build does not change): one small query, held for ACKS_TTL_MS and dropped
 * by the ack routes (resetCurrentAcks), so an ack shows on the next poll. Its version is a digest
 * of what it holds: the answers built from it are cached under it, so an ack that starts or ends
 * (made, replaced, lapsed, resolved) gives new text and a new ETag, and two processes holding the
 * same acks agree on it.
 */
export const ACKS_TTL_MS = 5_000;

export interface CurrentAcks {
  /** '' when there is none, so an unacked dashboard's answers and ETags are as before */
  version: string;
  byPair: ReadonlyMap<string, Ack>;
}

const NONE: CurrentAcks = { version: '', byPair: new Map() };

let held: { acks: CurrentAcks; at: number } | null = null;
let loading: Promise<CurrentAcks> | null = null;
// A load that began before a reset may have missed the ack that caused it: it is not held.
let generation = 0;

export const ackKey = (symbol: string, timeframe: string) => `${symbol}/${timeframe}`;

async function load(): Promise<CurrentAcks> {
  let rows;
  try {
    rows = await fetchCurrentPairAcks();
  } catch (error) {
    // The acks decorate the overview and the wall: without them both still answer (and the
    // database's outage is reported by the snapshot's own read).
    log.warn('current acks unreadable; answering without them', { error: String(error) });
    return held?.acks ?? NONE;
  }
  if (rows.length === 0) return NONE;
  const byPair = new Map(rows.map((row) => [ackKey(row.symbol, row.timeframe), row.ack]));
  const hash = createHash('sha1');
  for (const row of rows) hash.update(JSON.stringify([row.symbol, row.timeframe, row.ack]));
  return { version: hash.digest('base64url').slice(0, 12), byPair };
}

/** The held acks, reloaded (once, however many ask at the same time) when older than the TTL. */
export async function currentAcks(): Promise<CurrentAcks> {
  if (held && Date.now() - held.at < ACKS_TTL_MS) return held.acks;
  if (!loading) {
    const started = Date.now();
    const mine = generation;
    const pending: Promise<CurrentAcks> = load()
      .then((acks) => {
        if (mine === generation) held = { acks, at: started };
        return acks;
      })
      .finally(() => {
        if (loading === pending) loading = null;
      });
    loading = pending;
  }
  return loading;
}

/** After an ack is made (or withdrawn): the next read asks the database again. */
export function resetCurrentAcks(): void {
  generation += 1;
  held = null;
  loading = null;
}
