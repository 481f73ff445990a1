import path from 'node:path';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { parseOpsArgs, runOpsCommand } from '../lib/ops/commands';
import { startStack, startWebhook, type Notification } from '../test/alerts/stack';
import { missingTools, toolFile } from '../test/support/prometheus-tools';
import { e2eEnvironment } from './fixtures/environment';
import { addPairs, removeSymbols, SEEDED_PAIRS } from './fixtures/seed';

/**
 * The alerting path on the built app (`next start`, proxy.ts, basic auth, the read-only
 * database role): a real Prometheus scrapes the auth server's /api/metrics every second, with a
 * viewer API token as deploy/README.md says, with
 * the shipped rules (`for:` cut to 2 s), a real Alertmanager routes with the shipped file to a
 * webhook of this test. test/alerts/e2e.test.ts covers the rest (every state, inhibition)
 * in vitest, where no build exists yet.
 */
const environment = e2eEnvironment();
const SYMBOL = 'ALERTUSD';
const POLL = { timeout: 60_000, intervals: [250] };

test.describe.configure({ timeout: 150_000 });

/** `npm run ops -- token …` on the e2e database; the output's lines. */
async function ops(argv: string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: environment.databaseUrl });
  await client.connect();
  try {
    return await runOpsCommand(client, parseOpsArgs(argv), () => {});
  } finally {
    await client.end();
  }
}

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: environment.databaseUrl });
  await client.connect();
  try {
    await client.query(text, [SYMBOL]);
  } finally {
    await client.end();
  }
}

test('the built dashboard, scraped with a viewer API token: a failing pair pages once under its symbol, then resolves', async () => {
  const missing = missingTools('prometheus', 'alertmanager');
  test.skip(missing !== undefined, missing);
  await addPairs(environment.databaseUrl, [{ symbol: SYMBOL, timeframe: '5m', state: 'OK' }]);
  const token = (await ops(['token', 'create', '--name', 'prometheus-alerts-spec', '--role', 'viewer'])).at(-1)!;
  const webhook = await startWebhook();
  const stack = await startStack({
    prometheus: toolFile('prometheus'),
    alertmanager: toolFile('alertmanager'),
    rulesFile: path.resolve('deploy/prometheus/alerts.yml'),
    alertmanagerFile: path.resolve('deploy/alertmanager/alertmanager.yml'),
    target: new URL(environment.authBaseUrl).host,
    webhookUrl: webhook.url,
    bearerToken: token,
    dashboardUrl: 'https://frontier.example.com',
  }).catch(async (error: unknown) => {
    await webhook.close();
    throw error;
  });
  const mine = (): Notification[] => webhook.received.filter((n) => n.groupLabels.symbol === SYMBOL);
  try {
    await expect
      .poll(async () => {
        const answer = (await (await fetch(`${stack.prometheus.base}/api/v1/targets`)).json()) as {
          data: { activeTargets: { health: string }[] };
        };
        return answer.data.activeTargets.map((t) => t.health);
      }, POLL)
      .toEqual(['up']);
    // The seeded problems page too (XAGUSD's feed, NZDUSD failing): the pipeline works end to end.
    await expect
      .poll(() => webhook.received.map((n) => n.groupLabels.symbol).sort(), POLL)
      .toEqual(expect.arrayContaining(['NZDUSD', 'XAGUSD']));
    expect(mine()).toEqual([]);

    await sql(`UPDATE data_agg_state SET consecutive_failures = 3, last_error = 'e2e: made to fail', last_error_utc = now()
                WHERE canonical_symbol = $1`);
    await expect.poll(() => mine().length, POLL).toBe(1);
    const firing = mine()[0]!;
    expect(firing).toMatchObject({ status: 'firing', receiver: 'frontier-oncall', groupLabels: { symbol: SYMBOL } });
    expect(firing.alerts.map((a) => [a.labels.alertname, a.labels.timeframe, a.annotations.runbook_url])).toEqual([
      ['FrontierPairFailing', '5m', `https://frontier.example.com/pairs/${SYMBOL}/5m`],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(mine()).toHaveLength(1);

    await sql(
      'UPDATE data_agg_state SET consecutive_failures = 0, last_success_utc = now() WHERE canonical_symbol = $1',
    );
    await expect.poll(() => mine().length, POLL).toBe(2);
    expect(mine()[1]!.status).toBe('resolved');
    expect(mine()[1]!.alerts.map((a) => [a.status, a.labels.alertname])).toEqual([['resolved', 'FrontierPairFailing']]);
  } finally {
    await stack.stop();
    await webhook.close();
    await ops(['token', 'revoke', 'prometheus-alerts-spec']);
    await removeSymbols(environment.databaseUrl, [SYMBOL]);
    // The next spec counts SEEDED_PAIRS: wait until both servers' snapshots lost this one.
    for (const [base, headers] of [
      [environment.baseUrl, {}],
      [
        environment.authBaseUrl,
        {
          authorization: `Basic ${Buffer.from(`${environment.basicUser}:${environment.basicPassword}`).toString('base64')}`,
        },
      ],
    ] as const) {
      await expect
        .poll(
          async () =>
            ((await (await fetch(`${base}/api/health/summary`, { headers })).json()) as { total: number }).total,
          POLL,
        )
        .toBe(SEEDED_PAIRS.length);
    }
  }
});
