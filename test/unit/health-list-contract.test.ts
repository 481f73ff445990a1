// The list contract shared by the API and the overview: presets equal their states at the
// boundary minute, and a view survives the trip through its query string.
import { expect, test } from 'vitest';
import { DEFAULT_THRESHOLDS, derivePairHealth } from '../../lib/health/rules';
import {
  etagSnapshotVersion,
  hasFilters,
  listEtag,
  listSearch,
  pairMatcher,
  readListView,
} from '../../lib/health/list-contract';
import type { PairHealth } from '../../lib/shared/types';
import { frontierRow } from '../support/frontier-row';

test.each([
  [59.9, false],
  [60, false],
  [60.1, true],
  [61, true],
])('at %s min since success: STALLED and the "stalled" preset agree (%s)', (minutes, stalled) => {
  const pair = derivePairHealth(frontierRow({ minutesSinceSuccess: minutes }), DEFAULT_THRESHOLDS);
  expect(pair.state === 'STALLED').toBe(stalled);
  expect(pairMatcher({ states: [], timeframes: [], q: '', preset: 'stalled' })(pair)).toBe(stalled);
});

test('a view read from its own query string is the same view; defaults stay out of the URL', () => {
  const view = {
    states: ['FAILING', 'AHEAD'] as const,
    timeframes: ['5m', '1h'],
    q: 'eur',
    preset: 'ahead' as const,
    team: 'fx',
    sort: 'gap' as const,
    dir: 'asc' as const,
  };
  const search = listSearch({ ...view, states: [...view.states] });
  expect(search).toBe('state=FAILING%2CAHEAD&timeframe=5m%2C1h&q=eur&preset=ahead&team=fx&sort=gap&dir=asc');
  // States come back in severity order, whatever order the URL had.
  expect(readListView(new URLSearchParams(search))).toEqual({ ...view, states: ['AHEAD', 'FAILING'] });
  expect(listSearch({ sort: 'severity', dir: 'asc' })).toBe('');
  expect(readListView(new URLSearchParams('state=nope,failing,&sort=bogus&preset=x&team=FX%20Desk'))).toEqual({
    states: ['FAILING'],
    timeframes: [],
    q: '',
    preset: null,
    team: null,
    sort: 'severity',
    dir: 'asc',
  });
});

test('search is case-insensitive on the symbol', () => {
  const pair = derivePairHealth(frontierRow(), DEFAULT_THRESHOLDS);
  expect(pairMatcher({ states: [], timeframes: [], q: 'eUr', preset: null })(pair)).toBe(true);
  expect(pairMatcher({ states: [], timeframes: [], q: 'gbp', preset: null })(pair)).toBe(false);
});

test('the list ETag is read back as the snapshot version it was written with, weak or strong', () => {
  const etag = listEtag('Ab-_12', 'q1w2e3');
  expect(etag).toBe('"Ab-_12.q1w2e3"');
  expect(etagSnapshotVersion(etag)).toBe('Ab-_12');
  expect(etagSnapshotVersion(`W/${etag}`)).toBe('Ab-_12');
  expect(etagSnapshotVersion('"no-digest"')).toBeNull();
  expect(etagSnapshotVersion(null)).toBeNull();
});

test('?team= keeps the pairs of that team only; no team filter keeps every pair', () => {
  const owned = { team: 'fx' } as PairHealth;
  const unowned = { team: null } as PairHealth;
  const filters = { states: [], timeframes: [], q: '', preset: null };
  expect([owned, unowned].map(pairMatcher({ ...filters, team: 'fx' }))).toEqual([true, false]);
  expect([owned, unowned].map(pairMatcher({ ...filters, team: 'rates' }))).toEqual([false, false]);
  expect([owned, unowned].map(pairMatcher({ ...filters, team: null }))).toEqual([true, true]);
  expect(hasFilters({ ...filters, team: 'fx' })).toBe(true);
});
