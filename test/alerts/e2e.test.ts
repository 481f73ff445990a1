import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, onTestFailed, test, vi } from 'vitest';
import { parseOpsArgs, runOpsCommand } from '../../lib/ops/commands';
import { closePool } from '../../lib/server/db';
import { CORRUPT_ERROR, seedEveryState } from '../api/fixture';
import { pointApiAt, registerPair } from '../api/support';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { requireTool } from '../support/prometheus-tools';
import { startMetricsServer } from './metrics-server';
import { startStack, startWebhook, type Notification, type Stack } from './stack';

/**
 * End to end: the fixture database with every state, the dashboard's /api/metrics (basic auth
 * on, scraped with a viewer API token), a real Prometheus scraping it every second with the shipped rules (every `for:` cut to
 * 2 s, the expressions as shipped), a real Alertmanager with the shipped route and inhibitions,
 * delivering to a webhook of the test's own. A healthy pair made to fail is one notification
 * under its symbol; fixed, it is one resolve. Bounded: every wait has a timeout.
 */

const AUTH = { user: 'prometheus', password: 'scrape-secret' };
const DASHBOARD_URL = 'https://frontier.example.com';
const WAIT = { timeout: 60_000, interval: 250 };

let db: TestDatabase | undefined;
let metrics: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
let webhook: Awaited<ReturnType<typeof startWebhook>> | undefined;
let stack: Stack | undefined;
let scrapeToken = '';
const forSymbol = (symbol: string) => webhook!.received.filter((n) => n.groupLabels.symbol === symbol);

describe('alerting end to end: dashboard → Prometheus → Alertmanager → webhook', () => {
  let tools: { prometheus: string; alertmanager: string } | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedEveryState(db);
    // XAUUSD's feed is silent (SOURCE_STALE on 5m); its 15m pair also fails: the feed
    // outage must inhibit that alert.
    await registerPair(db, {
      symbol: 'XAUUSD',
      timeframe: '15m',
      cursor: 0,
      successMinutesAgo: 20,
      failures: 2,
      lastError: 'boom',
    });
    const client = await db.pool.connect();
    try {
      const created = await runOpsCommand(
        client,
        parseOpsArgs(['token', 'create', '--name', 'prometheus', '--role', 'viewer']),
      );
      scrapeToken = created.at(-1)!;
    } finally {
      client.release();
    }
    await pointApiAt(db.url, { BASIC_AUTH_USER: AUTH.user, BASIC_AUTH_PASSWORD: AUTH.password, KIOSK_TOKEN: '' });
    metrics = await startMetricsServer();
    webhook = await startWebhook();
  });

  afterAll(async () => {
    await stack?.stop();
    await metrics?.close();
    await webhook?.close();
    await closePool();
    await db?.drop();
    for (const name of ['BASIC_AUTH_USER', 'BASIC_AUTH_PASSWORD', 'KIOSK_TOKEN']) delete process.env[name];
  });

  test('the stack starts and scrapes /api/metrics with a viewer API token', async (context) => {
    tools = { prometheus: requireTool(context, 'prometheus'), alertmanager: requireTool(context, 'alertmanager') };
    stack = await startStack({
      ...tools,
      rulesFile: path.resolve('deploy/prometheus/alerts.yml'),
      alertmanagerFile: path.resolve('deploy/alertmanager/alertmanager.yml'),
      target: `127.0.0.1:${metrics!.port}`,
      webhookUrl: webhook!.url,
      bearerToken: scrapeToken,
      dashboardUrl: DASHBOARD_URL,
    });
    await vi.waitFor(async () => {
      const answer = (await (await fetch(`${stack!.prometheus.base}/api/v1/targets`)).json()) as {
        data: { activeTargets: { health: string; lastError: string }[] };
      };
      expect(answer.data.activeTargets.map((t) => [t.health, t.lastError])).toEqual([['up', '']]);
    }, WAIT);
    // Without the token the dashboard refuses: the scrape above really authenticated.
    expect((await fetch(`http://127.0.0.1:${metrics!.port}/api/metrics`)).status).toBe(401);
    const withToken = await fetch(`http://127.0.0.1:${metrics!.port}/api/metrics`, {
      headers: { authorization: `Bearer ${scrapeToken}` },
    });
    expect(withToken.status).toBe(200);
  }, 90_000);

  test("the fixture's problems are paged per symbol; LAGGING, INEFFICIENT, OK and DISABLED are not", async (context) => {
    if (!stack) context.skip('the stack did not start (see the test before)');
    onTestFailed(dumpLogs);
    const expected = {
      AUDUSD: 'FrontierPairFailing',
      USDJPY: 'FrontierPairStalled',
      NZDUSD: 'FrontierPairCursorAhead',
      USDCAD: 'FrontierPairCursorNull',
      XAUUSD: 'FrontierSourceStale',
    };
    await vi.waitFor(() => {
      for (const symbol of Object.keys(expected)) expect(forSymbol(symbol), symbol).not.toHaveLength(0);
    }, WAIT);
    for (const [symbol, alertname] of Object.entries(expected)) {
      expect(
        forSymbol(symbol)[0]!.alerts.map((a) => a.labels.alertname),
        symbol,
      ).toEqual([alertname]);
    }
    // XAUUSD/15m is FAILING, but the symbol's feed outage inhibits it: Alertmanager has the
    // alert, marked suppressed by the FrontierSourceStale alert.
    await vi.waitFor(async () => {
      const alerts = (await (
        await fetch(`${stack!.alertmanager.base}/api/v2/alerts?filter=${encodeURIComponent('symbol="XAUUSD"')}`)
      ).json()) as { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }[];
      expect(
        alerts.map((a) => [a.labels.alertname, a.labels.timeframe, a.status.state, a.status.inhibitedBy.length]).sort(),
      ).toEqual([
        ['FrontierPairFailing', '15m', 'suppressed', 1],
        ['FrontierSourceStale', undefined, 'active', 0],
      ]);
    }, WAIT);
    expect(
      webhook!.received
        .flatMap((n) => n.alerts)
        .filter((a) => a.labels.symbol === 'XAUUSD')
        .map((a) => a.labels.alertname),
    ).not.toContain('FrontierPairFailing');
    // The Grafana panel's query answers from the same scrape: the fixture's problem states.
    const panel = JSON.parse(readFileSync('deploy/grafana/frontier-pairs-by-state.json', 'utf8')) as {
      targets: { expr: string }[];
    };
    const answer = (await (
      await fetch(`${stack!.prometheus.base}/api/v1/query?query=${encodeURIComponent(panel.targets[0]!.expr)}`)
    ).json()) as { data: { result: { metric: { state: string }; value: [number, string] }[] } };
    expect(Object.fromEntries(answer.data.result.map((r) => [r.metric.state, r.value[1]]))).toMatchObject({
      AHEAD: '1',
      NULL: '1',
      FAILING: '2',
      STALLED: '1',
      SOURCE_STALE: '1',
      LAGGING: '1',
      INEFFICIENT: '1',
    });
    const paged = new Set(webhook!.received.flatMap((n) => n.alerts.map((a) => a.labels.symbol)));
    for (const quiet of ['GBPUSD', 'USDCHF', 'EURUSD', 'BRK.B', 'BTCUSD']) expect(paged.has(quiet), quiet).toBe(false);
  }, 90_000);

  test('a pair made to fail is one notification under its symbol; fixed, one resolve', async (context) => {
    if (!stack) context.skip('the stack did not start (see the first test)');
    onTestFailed(dumpLogs);
    await db!.sql(
      `UPDATE data_agg_state SET consecutive_failures = 4, last_error = $1, last_error_utc = now()
                    WHERE canonical_symbol = 'EURUSD' AND timeframe = '5m'`,
      [CORRUPT_ERROR],
    );
    await vi.waitFor(() => expect(forSymbol('EURUSD')).toHaveLength(1), WAIT);
    const firing = forSymbol('EURUSD')[0]!;
    saveNotification('firing', firing);
    expect(firing).toMatchObject({ receiver: 'frontier-oncall', status: 'firing', groupLabels: { symbol: 'EURUSD' } });
    expect(firing.alerts).toHaveLength(1);
    expect(firing.alerts[0]!.labels).toEqual({
      alertname: 'FrontierPairFailing',
      severity: 'critical',
      symbol: 'EURUSD',
      timeframe: '5m',
      state: 'FAILING',
      job: 'frontier',
      instance: `127.0.0.1:${metrics!.port}`,
      dashboard_url: DASHBOARD_URL,
    });
    expect(firing.alerts[0]!.annotations.runbook_url).toBe(`${DASHBOARD_URL}/pairs/EURUSD/5m`);
    expect(firing.alerts[0]!.annotations.summary).toBe('EURUSD/5m: its runs keep failing');

    // Still failing over several group intervals (2 s) and Prometheus re-sends (1 s): no second page.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(forSymbol('EURUSD')).toHaveLength(1);

    await db!.sql(`UPDATE data_agg_state SET consecutive_failures = 0, last_success_utc = now()
                    WHERE canonical_symbol = 'EURUSD' AND timeframe = '5m'`);
    await vi.waitFor(() => expect(forSymbol('EURUSD')).toHaveLength(2), WAIT);
    const resolved = forSymbol('EURUSD')[1]!;
    saveNotification('resolved', resolved);
    expect(resolved).toMatchObject({ status: 'resolved', groupLabels: { symbol: 'EURUSD' } });
    expect(resolved.alerts.map((a) => [a.status, a.labels.alertname, a.labels.timeframe])).toEqual([
      ['resolved', 'FrontierPairFailing', '5m'],
    ]);
    expect(Date.parse(resolved.alerts[0]!.endsAt)).toBeGreaterThan(Date.parse(resolved.alerts[0]!.startsAt));
    // Over the whole run the inhibited XAUUSD/15m alert never reached the receiver.
    expect(forSymbol('XAUUSD').flatMap((n) => n.alerts.map((a) => a.labels.alertname))).not.toContain(
      'FrontierPairFailing',
    );
  }, 120_000);
});

/** On a failure, what the servers said and what the webhook got: enough to see which hop broke. */
function dumpLogs(): void {
  console.error(
    `prometheus log:\n${stack?.prometheus.log().slice(-3_000)}\nalertmanager log:\n${stack?.alertmanager.log().slice(-3_000)}`,
  );
  console.error(
    `notifications received:\n${JSON.stringify(webhook?.received.map((n) => [n.status, n.groupLabels, n.alerts.map((a) => a.labels.alertname)]))}`,
  );
}

/** Kept for people to read (test-results/ is not committed). */
function saveNotification(kind: string, body: Notification): void {
  mkdirSync('test-results', { recursive: true });
  writeFileSync(path.join('test-results', `alert-notification-${kind}.json`), `${JSON.stringify(body, null, 2)}\n`);
}
