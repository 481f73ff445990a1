// Health policies in the rules (lib/health/policy.ts, lib/health/rules.ts): a pair is judged by
// its policy's thresholds, a threshold the policy leaves null is the default's, and every
// sentence that quotes a threshold names the policy it came from.
import { describe, expect, test } from 'vitest';
import { DEFAULT_THRESHOLDS, derivePairHealth } from '../../lib/health/rules';
import { thresholdsFor } from '../../lib/health/policy';
import type { FrontierRow, HealthPolicy, HealthState } from '../../lib/shared/types';
import { frontierRow } from '../support/frontier-row';

const illiquid: HealthPolicy = {
  name: 'illiquid',
  stallMinutes: 120,
  lagBars: null,
  sourceStaleMinutes: 240,
  minBarsPerRun: null,
};
const strict: HealthPolicy = {
  name: 'strict',
  stallMinutes: 10,
  lagBars: 1,
  sourceStaleMinutes: 5,
  minBarsPerRun: 0.5,
};

describe('thresholdsFor', () => {
  test('no policy: the defaults, each named default', () => {
    expect(thresholdsFor({ policy: null }, DEFAULT_THRESHOLDS)).toEqual({
      stallMinutes: 60,
      lagBars: 3,
      sourceStaleMinutes: 15,
      minBarsPerRun: 0.01,
      from: { stallMinutes: 'default', lagBars: 'default', sourceStaleMinutes: 'default', minBarsPerRun: 'default' },
    });
  });

  test("a policy's null threshold falls back to the default, and says so", () => {
    expect(thresholdsFor({ policy: illiquid }, DEFAULT_THRESHOLDS)).toEqual({
      stallMinutes: 120,
      lagBars: 3,
      sourceStaleMinutes: 240,
      minBarsPerRun: 0.01,
      from: { stallMinutes: 'illiquid', lagBars: 'default', sourceStaleMinutes: 'illiquid', minBarsPerRun: 'default' },
    });
  });

  test('the same policy with other defaults is resolved again, not served from the cache', () => {
    const other = { ...DEFAULT_THRESHOLDS, lagBars: 9 };
    expect(thresholdsFor({ policy: illiquid }, DEFAULT_THRESHOLDS).lagBars).toBe(3);
    expect(thresholdsFor({ policy: illiquid }, other).lagBars).toBe(9);
  });
});

describe('derivePairHealth with a policy', () => {
  test.each<[string, Partial<FrontierRow>, HealthState, string[]]>([
    [
      '73 min without success, default policy: stalled',
      { minutesSinceSuccess: 73 },
      'STALLED',
      ['no success for 73 min, threshold 60 min, policy default'],
    ],
    [
      '73 min without success under illiquid (120 min): fine',
      { minutesSinceSuccess: 73, policy: illiquid },
      'OK',
      ['caught up'],
    ],
    [
      '130 min under illiquid: stalled, naming illiquid',
      { minutesSinceSuccess: 130, policy: illiquid },
      'STALLED',
      ['no success for 2 h 10 min, threshold 120 min, policy illiquid'],
    ],
    [
      'feed silent 60 min under illiquid (240 min): fine',
      { sourceAgeMinutes: 60, policy: illiquid },
      'OK',
      ['caught up'],
    ],
    [
      'feed silent 5 h under illiquid',
      { sourceAgeMinutes: 300, policy: illiquid },
      'SOURCE_STALE',
      ['source feed silent for 5 h 0 min, threshold 240 min, policy illiquid; the aggregator is fine'],
    ],
    [
      'illiquid leaves the lag threshold to the default',
      { barsBehind: 4, policy: illiquid },
      'LAGGING',
      ['4 bars behind, threshold 3 bars, policy default'],
    ],
    [
      'within the default lag threshold under illiquid',
      { barsBehind: 2, policy: illiquid },
      'OK',
      ['2 bars behind, within threshold 3 bars, policy default'],
    ],
    [
      'strict: 2 bars behind is lagging, and inefficient under 0.5 bars per run',
      { barsBehind: 2, barsPerRun: 0.2, policy: strict },
      'LAGGING',
      [
        '2 bars behind, threshold 1 bar, policy strict',
        '0.2 bars per run over recent runs while 2 bars behind, threshold 0.5 bars per run, policy strict',
      ],
    ],
    [
      'strict: 11 min without success, 6 min of silence',
      { minutesSinceSuccess: 11, sourceAgeMinutes: 6, policy: strict },
      'STALLED',
      [
        'no success for 11 min, threshold 10 min, policy strict',
        'source feed silent for 6 min, threshold 5 min, policy strict',
      ],
    ],
  ])('%s', (_name, change, state, reasons) => {
    const health = derivePairHealth(frontierRow(change), DEFAULT_THRESHOLDS);
    expect({ state: health.state, reasons: health.reasons }).toEqual({ state, reasons });
  });

  test('the trend uses the policy stall threshold: 73 min without success under illiquid is not "falling behind"', () => {
    const change = { minutesSinceSuccess: 73, barsBehind: 2, recentBars: [2, 2, 2, 2, 2] };
    expect(derivePairHealth(frontierRow(change), DEFAULT_THRESHOLDS).trend).toBe('falling_behind');
    expect(derivePairHealth(frontierRow({ ...change, policy: illiquid }), DEFAULT_THRESHOLDS).trend).not.toBe(
      'falling_behind',
    );
  });
});
