import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistorySettings } from '../../lib/history/settings';
import type { ObservedStates } from '../../lib/history/statements';
import { HistoryWriter } from '../../lib/history/writer';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { captureLogger, waitFor } from '../worker/support';
import { intervals, observed, type Observation } from './support';

const SETTINGS: HistorySettings = {
  mode: 'on',
  intervalMs: 100,
  settleSeconds: 0,
  flapWindowSeconds: 600,
  flapChanges: 50,
  retentionDays: 90,
  globalSymbols: 20,
  pruneEvery: 1000,
  pruneBatch: 1000,
};

describe('one history writer at a time', () => {
  let db: TestDatabase;
  // What every process observes now: the test changes it between evaluations.
  let now: Observation[] = [];
  const observe = async (): Promise<ObservedStates> => observed(now);
  const writers: HistoryWriter[] = [];
  const make = (settings: Partial<HistorySettings> = {}) => {
    const writer = new HistoryWriter({
      connectionString: db.url,
      observe,
      settings: { ...SETTINGS, ...settings },
      log: captureLogger(),
    });
    writers.push(writer);
    return writer;
  };

  /** Ends a backend and waits until it is gone (pg_terminate_backend only signals it). */
  async function kill(pid: number | undefined): Promise<void> {
    expect(pid).toBeTypeOf('number');
    await db.sql('SELECT pg_terminate_backend($1)', [pid]);
    await waitFor(
      'the backend gone',
      async () => (await db.sql('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).length === 0,
      5_000,
      5,
    );
  }

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const writer of writers) await writer.stop();
    await db?.drop();
  });

  it('two candidates: exactly one writes; ending its lock connection lets the standby take over at its next try, and no transition is lost or repeated', async () => {
    const a = make();
    const b = make();
    now = [
      ['X', '5m', 'OK'],
      ['Y', '5m', 'OK'],
    ];
    const first = await Promise.all([a.tick(), b.tick()]);
    expect(first.map((tick) => tick.role).sort()).toEqual(['standby', 'writer']);
    const [writer, standby] = a.isWriter ? [a, b] : [b, a];
    expect(standby.isWriter).toBe(false);
    expect((await standby.tick()).role).toBe('standby');

    now = [
      ['X', '5m', 'FAILING'],
      ['Y', '5m', 'OK'],
    ];
    expect(await writer.tick()).toMatchObject({ role: 'writer', result: { recorded: 1 } });

    // The writer dies: its connection (and with it the session lock) is gone.
    await kill(writer.backendPid);
    now = [
      ['X', '5m', 'FAILING'],
      ['Y', '5m', 'STALLED'],
    ];
    expect(await standby.tick()).toMatchObject({ role: 'writer', result: { recorded: 1, changed: 1 } });
    // The old writer notices at its next try and is a standby from then on.
    expect((await writer.tick()).role).toMatch(/^(error|standby)$/);
    expect((await writer.tick()).role).toBe('standby');
    expect(await standby.tick()).toMatchObject({ role: 'writer', result: { recorded: 0, changed: 0 } });

    expect((await intervals(db.pool)).map((row) => `${row.pair} ${row.state}`)).toEqual([
      'X/5m OK',
      'X/5m FAILING',
      'Y/5m OK',
      'Y/5m STALLED',
    ]);
  });

  it('a candidate whose role cannot write never takes the lock, so it cannot keep a real writer out', async () => {
    for (const writer of writers.splice(0)) await writer.stop();
    const url = new URL(db.url);
    url.searchParams.set('options', '-c default_transaction_read_only=on');
    const readOnly = new HistoryWriter({
      connectionString: url.toString(),
      observe,
      settings: { ...SETTINGS, mode: 'auto' },
      log: captureLogger(),
    });
    writers.push(readOnly);
    expect(await readOnly.tick()).toEqual({ role: 'readonly' });
    expect(readOnly.isWriter).toBe(false);
    const [held] = await db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'`);
    expect(held!.n).toBe(0);
    expect((await make().tick()).role).toBe('writer');
  });

  it('running on their own: a standby takes over within two intervals after the writer stops, and the history has every change exactly once', async () => {
    await db.sql('TRUNCATE pair_state_current, pair_state_intervals, incidents, incident_pairs');
    for (const writer of writers.splice(0)) await writer.stop();
    const candidates = [make(), make(), make()];
    now = [['Z', '5m', 'OK']];
    for (const candidate of candidates) candidate.start();
    const writer = (await waitFor('a writer', () => candidates.find((candidate) => candidate.isWriter)))!;
    await waitFor('the first interval', async () => (await intervals(db.pool)).length === 1);
    expect(candidates.filter((candidate) => candidate.isWriter)).toHaveLength(1);

    await kill(writer.backendPid);
    const died = Date.now();
    now = [['Z', '5m', 'LAGGING']];
    const next = (await waitFor(
      'another writer',
      () => candidates.find((candidate) => candidate !== writer && candidate.isWriter),
      5_000,
      5,
    ))!;
    // Each standby tries once per interval (100 ms): one interval at most, plus scheduling on a busy machine.
    expect(Date.now() - died).toBeLessThan(2 * SETTINGS.intervalMs + 400);
    await waitFor('the change recorded', async () => (await intervals(db.pool)).length === 2);
    now = [['Z', '5m', 'OK']];
    await waitFor('the recovery recorded', async () => (await intervals(db.pool)).length === 3);
    // Let several more intervals pass: nothing is written twice.
    await new Promise((resolve) => setTimeout(resolve, 5 * SETTINGS.intervalMs));
    expect(next.isWriter).toBe(true);
    expect(candidates.filter((candidate) => candidate.isWriter)).toHaveLength(1);
    expect((await intervals(db.pool)).map((row) => `${row.state}${row.open ? ' open' : ''}`)).toEqual([
      'OK',
      'LAGGING',
      'OK open',
    ]);
  });
});
