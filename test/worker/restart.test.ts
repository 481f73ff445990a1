import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../lib/server/embedded-postgres';
import { migrateDatabase } from '../../lib/server/migrate';
import { insertBars, minutesBetween, randomWalkBars, type MinuteBar } from '../support/bars';
import { bootstrapAll, expectExactCatchUp, floorMinute, makeWorker, MINUTE, waitFor } from './support';

// A server of its own, kept on disk (persistent) so that it can be stopped and started again
// on the same port under a running worker.
describe('the database restarted under a running worker', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'frontier-restart-'));
  chmodSync(root, 0o755);
  const dataDir = path.join(root, 'data');
  let server: EmbeddedDatabase | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('pauses, logs the outage once, reconnects by itself and catches up', async () => {
    server = await startEmbeddedPostgres({ dataDir, persistent: true });
    const { url, port } = server;
    await migrateDatabase(url);
    const now = floorMinute(Date.now());
    const symbols = Array.from({ length: 15 }, (_, i) => `R${i}`);
    const bars: MinuteBar[] = symbols.flatMap((symbol, i) =>
      randomWalkBars(symbol, minutesBetween(new Date(now - 240 * MINUTE), new Date(now - 4 * MINUTE)), 40 + i),
    );
    const early = bars.filter((bar) => bar.ts.getTime() < now - 60 * MINUTE);
    const admin = new pg.Pool({ connectionString: url, max: 2 });
    admin.on('error', () => {});
    await insertBars(admin, early);
    await bootstrapAll(admin, symbols);
    await admin.end();

    const { worker, logger, close } = makeWorker(url, { intervalMs: 100, maxWindows: 4, backoffMaxMs: 400 });
    try {
      worker.start();
      await waitFor('a pass with work', () =>
        logger.lines.some((l) => l.message === 'pass' && Number(l.fields.bars) > 0),
      );
      await server.stop();
      server = undefined;
      await waitFor(
        'several failed reconnection attempts',
        () => worker.outage.down && worker.outage.failedAttempts >= 3,
        20_000,
      );

      server = await startEmbeddedPostgres({ dataDir, persistent: true, port });
      await waitFor('the worker to resume', () => !worker.outage.down, 20_000);
      const after = new pg.Pool({ connectionString: url, max: 2 });
      try {
        await insertBars(
          after,
          bars.filter((bar) => bar.ts.getTime() >= now - 60 * MINUTE),
        );
        await waitFor(
          'every pair caught up',
          async () => {
            const [row] = (
              await after.query<{ behind: number; frontier: Date }>(
                'SELECT sum(bars_behind)::int AS behind, min(source_max_ts_utc) AS frontier FROM v_aggregation_frontier_health',
              )
            ).rows;
            return row!.behind === 0 && row!.frontier.getTime() === now - 5 * MINUTE;
          },
          30_000,
          100,
        );
        await worker.stop();

        expect(logger.count('database unavailable')).toBe(1);
        expect(logger.count('database reachable again')).toBe(1);
        expect(logger.count('pair failed')).toBe(0);
        expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
        const [failed] = (await after.query<{ n: number }>('SELECT count(*)::int AS n FROM data_agg_runs WHERE NOT ok'))
          .rows;
        expect(failed!.n).toBe(0);
        await expectExactCatchUp(after, bars, Date.now());
      } finally {
        await after.end();
      }
    } finally {
      await close();
    }
  });
});
