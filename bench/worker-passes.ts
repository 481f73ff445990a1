// When the worker's passes ran, from its own log: each `pass` line (lib/worker/worker.ts) is
// written as the pass ends and says how long it took. The live bench reads them to tell the page
// loads that shared the machine with a pass from the ones that did not: at 30,000 pairs a pass
// holds both of the bench's cores for a few seconds of every 15.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** A pass's start and end, ms since the epoch. */
export interface PassSpan {
  start: number;
  end: number;
}

/** The pass a log line reports, or undefined for any other line (other messages, a torn line). */
export function passOfLine(line: string): PassSpan | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { msg, t, ms } = entry as { msg?: unknown; t?: unknown; ms?: unknown };
  if (msg !== 'pass' || typeof t !== 'string' || typeof ms !== 'number') return undefined;
  const end = Date.parse(t);
  return Number.isFinite(end) ? { start: end - ms, end } : undefined;
}

/** Collects the passes a worker's stdout reports, as they end. */
export function followPasses(stdout: Readable): PassSpan[] {
  const passes: PassSpan[] = [];
  createInterface({ input: stdout }).on('line', (line) => {
    const pass = passOfLine(line);
    if (pass) passes.push(pass);
  });
  return passes;
}

/** Whether [start, end] overlaps any of the passes. */
export function overlapsAPass(start: number, end: number, passes: readonly PassSpan[]): boolean {
  return passes.some((pass) => pass.start < end && start < pass.end);
}
