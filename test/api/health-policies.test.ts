// Health policies through the API against a real database: a pair is judged by its policy,
// its reason names the policy and threshold, the row carries the policy, and setting or
// changing a policy changes the list's ETag (a 304 never hides it).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { GET as listGET } from '../../app/api/health/route';
import { GET as detailGET } from '../../app/api/pairs/[symbol]/[timeframe]/route';
import type { HealthListResponse, PairDetailResponse, PairHealth } from '../../lib/shared/types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { call, currentWindow, insertFrontier, MINUTE, pointApiAt, registerPair, resetApiCaches } from './support';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await pointApiAt(db.url);
  for (const symbol of ['ALTX', 'ALTY', 'EURUSD']) await insertFrontier(db, symbol, currentWindow() - MINUTE);
  // No success for 73 minutes: STALLED under the default's 60.
  for (const symbol of ['ALTX', 'ALTY', 'EURUSD'])
    await registerPair(db, { symbol, timeframe: '5m', cursor: 0, successMinutesAgo: 73 });
});
afterAll(async () => {
  await db?.drop();
});

async function list(ifNoneMatch?: string) {
  resetApiCaches();
  const response = await listGET(
    new Request('http://127.0.0.1/api/health', { headers: ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {} }),
  );
  const text = await response.text();
  const body = text ? (JSON.parse(text) as HealthListResponse) : null;
  const by = new Map<string, PairHealth>((body?.rows ?? []).map((row) => [row.symbol, row]));
  return { status: response.status, etag: response.headers.get('etag'), by };
}

const setPolicy = (policy: string, match: string, pattern: string, stall: number) =>
  db.sql(`SELECT policy_set('test', 'admin', 'ops', $1, $2, $3, NULL, $4, NULL, NULL, NULL, '')`, [
    policy,
    match,
    pattern,
    stall,
  ]);

test("the default policy, then a pattern policy: state, reason, the row's policy and the ETag", async () => {
  const before = await list();
  expect(before.by.get('ALTX')).toMatchObject({
    state: 'STALLED',
    reason: expect.stringMatching(/^no success for 7[34] min, threshold 60 min, policy default$/),
    policy: null,
  });

  await setPolicy('illiquid', 'like', 'ALT%', 120);
  const after = await list(before.etag!);
  expect(after.status).toBe(200); // the policy is in the fingerprint
  expect(after.etag).not.toBe(before.etag);
  for (const symbol of ['ALTX', 'ALTY']) {
    expect(after.by.get(symbol)).toMatchObject({
      state: 'OK',
      policy: { name: 'illiquid', stallMinutes: 120, lagBars: null, sourceStaleMinutes: null, minBarsPerRun: null },
    });
  }
  expect(after.by.get('EURUSD')).toMatchObject({ state: 'STALLED', policy: null });

  // A tighter exact policy beats the pattern for ALTY, and says so.
  await setPolicy('alty', 'exact', 'ALTY', 30);
  const exact = await list(after.etag!);
  expect(exact.status).toBe(200);
  expect(exact.by.get('ALTY')).toMatchObject({
    state: 'STALLED',
    reason: expect.stringMatching(/^no success for 7[34] min, threshold 30 min, policy alty$/),
  });
  expect(exact.by.get('ALTX')!.state).toBe('OK');

  // Changing a threshold of a policy (same name) changes the ETag too.
  await setPolicy('illiquid', 'like', 'ALT%', 70);
  const changed = await list(exact.etag!);
  expect(changed.status).toBe(200);
  expect(changed.by.get('ALTX')).toMatchObject({
    state: 'STALLED',
    reason: expect.stringMatching(/threshold 70 min, policy illiquid$/),
  });
  expect((await list(changed.etag!)).status).toBe(304);
});

test('the pair page judges the pair by its policy', async () => {
  resetApiCaches();
  const answer = await call<PairDetailResponse>(detailGET, '/api/pairs/ALTY/5m', { symbol: 'ALTY', timeframe: '5m' });
  expect(answer.status).toBe(200);
  expect(answer.body.pair).toMatchObject({ state: 'STALLED', policy: { name: 'alty', stallMinutes: 30 } });
  expect(answer.body.pair.reason).toMatch(/threshold 30 min, policy alty$/);
});
