import type pg from 'pg';
import { connectClient } from '../server/connect';
import { log as defaultLog, type Logger } from '../server/log';
import { errorMessage, isWriteOutage } from '../server/db-errors';
import type { HistorySettings } from './settings';
import { canWriteHistory, type ObservedStates } from './statements';
import { HistoryWriter } from './writer';

export interface StartHistoryOptions {
  connectionString: string;
  /** every pair's state now; given the writer's own connection (on the primary) */
  observe: (client: pg.ClientBase) => Promise<ObservedStates>;
  settings: HistorySettings;
  /** 'worker' or 'dashboard': in the logs and in pg_stat_activity's application_name */
  processKind: string;
  log?: Logger;
  /** after each recorded evaluation (HistoryWriterOptions.afterEvaluation) */
  afterEvaluation?: (client: pg.ClientBase) => Promise<void>;
}

/**
 * Starts this process's candidate for history writer, unless HISTORY_WRITER=off or (auto) the
 * database role cannot write: the dashboard's read-only role (db/roles/) never competes.
 * Never rejects: a process runs on without history rather than not at all.
 */
export async function startHistoryWriter(options: StartHistoryOptions): Promise<HistoryWriter | undefined> {
  const log = options.log ?? defaultLog;
  const { mode } = options.settings;
  if (mode === 'off') {
    log.info('history writer off (HISTORY_WRITER=off)', { process: options.processKind });
    return undefined;
  }
  let probe: Awaited<ReturnType<typeof connectClient>> | undefined;
  try {
    // Any node will do to ask about privileges; a standby's answer about them is the primary's.
    probe = await connectClient(
      options.connectionString,
      { connectionTimeoutMillis: 5_000 },
      {
        defaultTargetSessionAttrs: 'any',
      },
    );
    probe.on('error', () => {});
    const can = await canWriteHistory(probe);
    if (can === 'read-only') {
      log.info('history writer: the database is read-only now (a standby?); competing once a primary answers', {
        process: options.processKind,
      });
    }
    if (can === 'no-privilege') {
      const message =
        'history writer not started: this database role cannot write the state history (read-only or migration 010 missing)';
      if (mode === 'on') log.error(`${message}; HISTORY_WRITER=on asks for it`, { process: options.processKind });
      else log.info(`${message}; a worker or another dashboard records it`, { process: options.processKind });
      return undefined;
    }
  } catch (error) {
    if (!isWriteOutage(error)) {
      log.error('history writer not started: checking the database failed', {
        process: options.processKind,
        error: errorMessage(error),
      });
      return undefined;
    }
    // The database being away now is no reason not to write once it is back.
    log.warn('history writer: cannot check the database now; starting and retrying each interval', {
      error: errorMessage(error),
    });
  } finally {
    await probe?.end().catch(() => {});
  }
  const writer = new HistoryWriter({
    connectionString: options.connectionString,
    observe: options.observe,
    settings: options.settings,
    log,
    applicationName: `frontier-history-${options.processKind}`,
    afterEvaluation: options.afterEvaluation,
  });
  writer.start();
  log.info('history writer candidate started', {
    process: options.processKind,
    interval_ms: options.settings.intervalMs,
  });
  return writer;
}
