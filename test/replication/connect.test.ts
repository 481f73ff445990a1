// lib/server/connect.ts against a real primary and hot standby (PostgreSQL 15): the host list is
// tried in order and target_session_attrs has libpq's meaning.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectTo, createHostListPool } from '../../lib/server/connect';
import { classifyDatabaseError } from '../../lib/server/db-errors';
import {
  missingPostgres15,
  requirePostgres15,
  startReplicatedCluster,
  type ReplicatedCluster,
} from '../support/postgres15';

let cluster: ReplicatedCluster | undefined;

beforeAll(async () => {
  if (!missingPostgres15()) cluster = await startReplicatedCluster();
}, 120_000);
afterAll(() => cluster?.destroy());

function list(order: 'primary-first' | 'standby-first', attrs?: string): string {
  const { primary, standby } = cluster!;
  const hosts = order === 'primary-first' ? [primary, standby] : [standby, primary];
  return `postgres://postgres@${hosts.map((h) => h.hostPort).join(',')}/postgres${attrs ? `?target_session_attrs=${attrs}` : ''}`;
}

async function landsOn(url: string): Promise<string> {
  const { client, host } = await connectTo(url, { connectionTimeoutMillis: 3_000 });
  try {
    const [row] = (await client.query<{ recovery: boolean }>('SELECT pg_is_in_recovery() AS recovery')).rows;
    return `${host.port === cluster!.primary.port ? 'primary' : 'standby'}${row?.recovery ? ' (in recovery)' : ''}`;
  } finally {
    await client.end();
  }
}

describe('target_session_attrs on a primary + hot standby', { timeout: 60_000 }, () => {
  test.for([
    ['standby-first', undefined, 'standby (in recovery)'],
    ['standby-first', 'any', 'standby (in recovery)'],
    ['standby-first', 'read-write', 'primary'],
    ['standby-first', 'primary', 'primary'],
    ['primary-first', 'read-only', 'standby (in recovery)'],
    ['primary-first', 'standby', 'standby (in recovery)'],
    ['primary-first', 'prefer-standby', 'standby (in recovery)'],
    ['primary-first', 'any', 'primary'],
  ] as const)('%s, target_session_attrs=%s → %s', async ([order, attrs, expected], context) => {
    requirePostgres15(context);
    expect(await landsOn(list(order, attrs))).toBe(expected);
  });

  test('a connection with no target_session_attrs takes the caller default (what writes asks read-write)', async (context) => {
    requirePostgres15(context);
    const { client, host } = await connectTo(list('standby-first'), {}, { defaultTargetSessionAttrs: 'read-write' });
    await client.end();
    expect(host.port).toBe(cluster!.primary.port);
  });

  test('a host that refuses connections is skipped; a pool follows the list', async (context) => {
    requirePostgres15(context);
    const dead = 'postgres://postgres@127.0.0.1:1,' + `${cluster!.primary.hostPort}/postgres`;
    const skipped = await connectTo(dead);
    await skipped.client.end();
    expect(skipped.host.port).toBe(cluster!.primary.port);
    const pool = createHostListPool(list('standby-first', 'read-write'), { max: 2 });
    try {
      const rows = await Promise.all(
        [1, 2, 3].map(async () => (await pool.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0]!.r),
      );
      expect(rows).toEqual([false, false, false]);
    } finally {
      await pool.end();
    }
  });

  test('no suitable host: one error naming every host and its reason, read_only for the classifier', async (context) => {
    requirePostgres15(context);
    const onlyStandby = `postgres://postgres@${cluster!.standby.hostPort}/postgres?target_session_attrs=read-write`;
    const error = await connectTo(onlyStandby).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String((error as Error).message)).toBe(
      `no host of ${cluster!.standby.hostPort} accepted a target_session_attrs=read-write connection: ${cluster!.standby.hostPort}: session is read-only`,
    );
    expect(classifyDatabaseError(error)).toBe('read_only');
    const withDead = `postgres://postgres@127.0.0.1:1,${cluster!.primary.hostPort}/postgres?target_session_attrs=standby`;
    const second = await connectTo(withDead).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String((second as Error).message)).toMatch(
      new RegExp(
        `^no host of 127\\.0\\.0\\.1:1,${cluster!.primary.hostPort} accepted a target_session_attrs=standby connection: 127\\.0\\.0\\.1:1: connect ECONNREFUSED .*; ${cluster!.primary.hostPort}: server is not in hot standby mode$`,
      ),
    );
    expect(classifyDatabaseError(second)).toBe('unreachable');
  });
});
