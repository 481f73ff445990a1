import http from 'node:http';
import { GET as metricsGET } from '../../app/api/metrics/route';
import { env } from '../../lib/server/env';
import { decideAccess } from '../../lib/auth/access';
import { authConfig } from '../../lib/auth/config';
import { resolveIdentity } from '../../lib/auth/resolve';
import { apiTokenRole } from '../../lib/queries/api-tokens';
import { listen } from './stack';

/**
 * /api/metrics as the built app answers it, for vitest (which runs before `next build`): the
 * access decision proxy.ts makes (an API token or basic auth), then the real route handler. e2e/alerts.spec.ts
 * does the same against the built app itself.
 */
export async function startMetricsServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    void (async () => {
      const config = env();
      const auth = authConfig(config);
      const headers = new Headers();
      if (request.headers.authorization) headers.set('authorization', request.headers.authorization);
      const standard = new Request(`http://127.0.0.1${request.url ?? '/'}`, { method: request.method, headers });
      const decision = decideAccess({
        mode: auth.mode,
        kioskConfigured: Boolean(auth.kioskToken),
        pathname: new URL(standard.url).pathname,
        method: standard.method,
        identity: await resolveIdentity(standard, auth, apiTokenRole),
        kioskTokenParamValid: false,
      });
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
