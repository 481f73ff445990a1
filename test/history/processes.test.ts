import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { spawnWorker, waitFor, type ChildWorker } from '../worker/support';
import { intervals } from './support';

const INTERVAL_MS = 300;
const TAKES_OVER = 'history writer: this process now records the state history';

/**
 * Two real worker processes (npm run worker), each a history writer candidate. The writer is
 * killed with SIGKILL: the other takes over, and the history has every change exactly once.
 */
describe('history writer across processes', () => {
  let db: TestDatabase;
  const workers: ChildWorker[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    // Never bootstrapped and no source: NULL while enabled, DISABLED when disabled; the
    // workers cannot change that, only the test does.
    await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe) VALUES ('KILL', '5m'), ('KILL', '1h')`);
  });
  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
    await db?.drop();
  });

  it('SIGKILL the writer: the standby takes over within two intervals; nothing lost, nothing twice', async () => {
    const env = { HISTORY_INTERVAL_MS: String(INTERVAL_MS), HISTORY_SETTLE_SECONDS: '0', WORKER_INTERVAL_MS: '60000' };
    workers.push(spawnWorker(db.url, env), spawnWorker(db.url, env));
    await waitFor('the first states recorded', async () => (await intervals(db.pool)).length === 2);
    const writer = (await waitFor('a writer', () => workers.find((worker) => worker.output().includes(TAKES_OVER))))!;
    const standby = workers.find((worker) => worker !== writer)!;
    expect(standby.output()).not.toContain(TAKES_OVER);

    writer.child.kill('SIGKILL');
    const killed = Date.now();
    await writer.exited;
    await db.sql(`UPDATE data_agg_state SET enabled = false WHERE canonical_symbol = 'KILL' AND timeframe = '5m'`);
    await waitFor('the standby writing', () => standby.output().includes(TAKES_OVER), 10_000, 10);
    const tookOverMs = Date.now() - killed;
    await waitFor('the change recorded', async () => (await intervals(db.pool)).length === 3);
    await db.sql(`UPDATE data_agg_state SET enabled = true WHERE canonical_symbol = 'KILL' AND timeframe = '5m'`);
    await waitFor('the change back recorded', async () => (await intervals(db.pool)).length === 4);
    await new Promise((resolve) => setTimeout(resolve, 4 * INTERVAL_MS));

    expect((await intervals(db.pool)).map((row) => `${row.pair} ${row.state}${row.open ? ' open' : ''}`)).toEqual([
      'KILL/1h NULL open',
      'KILL/5m NULL',
      'KILL/5m DISABLED',
      'KILL/5m NULL open',
    ]);
    // One interval to notice (the standby tries every interval), plus a loaded machine's slack.
    expect(tookOverMs).toBeLessThan(2 * INTERVAL_MS + 700);
  });
});
