import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { missingNginx, startNginx, type RunningNginx } from '../support/nginx';

/**
 * deploy/nginx/frontier.conf as shipped, in a real nginx, in front of three stub replicas that
 * behave as the app's contract says (proxy.ts answers an access check with 204 or a refusal; the
 * snapshot's answers say `x-frontier-cache: shared`) and can also misbehave on purpose: a body
 * naming the user with a cookie, `private`, `Vary: Cookie`, no shared mark. What nginx stores and
 * whom it serves it to is decided by the shipped file alone. e2e/nginx-replicas.spec.ts runs the
 * same file in front of three real replicas of the built app.
 */

const USERS: Record<string, string> = { alice: 'alice-secret', bob: 'bob-secret' };
const KIOSK = 'fm_kiosk=kiosk-cookie';
const basic = (user: string, password = USERS[user]!) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface Seen {
  replica: number;
  check: boolean;
  url: string;
  acceptEncoding?: string;
  rsc?: string;
}

/** Who is asking, by the stub's rules: a user of USERS, the kiosk (its cookie, /api/health only), or nobody. */
function identity(request: http.IncomingMessage, path: string): string | 401 | 403 {
  const header = request.headers.authorization ?? '';
  const [user, password] = Buffer.from(header.replace(/^Basic /, ''), 'base64')
    .toString()
    .split(':');
  if (header && user && USERS[user] === password) return user;
  if (request.headers.cookie === KIOSK) return path === '/api/health' ? 'kiosk' : 403;
  return 401;
}

function stubReplica(index: number, seen: Seen[]): http.Server {
  let served = 0;
  return http.createServer((request, response) => {
    const url = new URL(request.url!, 'http://stub');
    const check = request.headers['x-frontier-access-check'] === '1';
    seen.push({
      replica: index,
      check,
      url: request.url!,
      acceptEncoding: request.headers['accept-encoding'],
      rsc: request.headers.rsc as string | undefined,
    });
    const who = identity(request, url.pathname);
    if (typeof who === 'number') {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
      if (who === 401) headers['www-authenticate'] = 'Basic realm="Frontier Monitor"';
      return response.writeHead(who, headers).end(JSON.stringify({ error: { code: `stub_${who}`, message: 'no' } }));
    }
    if (check) return response.writeHead(204).end();
    served += 1;
    const body = JSON.stringify({ replica: index, served, user: who, path: url.pathname, query: url.search });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-frontier-cache': 'shared',
      etag: `"r${index}.${served}"`,
    };
    const mode = url.searchParams.get('case');
    if (mode === 'cookie') headers['set-cookie'] = `session=${who}; HttpOnly`;
    if (mode === 'private') headers['cache-control'] = 'private, no-store';
    // What Next.js names on every answer; a route's own Vary would be added to it.
    headers.vary = 'rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch, Accept-Encoding';
    if (mode === 'vary-cookie') headers.vary += ', Cookie';
    if (mode === 'unmarked') delete headers['x-frontier-cache'];
    if (mode === 'error') return response.writeHead(500, headers).end(body);
    if (request.headers['if-none-match'] === headers.etag) return response.writeHead(304, headers).end();
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      headers['content-encoding'] = 'gzip';
      return response.writeHead(200, headers).end(gzipSync(body));
    }
    response.writeHead(200, headers).end(body);
  });
}

const listen = (server: http.Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as { port: number }).port}`)),
  );

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A GET with exactly these headers (fetch would add its own Accept-Encoding and decompress). */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString() }),
        );
      })
      .on('error', reject);
  });
}

const seen: Seen[] = [];
const replicas = [1, 2, 3].map((index) => stubReplica(index, seen));
let nginx: RunningNginx | undefined;
const skipped = missingNginx();

beforeAll(async () => {
  const addresses = await Promise.all(replicas.map(listen));
  if (!skipped) nginx = await startNginx(addresses);
});

afterAll(async () => {
  await nginx?.stop();
  await Promise.all(replicas.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe.skipIf(skipped)('deploy/nginx/frontier.conf in front of three stub replicas', () => {
  const url = (path: string) => `${nginx!.base}${path}`;
  const alice = { authorization: basic('alice') };
  const bob = { authorization: basic('bob') };

  test('every request is checked by a replica first: after alice filled the cache, nobody and a wrong password get the app’s 401, bob the shared answer', async () => {
    const path = '/api/health/overview?offset=0&limit=100';
    const first = await get(url(path), alice);
    expect([first.status, first.headers['x-cache-status']]).toEqual([200, 'MISS']);
    const again = await get(url(path), alice);
    expect([again.status, again.headers['x-cache-status'], again.body]).toEqual([200, 'HIT', first.body]);
    const checksBefore = seen.filter((s) => s.check).length;

    const attempts: Record<string, string>[] = [
      {},
      { authorization: basic('alice', 'wrong') },
      { 'if-none-match': first.headers.etag! },
    ];
    for (const headers of attempts) {
      const refused = await get(url(path), headers);
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body)).toEqual({ error: { code: 'stub_401', message: 'no' } });
      expect(refused.headers['www-authenticate']).toBe('Basic realm="Frontier Monitor"');
      expect(refused.body).not.toContain('"served"');
    }
    const shared = await get(url(path), bob);
    expect([shared.status, shared.headers['x-cache-status'], shared.body]).toEqual([200, 'HIT', first.body]);
    // One access check per request (3 refused, 1 for bob), spread over the replicas.
    const checks = seen.filter((s) => s.check).slice(checksBefore);
    expect(checks.map((c) => c.url)).toEqual(Array(4).fill(path));
  });

  test('the check carries the request’s own path: the kiosk cookie reads /api/health but is refused the cached overview', async () => {
    const overview = '/api/health/overview?offset=0&limit=50';
    expect((await get(url(overview), alice)).status).toBe(200);
    const kiosk = await get(url(overview), { cookie: KIOSK });
    expect([kiosk.status, JSON.parse(kiosk.body)]).toEqual([403, { error: { code: 'stub_403', message: 'no' } }]);
    const wall = await get(url('/api/health?limit=10'), { cookie: KIOSK });
    expect([wall.status, JSON.parse(wall.body).user]).toEqual([200, 'kiosk']);
  });

  test.each([
    ['cookie', 'a Set-Cookie'],
    ['private', 'Cache-Control: private'],
    ['vary-cookie', 'Vary: …, Cookie'],
    ['unmarked', 'no x-frontier-cache: shared'],
  ])('an answer with %s (%s) is never stored: bob never gets alice’s body', async (mode) => {
    const path = `/api/health?case=${mode}`;
    const forAlice = await get(url(path), alice);
    const forBob = await get(url(path), bob);
    expect([forAlice.status, forAlice.headers['x-cache-status']]).toEqual([200, 'MISS']);
    expect([forBob.status, forBob.headers['x-cache-status']]).toEqual([200, 'MISS']);
    expect(JSON.parse(forAlice.body).user).toBe('alice');
    expect(JSON.parse(forBob.body).user).toBe('bob');
    if (mode === 'cookie') expect(forBob.headers['set-cookie']).toEqual(['session=bob; HttpOnly']);
  });

  test('an error is not stored', async () => {
    const answers = [await get(url('/api/health?case=error'), alice), await get(url('/api/health?case=error'), alice)];
    expect(answers.map((a) => [a.status, JSON.parse(a.body).served])).toEqual([
      [500, expect.any(Number)],
      [500, JSON.parse(answers[0]!.body).served + 1],
    ]);
  });

  test('a burst of 30 requests for a new answer reaches the API replica once, and only replica 1; the checks go to all three', async () => {
    const path = '/api/health/summary?burst=1';
    const start = seen.length;
    const answers = await Promise.all(Array.from({ length: 30 }, () => get(url(path), alice)));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    const reached = seen.slice(start);
    expect(reached.filter((s) => !s.check).map((s) => [s.replica, s.url])).toEqual([[1, path]]);
    expect(new Set(reached.filter((s) => s.check).map((s) => s.replica))).toEqual(new Set([1, 2, 3]));
  });

  test('compressed once: the upstream is always asked for gzip; a gzip client gets those bytes, another the plain JSON; If-None-Match gets 304 from nginx', async () => {
    const path = '/api/health/overview?offset=0&limit=25';
    const start = seen.length;
    const zipped = await get(url(path), { ...alice, 'accept-encoding': 'gzip, deflate, br' });
    const plain = await get(url(path), bob);
    expect(
      seen
        .slice(start)
        .filter((s) => !s.check)
        .map((s) => s.acceptEncoding),
    ).toEqual(['gzip']);
    expect([zipped.headers['content-encoding'], plain.headers['content-encoding']]).toEqual(['gzip', undefined]);
    expect(JSON.parse(plain.body)).toMatchObject({ user: 'alice', query: '?offset=0&limit=25' });
    const etag = zipped.headers.etag!;
    const notModified = await get(url(path), { ...bob, 'if-none-match': etag });
    expect([notModified.status, notModified.body, notModified.headers['x-cache-status']]).toEqual([304, '', 'HIT']);
    expect(seen.slice(start).filter((s) => !s.check)).toHaveLength(1);
  });

  test('replica 1 down: a backup answers the API', async () => {
    await new Promise((resolve) => replicas[0]!.close(resolve));
    replicas[0]!.closeAllConnections();
    const start = seen.length;
    const answer = await get(url('/api/health/summary?failover=1'), alice);
    expect(answer.status).toBe(200);
    expect(
      seen
        .slice(start)
        .filter((s) => !s.check)
        .map((s) => s.replica),
    ).toEqual([2]);
  });
});
