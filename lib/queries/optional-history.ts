import { log } from '../server/log';

// 42P01 undefined_table (migration 010 not applied yet), 42501 insufficient_privilege (a
// dashboard role created before 011 and not granted the history tables: db/roles/).
const MISSING = new Set(['42P01', '42501']);
const warned = new Set<string>();

/**
 * A history read that the page can live without: when the tables are missing or not granted,
 * the health list and pair page still answer (without state_since), and the log says why once.
 */
export async function withoutHistoryIfMissing<T>(what: string, read: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    if (!MISSING.has(code)) throw error;
    if (!warned.has(code)) {
      warned.add(code);
      log.warn(`state history unavailable (${what}); run npm run db:migrate and db/roles/dashboard-readonly.sql`, {
        code, error: error instanceof Error ? error.message : String(error),
      });
    }
    return fallback;
  }
}
