import { log } from '../server/log';
import { pingDatabase } from '../queries/frontier';
import type { ReplicationStatus } from '../shared/types';
import { SingleFlightCache } from './cache';
import { isDatabaseUnavailable } from '../server/db-errors';
import { readReplication } from './snapshot';

export type HealthzBody =
  | { status: 'ok'; database: 'up'; replication: ReplicationStatus }
  | { status: 'degraded'; database: 'down'; error: { code: 'db_unavailable'; message: string } };

// Probes from a load balancer and every wall share one ping per second.
const pingCache = new SingleFlightCache<ReplicationStatus>(1_000, 1);

/**
 * Liveness (this process answers) and readiness (the database answers a query), with where the
 * reads come from and how far behind the primary they are. A stale standby is still ready: it
 * answers, and the replication object says how old its answers are.
 */
export async function checkHealthz(): Promise<{ status: 200 | 503; body: HealthzBody }> {
  try {
    const replication = await pingCache.get('ping', async () => {
      await pingDatabase();
      return readReplication();
    });
    return { status: 200, body: { status: 'ok', database: 'up', replication } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn('readiness check failed', { error: message, unreachable: isDatabaseUnavailable(error) });
    const reason = isDatabaseUnavailable(error)
      ? 'the database is unavailable'
      : 'the database does not answer queries (is it migrated?)';
    return {
      status: 503,
      body: { status: 'degraded', database: 'down', error: { code: 'db_unavailable', message: reason } },
    };
  }
}

export function resetHealthzCache(): void {
  pingCache.clear();
}
