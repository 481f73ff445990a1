// The browser's check of health rows: every field of PairHealth, no more, no less.
import { expect, test } from 'vitest';
import { isPairHealth } from '../../components/hooks/api-schemas';
import { DEFAULT_THRESHOLDS, derivePairHealth } from '../../lib/health/rules';
import type { PairHealth } from '../../lib/shared/types';
import { frontierRow } from '../support/frontier-row';

const pair: PairHealth = derivePairHealth(frontierRow(), DEFAULT_THRESHOLDS);

test('a row derived by lib/health/rules.ts passes, after a JSON round trip as the browser sees it', () => {
  expect(isPairHealth(JSON.parse(JSON.stringify(pair)))).toBe(true);
});

test.each(Object.keys(pair))('a row without %s is refused', (key) => {
  const broken: Record<string, unknown> = { ...pair };
  delete broken[key];
  expect(isPairHealth(broken)).toBe(false);
});

test.each([
  ['state', 'BROKEN'],
  ['trend', 'sideways'],
  ['cursorStatus', 'MAYBE'],
  ['barsBehind', '3'],
  ['enabled', 'yes'],
  ['recentBars', null],
])('a row whose %s is %j is refused', (key, value) => {
  expect(isPairHealth({ ...pair, [key]: value })).toBe(false);
});

test("a row may carry an ack (the summary's problems); a malformed one is refused", () => {
  const ack = { by: 'ada', note: 'vendor says 20 min', at: '2026-01-01T10:00:00.000Z', until: null };
  expect(isPairHealth({ ...pair, ack })).toBe(true);
  expect(isPairHealth({ ...pair, ack: { ...ack, note: 3 } })).toBe(false);
  expect(isPairHealth({ ...pair, ack: null })).toBe(false);
});
