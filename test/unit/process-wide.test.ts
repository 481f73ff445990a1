// lib/server/process-wide.ts: one value per process, whichever copy of a module asks first.
import { expect, test, vi } from 'vitest';
import { processWide } from '../../lib/server/process-wide';

test('the first maker wins; a second copy of the module gets the same value', async () => {
  const name = `test-${Math.random()}`;
  const first = processWide(name, () => ({ made: 'first' }));
  vi.resetModules();
  const copy = await import('../../lib/server/process-wide');
  expect(copy.processWide).not.toBe(processWide);
  expect(copy.processWide(name, () => ({ made: 'second' }))).toBe(first);
  expect(processWide(`${name}-other`, () => ({ made: 'other' }))).toEqual({ made: 'other' });
});
