// "Which states are a problem" has one home (lib/health/rules.ts); the SQL's history_is_problem,
// which decides what opens an incident, must agree with it for every state.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { isProblem, PROBLEM_STATES, QUIET_STATES } from '../../lib/health/rules';
import { HEALTH_STATES } from '../../lib/shared/types';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db?.drop(); });

test('history_is_problem says what lib/health/rules.ts says, state by state', async () => {
  const rows = await db.sql<{ state: string; problem: boolean }>(
    'SELECT state, history_is_problem(state) AS problem FROM unnest($1::text[]) AS state', [HEALTH_STATES]);
  expect(Object.fromEntries(rows.map((row) => [row.state, row.problem])))
    .toEqual(Object.fromEntries(HEALTH_STATES.map((state) => [state, isProblem(state)])));
});

test('the problem and quiet states split every state between them', () => {
  expect([...PROBLEM_STATES, ...QUIET_STATES].sort()).toEqual([...HEALTH_STATES].sort());
  expect(QUIET_STATES).toEqual(['OK', 'DISABLED', 'CLOSED', 'MAINTENANCE']);
});
