import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, errorOf, type TestDatabase } from '../support/database';
import { evaluate, intervals, sleep, type Observation } from './support';

describe('history_record_states', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  async function reset(): Promise<void> {
    await db.sql('TRUNCATE pair_state_current, pair_state_intervals, incidents, incident_pairs');
  }

  it('records each change of state once, however often the same states are evaluated', async () => {
    await reset();
    const ok: Observation[] = [
      ['A', '5m', 'OK'],
      ['A', '1h', 'OK'],
      ['B', '5m', 'LAGGING'],
    ];
    expect(await evaluate(db.pool, ok)).toMatchObject({ observed: 3, new_pairs: 3, changed: 0, recorded: 0 });
    expect(await evaluate(db.pool, ok)).toMatchObject({ new_pairs: 0, changed: 0, recorded: 0 });
    const failing: Observation[] = [
      ['A', '5m', 'FAILING', '1 consecutive failed run: boom'],
      ['A', '1h', 'OK'],
      ['B', '5m', 'LAGGING'],
    ];
    expect(await evaluate(db.pool, failing)).toMatchObject({ changed: 1, recorded: 1 });
    expect(await evaluate(db.pool, failing)).toMatchObject({ changed: 0, recorded: 0 });
    expect(await evaluate(db.pool, failing)).toMatchObject({ changed: 0, recorded: 0 });
    expect(await intervals(db.pool)).toEqual([
      { pair: 'A/1h', state: 'OK', open: true, flapping: false, reason: 'ok reason' },
      { pair: 'A/5m', state: 'OK', open: false, flapping: false, reason: 'ok reason' },
      { pair: 'A/5m', state: 'FAILING', open: true, flapping: false, reason: '1 consecutive failed run: boom' },
      { pair: 'B/5m', state: 'LAGGING', open: true, flapping: false, reason: 'lagging reason' },
    ]);
    // The closed interval ends exactly where the next begins: no gap, no overlap.
    const [joint] = await db.sql<{ same: boolean }>(
      `SELECT (SELECT until FROM pair_state_intervals WHERE timeframe = '5m' AND canonical_symbol = 'A' AND until IS NOT NULL)
            = (SELECT since FROM pair_state_intervals WHERE timeframe = '5m' AND canonical_symbol = 'A' AND until IS NULL) AS same`,
    );
    expect(joint?.same).toBe(true);
  });

  it('records a state only after it held for the settle time, since when it was first seen', async () => {
    await reset();
    const settle = { settleSeconds: 0.4 };
    await evaluate(db.pool, [['S', '5m', 'OK']], settle);
    // A blip shorter than the settle time is never recorded.
    expect(await evaluate(db.pool, [['S', '5m', 'STALLED']], settle)).toMatchObject({ changed: 1, recorded: 0 });
    expect(await evaluate(db.pool, [['S', '5m', 'OK']], settle)).toMatchObject({ changed: 1, recorded: 0 });
    expect((await intervals(db.pool)).map((row) => row.state)).toEqual(['OK']);

    const first = await evaluate(db.pool, [['S', '5m', 'STALLED']], settle);
    expect(first.recorded).toBe(0);
    await sleep(450);
    const second = await evaluate(db.pool, [['S', '5m', 'STALLED']], settle);
    expect(second.recorded).toBe(1);
    expect((await intervals(db.pool)).map((row) => `${row.state}${row.open ? '' : ' closed'}`)).toEqual([
      'OK closed',
      'STALLED',
    ]);
    const [since] = await db.sql<{ since: Date }>(`SELECT since FROM pair_state_intervals WHERE until IS NULL`);
    expect(since!.since.toISOString()).toBe(new Date(first.at).toISOString());
  });

  it('shows a pair that keeps changing as flapping once, then records again once it is calm', async () => {
    await reset();
    const flap = { settleSeconds: 0, flapWindowSeconds: 1, flapChanges: 3 };
    await evaluate(db.pool, [['F', '5m', 'OK']], flap);
    const results = [];
    for (let i = 0; i < 8; i += 1) {
      results.push(await evaluate(db.pool, [['F', '5m', i % 2 === 0 ? 'FAILING' : 'OK', `run ${i}`]], flap));
    }
    // Changes 1-3 are recorded; the 4th (> 3 in the window) turns into one flapping interval;
    // the 4 after it are not recorded at all.
    expect(results.map((result) => result.recorded)).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    const rows = await intervals(db.pool);
    expect(rows.map((row) => `${row.state}${row.flapping ? ' flapping' : ''}`)).toEqual([
      'OK',
      'FAILING',
      'OK',
      'FAILING',
      'FAILING flapping',
    ]);
    expect(rows[4]!.reason).toMatch(/^flapping: 4 changes in 0\.0 min; now run 3$/);

    // Calm: the observed state held for max(settle, window / 2) = 0.5 s.
    await sleep(600);
    expect(await evaluate(db.pool, [['F', '5m', 'OK', 'run 7']], flap)).toMatchObject({ recorded: 1 });
    const after = await intervals(db.pool);
    expect(after.at(-1)).toEqual({ pair: 'F/5m', state: 'OK', open: true, flapping: false, reason: 'run 7' });
    expect(after.filter((row) => row.open)).toHaveLength(1);
  });

  it('closes the interval of a pair that is no longer registered', async () => {
    await reset();
    await evaluate(db.pool, [
      ['G', '5m', 'OK'],
      ['H', '5m', 'OK'],
    ]);
    expect(await evaluate(db.pool, [['H', '5m', 'OK']])).toMatchObject({ gone: 1 });
    expect((await intervals(db.pool)).map((row) => `${row.pair} ${row.open}`)).toEqual(['G/5m false', 'H/5m true']);
    expect(await db.sql(`SELECT 1 FROM pair_state_current WHERE canonical_symbol = 'G'`)).toHaveLength(0);
  });

  it('refuses bad arguments, naming them', async () => {
    const call = (sql: string) => errorOf(db.sql(sql));
    expect(await call(`SELECT history_record_states('{A}', '{5m,1h}', '{OK}', '{x}', 0, 60, 4, 20)`)).toMatch(
      /^history_record_states: p_symbols \(1\), p_timeframes \(2\), p_states \(1\) and p_reasons \(1\) must have the same length/,
    );
    expect(await call(`SELECT history_record_states('{A}', '{5m}', '{ok}', '{x}', 0, 60, 4, 20)`)).toMatch(
      /p_states must be state names/,
    );
    expect(await call(`SELECT history_record_states('{A}', '{5m}', '{OK}', '{x}', -1, 60, 4, 20)`)).toMatch(
      /p_settle_seconds must be >= 0, got -1/,
    );
    expect(await call(`SELECT history_record_states('{A}', '{5m}', '{OK}', '{x}', 0, 0, 4, 20)`)).toMatch(
      /p_flap_window_seconds must be > 0/,
    );
    expect(await call(`SELECT history_record_states('{A}', '{5m}', '{OK}', '{x}', 0, 60, 0, 20)`)).toMatch(
      /p_flap_changes must be >= 1/,
    );
    expect(await call(`SELECT history_record_states('{A}', '{5m}', '{OK}', '{x}', 0, 60, 4, 1)`)).toMatch(
      /p_global_symbols must be >= 2/,
    );
    expect(await call(`SELECT history_prune(0, 10)`)).toMatch(/history_prune: p_retention_days must be >= 1, got 0/);
  });

  it('prunes closed intervals and resolved incidents past the retention, never open ones', async () => {
    await reset();
    await evaluate(db.pool, [['P', '5m', 'OK']]);
    await db.sql(`INSERT INTO pair_state_intervals (canonical_symbol, timeframe, state, since, until)
                  VALUES ('P', '1h', 'OK', now() - interval '100 days', now() - interval '95 days'),
                         ('P', '1h', 'FAILING', now() - interval '95 days', now() - interval '10 days'),
                         ('Q', '1h', 'OK', now() - interval '200 days', NULL)`);
    await db.sql(`INSERT INTO incidents (cause_key, scope, state, symbol, opened_at, resolved_at)
                  VALUES ('old', 'symbol', 'FAILING', 'P', now() - interval '100 days', now() - interval '99 days'),
                         ('recent', 'symbol', 'FAILING', 'P', now() - interval '2 days', now() - interval '1 day')`);
    expect((await db.one<{ n: number }>('SELECT history_prune(90, 1000) AS n')).n).toBe(2);
    expect((await db.one<{ n: number }>('SELECT history_prune(90, 1000) AS n')).n).toBe(0);
    const left = await db.sql<{ state: string }>(
      `SELECT canonical_symbol || ' ' || state AS state FROM pair_state_intervals ORDER BY since`,
    );
    expect(left.map((row) => row.state)).toEqual(['Q OK', 'P FAILING', 'P OK']);
    expect(
      (await db.sql<{ cause_key: string }>('SELECT cause_key FROM incidents')).map((row) => row.cause_key),
    ).toEqual(['recent']);
  });
});
