import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { log } from '../server/log';
import { processWide } from '../server/process-wide';
import type { PairStateSince } from '../queries/frontier';
import type { PairHealth } from '../shared/types';
import type { HealthSnapshot } from './snapshot-build';
import type { SnapshotHandOver, ThreadReply, ThreadRequest } from './snapshot-thread';

/**
 * The dashboard's side of the snapshot thread (lib/api/snapshot-thread.ts). At 30,000 pairs a
 * build is ~0.8 CPU-s (a third of it garbage collection) that would otherwise block every
 * request on the one event loop; here the event loop only pays for receiving the result.
 *
 * The thread runs the TypeScript sources through tsx (a dependency; `npm start` and the worker
 * run on it too), loaded from process.cwd() — the repository, under `next start` and vitest
 * alike — so Next.js does not bundle it. One thread per process, started on first use; if it
 * cannot start, the caller builds in process (snapshot.ts) and this says so once in the log.
 */
/** An answer from the thread: its value and the ms the thread spent on it (its start-up not included). */
type Answer = { value: unknown; ms: number };
type Waiter = { resolve: (answer: Answer) => void; reject: (error: Error) => void };

interface Thread {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, Waiter>;
}

interface ThreadState {
  thread?: Thread;
  nextId: number;
  /** Set when the thread could not start: from then on the snapshot is built in process. */
  unavailable?: Error;
}

/** One thread per process, whichever of Next.js' bundles (routes, instrumentation) asks (see snapshot.ts). */
const state = processWide<ThreadState>('snapshotThread', () => ({ nextId: 0 }));

export class SnapshotThreadUnavailable extends Error {}

function bootstrap(root: string): string {
  const api = pathToFileURL(path.join(root, 'node_modules/tsx/dist/esm/api/index.mjs')).href;
  const entry = path.join(root, 'lib/api/snapshot-thread.ts');
  const base = pathToFileURL(`${root}/`).href;
  return `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(base)}))`;
}

function failAll(target: Thread, error: Error): void {
  for (const waiter of target.pending.values()) waiter.reject(error);
  target.pending.clear();
}

function start(): Thread {
  // eval: a bootstrap text, not a file for the bundler to follow.
  const worker = new Worker(bootstrap(process.cwd()), { eval: true, env: process.env });
  worker.unref(); // it must not keep a process (or a test run) alive
  const pending = new Map<number, Waiter>();
  let started = false;
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (reply: ThreadReply) => {
      if ('ready' in reply) {
        started = true;
        resolve();
        return;
      }
      const waiter = pending.get(reply.id);
      if (!waiter) return;
      pending.delete(reply.id);
      if (reply.ok) {
        // handOverMs: from the thread's post to here, the structured clone's copy in included.
        const handOverMs = performance.timeOrigin + performance.now() - reply.postedAt;
        log.debug('snapshot thread answered', { ms: Math.round(reply.ms), handOverMs: Math.round(handOverMs) });
        waiter.resolve({ value: reply.value, ms: reply.ms });
      } else waiter.reject(Object.assign(new Error(reply.error.message), reply.error));
    });
    const ended = (error: Error) => {
      if (state.thread?.worker === worker) state.thread = undefined;
      if (!started) {
        started = true; // said once: an 'error' is followed by an 'exit'
        state.unavailable = error;
        log.warn('the snapshot thread could not start; building the snapshot in process', { error: error.message });
        reject(new SnapshotThreadUnavailable(error.message));
      }
      failAll(current, error);
    };
    worker.on('error', ended);
    worker.on('exit', (code) => ended(new Error(`the snapshot thread stopped (exit code ${code})`)));
  });
  ready.catch(() => {});
  const current: Thread = { worker, ready, pending };
  return current;
}

type Question = ThreadRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

async function ask(request: Question): Promise<Answer> {
  if (state.unavailable) throw new SnapshotThreadUnavailable(state.unavailable.message);
  state.thread ??= start();
  const current = state.thread;
  await current.ready;
  const id = (state.nextId += 1);
  return new Promise((resolve, reject) => {
    current.pending.set(id, { resolve, reject });
    current.worker.postMessage({ ...request, id } as ThreadRequest);
  });
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const decoder = new TextDecoder();

/**
 * Builds the snapshot in the thread; SnapshotThreadUnavailable when there is none to build it.
 * buildMs: the thread's time on it and this thread's on taking it over (not the thread's start-up).
 */
export async function buildInThread(generatedAt: string): Promise<{ snapshot: HealthSnapshot; buildMs: number }> {
  const answer = await ask({ kind: 'build', generatedAt });
  const { rowChunks, historyChunks, ...rest } = answer.value as SnapshotHandOver;
  const started = performance.now();
  // One slice per turn: other requests are answered between them.
  const rows: PairHealth[] = [];
  for (const chunk of rowChunks) {
    await nextTurn();
    for (const row of JSON.parse(decoder.decode(chunk)) as PairHealth[]) rows.push(row);
  }
  const history = new Map<string, PairStateSince>();
  for (const chunk of historyChunks) {
    await nextTurn();
    for (const [key, entry] of JSON.parse(decoder.decode(chunk)) as [string, PairStateSince][]) history.set(key, entry);
  }
  return { snapshot: { ...rest, rows, history }, buildMs: answer.ms + performance.now() - started };
}

/** The statement_timeout the thread's connections run with (tests: it is the snapshot's own). */
export async function threadStatementTimeout(): Promise<string> {
  return (await ask({ kind: 'statement_timeout' })).value as string;
}

/** Ends the thread (its pool with it); the next build starts a new one with the current settings. */
export async function stopSnapshotThread(): Promise<void> {
  const current = state.thread;
  state.thread = undefined;
  state.unavailable = undefined;
  if (current) await current.worker.terminate();
}
