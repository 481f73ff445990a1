// What an ack's Alertmanager silence matches and how long it lasts (lib/alertmanager/scope.ts):
// the labels of deploy/prometheus/alerts.yml, per kind of ack.
import { describe, expect, test } from 'vitest';
import { ackLink, ackMatchers, SILENCE_HORIZON_MS, silenceSpec, type AckScope } from '../../lib/alertmanager/scope';

const pair: AckScope = { ackId: 7, incidentId: null, symbol: 'BRK.B', timeframe: '1d' };
const incident = (scope: string, symbol: string | null): AckScope => ({
  ackId: 8,
  incidentId: 42,
  symbol: null,
  timeframe: null,
  incident: { scope, state: 'SOURCE_STALE', symbol },
});
const labels = (ack: AckScope) => ackMatchers(ack)?.map((m) => `${m.name}=${m.value}`);

describe('ackMatchers', () => {
  test.each([
    ['a pair: symbol and timeframe', pair, ['symbol=BRK.B', 'timeframe=1d']],
    ['a symbol incident: symbol and state', incident('symbol', 'XAUUSD'), ['symbol=XAUUSD', 'state=SOURCE_STALE']],
    ['a global incident: state alone', incident('global', null), ['state=SOURCE_STALE']],
    ['an incident not found: nothing', { ...incident('symbol', 'X'), incident: null }, undefined],
  ])('%s', (_, ack, expected) => {
    expect(labels(ack)).toEqual(expected);
  });

  test('equality matchers only: a symbol with regex characters is matched literally', () => {
    expect(ackMatchers({ ...pair, symbol: 'A.B|C' })).toEqual([
      { name: 'symbol', value: 'A.B|C', isRegex: false, isEqual: true },
      { name: 'timeframe', value: '1d', isRegex: false, isEqual: true },
    ]);
  });
});

describe('silenceSpec', () => {
  const now = new Date('2026-01-31T10:00:00Z');
  const matchers = ackMatchers(pair)!;
  test('until given: the silence ends then; else after the horizon', () => {
    const until = new Date('2026-01-31T11:30:00Z');
    const ack = { ...pair, by: 'otto', note: 'on it', until };
    expect(silenceSpec(ack, matchers, now, undefined).endsAt).toBe(until.toISOString());
    expect(silenceSpec({ ...ack, until: null }, matchers, now, undefined).endsAt).toBe(
      new Date(now.getTime() + SILENCE_HORIZON_MS).toISOString(),
    );
  });

  test('createdBy is the actor; the comment is the note and the link back, absolute with DASHBOARD_URL', () => {
    const spec = silenceSpec({ ...pair, by: 'otto', note: 'on it', until: null }, matchers, now, 'https://fm.example/');
    expect([spec.createdBy, spec.startsAt, spec.comment]).toEqual([
      'otto',
      now.toISOString(),
      'on it (Frontier Monitor ack #7: https://fm.example/pairs/BRK.B/1d)',
    ]);
    expect(ackLink({ ...pair, symbol: 'A/B C' }, undefined)).toBe('/pairs/A%2FB%20C/1d');
    expect(ackLink(incident('global', null), 'https://fm.example')).toBe('https://fm.example/incidents?status=open');
  });
});
