// The renderer's main thread from a Chromium trace: each task's wall time beside the CPU time
// its thread actually ran. A long task's wall time counts the page's work and the time the
// thread waited for a core; on the bench's two cores, shared with the worker and PostgreSQL,
// the second can be most of it. The trace tells them apart (`dur` against `tdur`).
import type { Browser, Page } from '@playwright/test';

/** What DevTools' Performance panel records: the main thread's tasks with their thread time. */
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];
const LONG_TASK_MS = 50;

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export interface TracedTask {
  wallMs: number;
  cpuMs: number;
}

/** Starts a trace of the page's renderer; the function it returns stops it and gives the long tasks. */
export async function traceMainThread(browser: Browser, page: Page): Promise<() => Promise<TracedTask[]>> {
  await browser.startTracing(page, { categories: CATEGORIES });
  return async () => longTasksOf(await browser.stopTracing());
}

/** The tasks over 50 ms on the busiest renderer main thread of a trace (µs in the trace, ms here). */
export function longTasksOf(trace: Buffer): TracedTask[] {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mainThreads = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const tasksByThread = new Map<string, TraceEvent[]>();
  for (const event of events) {
    const thread = `${event.pid}:${event.tid}`;
    if (event.ph !== 'X' || event.name !== 'RunTask' || !mainThreads.has(thread)) continue;
    const tasks = tasksByThread.get(thread) ?? [];
    tasks.push(event);
    tasksByThread.set(thread, tasks);
  }
  const busiest = [...tasksByThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  return busiest
    .filter((task) => (task.dur ?? 0) / 1000 > LONG_TASK_MS)
    .map((task) => ({ wallMs: (task.dur ?? 0) / 1000, cpuMs: (task.tdur ?? 0) / 1000 }));
}

/** ms beyond 50 ms in each task, as the long-task figure counts them, by wall time and by CPU time. */
export function blockedMs(tasks: TracedTask[]): { wall: number; cpu: number } {
  return {
    wall: tasks.reduce((sum, task) => sum + Math.max(0, task.wallMs - LONG_TASK_MS), 0),
    cpu: tasks.reduce((sum, task) => sum + Math.max(0, task.cpuMs - LONG_TASK_MS), 0),
  };
}
