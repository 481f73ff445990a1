import { migrateDatabase } from '../server/migrate';
import { EMBEDDED_DATA_DIR } from '../server/paths';
import { embeddedUrl, runningEmbedded } from './embedded';

export interface OpsDatabase {
  url: string;
  /** where the URL came from, for the "using …" line */
  source: 'DATABASE_URL' | 'embedded (running)' | 'embedded (started)';
  close: () => Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded database under .data/: the running one, or
 * started (and migrated) for this command and stopped by close().
 */
export async function openOpsDatabase(configuredUrl: string | undefined): Promise<OpsDatabase> {
  if (configuredUrl) return { url: configuredUrl, source: 'DATABASE_URL', close: async () => {} };
  const running = runningEmbedded();
  if (running) return { url: embeddedUrl(running.port), source: 'embedded (running)', close: async () => {} };
  const { startEmbeddedPostgres } = await import('../server/embedded-postgres');
  const server = await startEmbeddedPostgres({ dataDir: EMBEDDED_DATA_DIR });
  try {
    await migrateDatabase(server.url);
  } catch (error) {
    await server.stop();
    throw new Error('migrating the embedded database failed', { cause: error });
  }
  return { url: server.url, source: 'embedded (started)', close: () => server.stop() };
}
