// The bench's reading of a Chromium trace (bench/main-thread-trace.ts): a long task's wall time
// and the CPU time its thread ran, on the page's renderer main thread only.
import { describe, expect, test } from 'vitest';
import { blockedMs, longTasksOf } from '../../bench/main-thread-trace';

const threadName = (pid: number, tid: number, name: string) => ({
  name: 'thread_name',
  ph: 'M',
  pid,
  tid,
  args: { name },
});
const task = (pid: number, tid: number, durMs: number, cpuMs: number) => ({
  name: 'RunTask',
  ph: 'X',
  pid,
  tid,
  dur: durMs * 1000,
  tdur: cpuMs * 1000,
});
const trace = (events: unknown[]) => Buffer.from(JSON.stringify({ traceEvents: events }));

describe('longTasksOf', () => {
  test('the tasks over 50 ms of the busiest renderer main thread, wall and CPU time in ms', () => {
    const tasks = longTasksOf(
      trace([
        threadName(1, 1, 'CrRendererMain'),
        threadName(2, 2, 'CrRendererMain'),
        threadName(1, 3, 'Compositor'),
        task(1, 1, 144, 7),
        task(1, 1, 50, 50),
        task(1, 1, 12, 12),
        task(1, 3, 300, 300), // not a main thread
        task(2, 2, 400, 400), // another renderer, with fewer tasks: an extension or a blank page
      ]),
    );
    expect(tasks).toEqual([{ wallMs: 144, cpuMs: 7 }]);
  });

  test('a trace given as a bare array of events', () => {
    const bare = Buffer.from(JSON.stringify([threadName(1, 1, 'CrRendererMain'), task(1, 1, 80, 70)]));
    expect(longTasksOf(bare)).toEqual([{ wallMs: 80, cpuMs: 70 }]);
  });

  test('blocked time counts what lies beyond 50 ms of each task, by wall and by CPU time', () => {
    expect(
      blockedMs([
        { wallMs: 144, cpuMs: 7 },
        { wallMs: 120, cpuMs: 90 },
      ]),
    ).toEqual({ wall: 94 + 70, cpu: 40 });
  });
});
