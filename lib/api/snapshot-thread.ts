// The snapshot thread's entry (a worker_threads Worker started by lib/api/snapshot-worker.ts
// through tsx): builds the health snapshot off the dashboard's event loop, with its own pool and
// the snapshot's own statement timeout, and posts it back (a structured clone).
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { configurePool, getPool } from '../server/db';
import { env } from '../server/env';
import { buildSnapshot, type HealthSnapshot } from './snapshot-build';

/**
 * How the snapshot crosses to the dashboard's thread: its rows (and history entries) as UTF-8
 * JSON of HANDOVER_SLICE each, in buffers transferred (not copied), decoded and parsed there one
 * slice per turn of the event loop. Measured at 30,000 pairs: a structured clone of the row
 * objects costs ~260 ms (serialize + deserialize), most of it in the receiving thread at once;
 * JSON.parse of the same rows ~100 ms in all, and 25 MB of JSON text copied as strings ~40 ms at once.
 */
export const HANDOVER_SLICE = 1_500;

export interface SnapshotHandOver extends Omit<HealthSnapshot, 'rows' | 'history'> {
  rowChunks: Uint8Array[];
  historyChunks: Uint8Array[];
}

export type ThreadRequest =
  { id: number; kind: 'build'; generatedAt: string } | { id: number; kind: 'statement_timeout' };

export type ThreadReply =
  | { ready: true }
  | { id: number; ok: true; value: unknown; ms: number; postedAt: number }
  | { id: number; ok: false; error: { name: string; message: string; code?: string } };

const port = parentPort;
if (!port) throw new Error('lib/api/snapshot-thread.ts runs as a worker thread only');

/**
 * The thread's niceness (Linux): a rebuild is background work (the held snapshot is served
 * meanwhile), so on a busy machine it yields the CPU to the dashboard's requests, the worker and
 * the database. It takes longer then, not more CPU. Measured at 30,000 pairs with the worker
 * running (docs/PERFORMANCE.md §9).
 */
export const SNAPSHOT_THREAD_NICE = 10;

/** Linux gives each thread its own nice value; /proc/thread-self names this thread. Elsewhere: left as is. */
function lowerThisThreadsPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, SNAPSHOT_THREAD_NICE);
  } catch {
    /* not Linux, or not permitted: the thread runs at the process's priority */
  }
}
lowerThisThreadsPriority();

// Two reads run at once (the frontier and state_since) beside the replication facts.
configurePool({ statementTimeoutMs: env().SNAPSHOT_STATEMENT_TIMEOUT_MS, max: 3 });

async function answer(request: ThreadRequest): Promise<unknown> {
  if (request.kind === 'statement_timeout') {
    const { rows } = await getPool().query<{ statement_timeout: string }>('SHOW statement_timeout');
    return rows[0]!.statement_timeout;
  }
  // Nothing else runs on this thread: the rules need not yield.
  // The version (snapshotVersionOf) stays lazy, on the dashboard's side: only the full list asks.
  const { rows, history, ...rest } = await buildSnapshot(request.generatedAt, Infinity);
  return {
    ...rest,
    rowChunks: inSlices(rows).map(encode),
    historyChunks: inSlices([...history.entries()]).map(encode),
  } satisfies SnapshotHandOver;
}

const encoder = new TextEncoder();
const encode = (slice: unknown[]) => encoder.encode(JSON.stringify(slice));

function inSlices<T>(items: T[]): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += HANDOVER_SLICE)
    slices.push(items.slice(start, start + HANDOVER_SLICE));
  return slices;
}

/** A wall-clock time in ms with sub-millisecond resolution, comparable across threads. */
const now = () => performance.timeOrigin + performance.now();

function transferables(value: unknown): ArrayBuffer[] {
  if (typeof value !== 'object' || value === null || !('rowChunks' in value)) return [];
  const { rowChunks, historyChunks } = value as SnapshotHandOver;
  return [...rowChunks, ...historyChunks].map((chunk) => chunk.buffer as ArrayBuffer);
}

port.on('message', (request: ThreadRequest) => {
  const started = now();
  answer(request).then(
    (value) => {
      const postedAt = now();
      const reply = { id: request.id, ok: true, value, ms: postedAt - started, postedAt } satisfies ThreadReply;
      port.postMessage(reply, transferables(value));
    },
    (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      const code = (failure as { code?: unknown }).code;
      port.postMessage({
        id: request.id,
        ok: false,
        error: { name: failure.name, message: failure.message, code: typeof code === 'string' ? code : undefined },
      } satisfies ThreadReply);
    },
  );
});
port.postMessage({ ready: true } satisfies ThreadReply);
