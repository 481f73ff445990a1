// lib/server/db-errors.ts: the one classifier the worker and the API share.
import { expect, test } from 'vitest';
import {
  classifyDatabaseError,
  isConnectionError,
  isDatabaseUnavailable,
  isWriteOutage,
  NO_SUITABLE_HOST,
  SESSION_MISMATCH,
} from '../../lib/server/db-errors';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

test.each([
  [withCode('ECONNREFUSED'), 'unreachable'],
  [withCode('08006'), 'unreachable'],
  [withCode('28P01', 'password authentication failed'), 'unreachable'],
  [withCode('3D000'), 'unreachable'],
  [withCode('53300'), 'unreachable'],
  [withCode('57P01'), 'unreachable'],
  [new Error('Connection terminated unexpectedly'), 'unreachable'],
  [new Error('DATABASE_URL is not set'), 'unreachable'],
  [new Error('wrapped', { cause: withCode('57P03') }), 'unreachable'],
  [new AggregateError([new Error('no'), withCode('ECONNRESET')]), 'unreachable'],
  [withCode('57014', 'canceling statement due to statement timeout'), 'busy'],
  [withCode('22012', 'division by zero'), 'statement'],
  [withCode('P0001', 'catchup_aggregation_range: start cursor is NULL for X/5m'), 'statement'],
  ['a string', 'statement'],
  [null, 'statement'],
] as const)('%s is %s', (error, kind) => {
  expect(classifyDatabaseError(error)).toBe(kind);
  expect(isConnectionError(error)).toBe(kind === 'unreachable');
  expect(isDatabaseUnavailable(error)).toBe(kind !== 'statement');
});

// Replication: a node that became a standby is an outage of a write connection; a recovery
// conflict on a standby's read is a transient.
test.each([
  [withCode('25006', 'cannot execute INSERT in a read-only transaction'), 'read_only', true],
  [new Error('wrapped', { cause: withCode('25006') }), 'read_only', true],
  [withCode('40001', 'canceling statement due to conflict with recovery'), 'busy', false],
  [
    Object.assign(new AggregateError([withCode('25006', 'b:5432: session is read-only')], 'no host'), {
      code: NO_SUITABLE_HOST,
    }),
    'read_only',
    true,
  ],
  [
    Object.assign(
      new AggregateError([withCode('ECONNREFUSED'), withCode('25006', 'b:5432: session is read-only')], 'no host'),
      { code: NO_SUITABLE_HOST },
    ),
    'unreachable',
    true,
  ],
  [withCode(SESSION_MISMATCH, 'a:5432: server is not in hot standby mode'), 'unreachable', true],
] as const)('%s is %s', (error, kind, writeOutage) => {
  expect(classifyDatabaseError(error)).toBe(kind);
  expect(isWriteOutage(error)).toBe(writeOutage);
  expect(isDatabaseUnavailable(error)).toBe(true);
});
