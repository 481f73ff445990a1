import { describe, expect, test } from 'vitest';
import { markUnconfirmed, replicationFrom, rowAtDataAsOf, type ReplicationFacts } from '../../lib/health/replication';
import { derivePairHealth } from '../../lib/health/rules';
import { parseEnv } from '../../lib/server/env';
import type { FrontierRow } from '../../lib/shared/types';

const NOW = '2026-03-02T12:00:00.000Z';
const standby = (change: Partial<ReplicationFacts>): ReplicationFacts => ({
  inRecovery: true,
  nowUtc: NOW,
  replayPaused: false,
  receiverStatus: 'streaming',
  replayedAllReceived: true,
  lastReplayUtc: '2026-03-02T11:50:00.000Z',
  newestBeatUtc: '2026-03-02T11:59:50.000Z',
  ...change,
});

describe('replicationFrom', () => {
  test.each<[string, ReplicationFacts, ReturnType<typeof replicationFrom>]>([
    [
      'a primary: lag 0, never stale',
      standby({ inRecovery: false, receiverStatus: null, lastReplayUtc: null }),
      { role: 'primary', lagSeconds: 0, replayPaused: false, stale: false, dataAsOf: NOW },
    ],
    [
      'an idle primary, standby streaming and caught up: no lag, however old the last commit',
      standby({ lastReplayUtc: '2026-03-01T00:00:00.000Z', newestBeatUtc: null }),
      { role: 'standby', lagSeconds: 0, replayPaused: false, stale: false, dataAsOf: NOW },
    ],
    [
      'replay paused: as of the newest heartbeat replayed (later than the last commit)',
      standby({ replayPaused: true, newestBeatUtc: '2026-03-02T11:58:00.000Z' }),
      { role: 'standby', lagSeconds: 120, replayPaused: true, stale: true, dataAsOf: '2026-03-02T11:58:00.000Z' },
    ],
    [
      'the primary died (receiver not streaming): lag counts from the last beat, not the last bar',
      standby({ receiverStatus: 'waiting', newestBeatUtc: '2026-03-02T11:59:30.000Z' }),
      { role: 'standby', lagSeconds: 30, replayPaused: false, stale: false, dataAsOf: '2026-03-02T11:59:30.000Z' },
    ],
    [
      'receiver streaming but replay behind what it received: as of the last replayed commit',
      standby({ replayedAllReceived: false, newestBeatUtc: null, lastReplayUtc: '2026-03-02T11:58:59.000Z' }),
      { role: 'standby', lagSeconds: 61, replayPaused: false, stale: true, dataAsOf: '2026-03-02T11:58:59.000Z' },
    ],
    [
      'no receiver status visible and nothing replayed: unknown, so stale',
      standby({ receiverStatus: null, lastReplayUtc: null, newestBeatUtc: null }),
      { role: 'standby', lagSeconds: null, replayPaused: false, stale: true, dataAsOf: null },
    ],
    [
      "a primary clock ahead of the standby's: lag 0, not negative",
      standby({ receiverStatus: 'waiting', newestBeatUtc: '2026-03-02T12:00:02.000Z' }),
      { role: 'standby', lagSeconds: 0, replayPaused: false, stale: false, dataAsOf: NOW },
    ],
  ])('%s', (_name, facts, expected) => {
    expect(replicationFrom(facts, 60)).toEqual(expected);
  });
});

const row: FrontierRow = {
  symbol: 'EURUSD',
  timeframe: '5m',
  stepMinutes: 5,
  enabled: true,
  cursorUtc: '2026-03-02T11:50:00.000Z',
  sourceMaxTsUtc: '2026-03-02T11:54:00.000Z',
  cursorStatus: 'OK',
  gapMinutes: 0,
  barsBehind: 0,
  sourceAgeMinutes: 60,
  lastAttemptUtc: '2026-03-02T11:55:00.000Z',
  lastSuccessUtc: '2026-03-02T11:55:00.000Z',
  registeredAtUtc: '2026-03-01T00:00:00.000Z',
  minutesSinceSuccess: 65,
  lastError: null,
  lastErrorUtc: null,
  lastErrorSqlstate: null,
  lastErrorHint: null,
  consecutiveFailures: 0,
  totalRuns: 10,
  totalBarsWritten: 10,
  barsPerRun: 1,
  recentBars: [1],
  auditUnrepaired: 0,
  auditUnrepairedFromUtc: null,
  auditUnrepairedToUtc: null,
  auditRepaired24h: 0,
  auditLastUtc: null,
};

describe('ages at dataAsOf and unconfirmed OK', () => {
  const paused = replicationFrom(
    standby({
      replayPaused: true,
      lastReplayUtc: '2026-03-02T11:00:00.000Z',
      newestBeatUtc: '2026-03-02T11:05:00.000Z',
    }),
    60,
  );

  test("the replica's clock ran on 55 min past dataAsOf: ages measured at dataAsOf, so no stall and no silent feed", () => {
    expect(derivePairHealth(row).state).toBe('STALLED');
    const moved = rowAtDataAsOf(row, paused);
    expect([moved.minutesSinceSuccess, moved.sourceAgeMinutes]).toEqual([10, 5]);
    expect(derivePairHealth(moved).state).toBe('OK');
  });

  test('an OK pair on stale data is marked unconfirmed with the lag in its reason; a problem is left as it is', () => {
    const ok = markUnconfirmed(derivePairHealth(rowAtDataAsOf(row, paused)), paused);
    expect(ok).toMatchObject({
      state: 'OK',
      unconfirmed: true,
      reason: 'OK on replica data 3300 s behind the primary: not confirmed',
    });
    const failing = markUnconfirmed(derivePairHealth({ ...row, consecutiveFailures: 2, lastError: 'boom' }), paused);
    expect(failing.unconfirmed).toBeUndefined();
    expect(failing.state).toBe('FAILING');
    const current = replicationFrom(standby({}), 60);
    expect(markUnconfirmed(derivePairHealth(row), current).unconfirmed).toBeUndefined();
  });
});

describe('HEALTH_REPLICA_STALE_SECONDS', () => {
  test('defaults to 60; anything but a positive integer is refused, naming it', () => {
    expect(parseEnv({}).HEALTH_REPLICA_STALE_SECONDS).toBe(60);
    expect(parseEnv({ HEALTH_REPLICA_STALE_SECONDS: '5' }).HEALTH_REPLICA_STALE_SECONDS).toBe(5);
    for (const bad of ['0', '-1', '1.5', 'soon'])
      expect(() => parseEnv({ HEALTH_REPLICA_STALE_SECONDS: bad })).toThrow(/HEALTH_REPLICA_STALE_SECONDS: /);
  });
});
