// lib/server/background-loop.ts: the loop of the worker and of the history writer.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { BackgroundLoop } from '../../lib/server/background-loop';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A loop that counts its steps and waits an hour between them. */
function hourly() {
  const state = { steps: 0, loop: undefined as unknown as BackgroundLoop };
  state.loop = new BackgroundLoop(async () => {
    while (!state.loop.stopping) {
      state.steps += 1;
      await state.loop.sleep(3_600_000);
    }
  });
  return state;
}

test('steps once per wait; stop() cuts the wait short and resolves when the body has returned', async () => {
  const counter = hourly();
  counter.loop.start();
  counter.loop.start(); // a second start while running does nothing
  expect(counter.steps).toBe(1);
  await vi.advanceTimersByTimeAsync(3_600_000);
  expect(counter.steps).toBe(2);
  await counter.loop.stop(); // no timer advanced: the hour's wait ended at once
  expect(counter.steps).toBe(2);
  expect(vi.getTimerCount()).toBe(0);
  await counter.loop.stop(); // idempotent
});

test('requestStop() ends the body after its current step, and a sleep while stopping returns at once', async () => {
  const counter = hourly();
  counter.loop.start();
  counter.loop.requestStop();
  await vi.advanceTimersByTimeAsync(0);
  expect(counter.steps).toBe(1);
  await expect(counter.loop.sleep(3_600_000)).resolves.toBeUndefined();
  await counter.loop.stop();
});

test('started again after a stop, it runs again', async () => {
  const counter = hourly();
  counter.loop.start();
  await counter.loop.stop();
  counter.loop.start();
  expect(counter.steps).toBe(2);
  await counter.loop.stop();
});
