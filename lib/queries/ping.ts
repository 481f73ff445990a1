import { query } from '../server/db';

/** Readiness: one round trip that also proves the schema is migrated. */
export async function pingDatabase(): Promise<void> {
  await query<{ ok: number }>('ping', 'SELECT 1 AS ok FROM agg_timeframes LIMIT 1');
}
