// npm run worker — catches up every enabled pair, pass after pass, until SIGTERM/SIGINT.
// Database: DATABASE_URL, or the embedded one a running `npm start` keeps under .data/.
import { env } from '../lib/server/env';
import { log, redact } from '../lib/server/log';
import { embeddedUrl, runningEmbedded } from '../lib/ops/embedded';
import { createWorkerPool } from '../lib/worker/pool';
import { Worker, workerSettingsFromEnv } from '../lib/worker/worker';
import { startWorkerHistory } from '../lib/history/worker-history';

async function main(): Promise<void> {
  const config = env();
  const running = config.DATABASE_URL ? undefined : runningEmbedded();
  const url = config.DATABASE_URL ?? (running ? embeddedUrl(running.port) : undefined);
  if (!url) {
    log.error('DATABASE_URL is not set and no embedded database is running (start one with npm start)');
    process.exit(2);
  }
  const settings = workerSettingsFromEnv(config);
  const pool = createWorkerPool({
    connectionString: url,
    concurrency: settings.concurrency,
    statementTimeoutMs: config.WORKER_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
    applicationName: process.env.PG_APPLICATION_NAME ?? 'frontier-worker',
  });
  const worker = new Worker(pool, settings);
  // Every worker is a candidate for the one state-history writer (docs/HISTORY.md).
  const history = await startWorkerHistory(url, pool, config);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn('still finishing the current transaction(s)', { signal });
      return;
    }
    stopping = true;
    log.info('stopping: finishing the current transaction(s)', { signal });
    void worker
      .stop()
      .then(() => history?.stop())
      .then(() => pool.end())
      .then(() => {
        log.info('worker stopped', { passes: worker.passCount });
        process.exit(0);
      })
      .catch((error: unknown) => {
        log.error('worker did not stop cleanly', { error: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  log.info('worker started', { database: redact(url), pid: process.pid, ...settings });
  worker.start();
}

main().catch((error: unknown) => {
  log.error('worker failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
