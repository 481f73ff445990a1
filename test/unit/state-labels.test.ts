// lib/health/state-labels.ts: labels for people, and incident errors with words put back.
import { expect, test } from 'vitest';
import { describeIncidentError, STATE_LABELS, stateLabel } from '../../lib/health/state-labels';
import { HEALTH_STATES } from '../../lib/shared/types';

test('every state has a label, and an unknown recorded state keeps its name', () => {
  expect(Object.keys(STATE_LABELS).sort()).toEqual([...HEALTH_STATES].sort());
  expect(stateLabel('SOURCE_STALE')).toBe('Source stale');
  expect(stateLabel('RENAMED_LATER')).toBe('RENAMED_LATER');
});

test.each([
  [
    'corrupt source data for <symbol>/<tf> window [<time>,<time>): # bar(s) with high < low or price <= #',
    'USDJPY',
    "corrupt source data for USDJPY's timeframes: n bar(s) with high < low or price <= n",
  ],
  [
    'aggregate window returned no source_count for <symbol>/<tf> window [<time>,<time>): response={}',
    null,
    'aggregate window returned no source_count for each pair: response={}',
  ],
  ['canceling statement due to statement timeout', 'X', 'canceling statement due to statement timeout'],
  ['cursor moved backwards: <time> < <time>', 'X', 'cursor moved backwards: a time < a time'],
])('%s', (detail, symbol, text) => {
  expect(describeIncidentError(detail, symbol)).toBe(text);
});
