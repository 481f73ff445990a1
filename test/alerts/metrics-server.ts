import http from 'node:http';
import { GET as metricsGET } from '../../app/api/metrics/route';
import { env } from '../../lib/server/env';
import { decideAccess } from '../../lib/server/security';
import { listen } from './stack';

/**
 * /api/metrics as the built app answers it, for vitest (which runs before `next build`): the
 * access decision proxy.ts makes (basic auth), then the real route handler. e2e/alerts.spec.ts
 * does the same against the built app itself.
 */
export async function startMetricsServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    void (async () => {
      const config = env();
      const decision = decideAccess(
        {
          basicUser: config.BASIC_AUTH_USER,
          basicPassword: config.BASIC_AUTH_PASSWORD,
          kioskToken: config.KIOSK_TOKEN,
        },
        {
          pathname: request.url ?? '/',
          method: request.method ?? 'GET',
          authorization: request.headers.authorization ?? null,
          kioskCookie: undefined,
          tokenParam: null,
        },
      );
      if (!decision.allow || request.url !== '/api/metrics') {
        response.writeHead(decision.allow ? 404 : decision.status).end();
        return;
      }
      const answer = await metricsGET();
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
      response.end(await answer.text());
    })().catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  const port = await listen(server);
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
