// The browser's check of health rows: every field of PairHealth, no more, no less.
import { expect, test } from 'vitest';
import { isPairHealth } from '../../components/hooks/api-schemas';
import { DEFAULT_THRESHOLDS, derivePairHealth } from '../../lib/health';
import type { PairHealth } from '../../lib/types';

const pair: PairHealth = derivePairHealth({
  symbol: 'EURUSD', timeframe: '5m', stepMinutes: 5, enabled: true,
  cursorUtc: '2026-03-02T11:55:00.000Z', sourceMaxTsUtc: '2026-03-02T11:59:00.000Z', cursorStatus: 'OK',
  gapMinutes: 4, barsBehind: 0, sourceAgeMinutes: 2,
  lastAttemptUtc: '2026-03-02T12:00:00.000Z', lastSuccessUtc: '2026-03-02T12:00:00.000Z', minutesSinceSuccess: 1,
  lastError: null, lastErrorUtc: null, consecutiveFailures: 0, totalRuns: 100, totalBarsWritten: 100,
  barsPerRun: 1, recentBars: [1, 1, 1],
}, DEFAULT_THRESHOLDS);

test('a row derived by lib/health.ts passes, after a JSON round trip as the browser sees it', () => {
  expect(isPairHealth(JSON.parse(JSON.stringify(pair)))).toBe(true);
});

test.each(Object.keys(pair))('a row without %s is refused', (key) => {
  const broken: Record<string, unknown> = { ...pair };
  delete broken[key];
  expect(isPairHealth(broken)).toBe(false);
});

test.each([
  ['state', 'BROKEN'], ['trend', 'sideways'], ['cursorStatus', 'MAYBE'], ['barsBehind', '3'], ['enabled', 'yes'], ['recentBars', null],
])('a row whose %s is %j is refused', (key, value) => {
  expect(isPairHealth({ ...pair, [key]: value })).toBe(false);
});
