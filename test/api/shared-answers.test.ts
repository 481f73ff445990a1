// Which answers say `x-frontier-cache: shared`, the mark without which deploy/nginx never stores
// an answer: only the snapshot's (the same for every caller), never an error or another route.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { GET as health } from '../../app/api/health/route';
import { GET as overview } from '../../app/api/health/overview/route';
import { GET as summary } from '../../app/api/health/summary/route';
import { GET as incidents } from '../../app/api/incidents/route';
import { GET as pair } from '../../app/api/pairs/[symbol]/[timeframe]/route';
import { GET as workers } from '../../app/api/workers/route';
import { closePool } from '../../lib/server/db';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { currentWindow, insertFrontier, MINUTE, pointApiAt, registerPair, resetApiCaches } from './support';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await pointApiAt(db.url);
  await insertFrontier(db, 'CALM', currentWindow() - MINUTE);
  await registerPair(db, { symbol: 'CALM', timeframe: '5m', cursor: 0, successMinutesAgo: 1 });
});
afterAll(async () => {
  await closePool();
  await db?.drop();
});

type Handler = (
  request: Request,
  context: { params: Promise<{ symbol: string; timeframe: string }> },
) => Promise<Response>;

async function headersOf(handler: Handler, path: string, headers: Record<string, string> = {}) {
  resetApiCaches();
  const params = Promise.resolve({ symbol: 'CALM', timeframe: '5m' });
  const response = await handler(new Request(`http://127.0.0.1${path}`, { headers }), { params });
  await response.text();
  return [response.status, response.headers.get('x-frontier-cache'), response.headers.get('cache-control')];
}

test('the snapshot’s answers are marked shared, 200 and 304 alike, and browsers still get no-store', async () => {
  expect(await headersOf(overview, '/api/health/overview?limit=10')).toEqual([200, 'shared', 'no-store']);
  expect(await headersOf(health, '/api/health?limit=10')).toEqual([200, 'shared', 'no-store']);
  expect(await headersOf(summary, '/api/health/summary')).toEqual([200, 'shared', 'no-store']);
  resetApiCaches();
  const first = await overview(new Request('http://127.0.0.1/api/health/overview'));
  const etag = first.headers.get('etag')!;
  const again = await overview(
    new Request('http://127.0.0.1/api/health/overview', { headers: { 'if-none-match': etag } }),
  );
  expect([again.status, again.headers.get('x-frontier-cache')]).toEqual([304, 'shared']);
});

test('errors and the other routes are not marked', async () => {
  expect(await headersOf(overview, '/api/health/overview?limit=-1')).toEqual([400, null, 'no-store']);
  expect(await headersOf(health, '/api/health?sort=nonsense')).toEqual([400, null, 'no-store']);
  expect(await headersOf(summary, '/api/health/summary?x=1')).toEqual([400, null, 'no-store']);
  for (const [handler, path] of [
    [workers, '/api/workers'],
    [incidents, '/api/incidents'],
    [pair, '/api/pairs/CALM/5m'],
  ] as const) {
    const [status, mark] = await headersOf(handler as Handler, path);
    expect({ path, status, mark }).toEqual({ path, status: 200, mark: null });
  }
});
