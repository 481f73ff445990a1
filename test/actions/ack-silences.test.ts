// An ack's Alertmanager silence (docs/ACTIONS.md "The silence"), against a REAL Alertmanager with
// the shipped config (test/alerts/stack.ts) and a real PostgreSQL: the ack route creates the
// silence, alerts with its labels are suppressed and never notify, the history writer's pass
// expires it when the problem resolves, a withdrawal expires it at once, and an Alertmanager
// that is down when the ack is made fails nothing: the silence is made once it is up.
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DELETE as incidentUnack, POST as incidentAck } from '../../app/api/incidents/[id]/ack/route';
import { GET as incidentsGET } from '../../app/api/incidents/route';
import { DELETE as pairUnack, POST as pairAck } from '../../app/api/pairs/[symbol]/[timeframe]/ack/route';
import { closeWritePool } from '../../lib/actions/write-pool';
import { reconcileSilences } from '../../lib/alertmanager/reconcile';
import { SILENCE_HORIZON_MS } from '../../lib/alertmanager/scope';
import { silenceStep } from '../../lib/history/silences';
import { HistoryWriter } from '../../lib/history/writer';
import { closePool } from '../../lib/server/db';
import { parseEnv } from '../../lib/server/env';
import type { AckResponse, WithdrawResponse } from '../../lib/shared/acks';
import type { IncidentsResponse } from '../../lib/shared/history-types';
import type { ApiErrorBody } from '../../lib/shared/types';
import { freePort, startAlertmanager, startWebhook } from '../alerts/stack';
import { seedEveryState } from '../api/fixture';
import { call, pointApiAt, resetApiCaches } from '../api/support';
import { evaluate, observed, SETTINGS, type Observation } from '../history/support';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { missingTools, toolFile } from '../support/prometheus-tools';
import { createActionsRole } from './support';

const skip = missingTools('alertmanager');
let db: TestDatabase;
let writeUrl: string;
let webhook: Awaited<ReturnType<typeof startWebhook>>;
let am: Awaited<ReturnType<typeof startAlertmanager>> | undefined;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const ALERTMANAGER_FILE = path.resolve('deploy/alertmanager/alertmanager.yml');

type Answer<T> = { status: number; body: T & ApiErrorBody };
async function send<T>(
  handler: unknown,
  method: string,
  url: string,
  params: object,
  body?: unknown,
): Promise<Answer<T>> {
  const response = await (handler as (r: Request, c: { params: Promise<object> }) => Promise<Response>)(
    new Request(`http://127.0.0.1${url}`, {
      method,
      headers: { 'content-type': 'application/json', host: '127.0.0.1' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    { params: Promise.resolve(params) },
  );
  return { status: response.status, body: (await response.json()) as T & ApiErrorBody };
}
const ackPair = (symbol: string, timeframe: string, note: string) =>
  send<AckResponse>(pairAck, 'POST', `/api/pairs/${symbol}/${timeframe}/ack`, { symbol, timeframe }, { note });

interface Silence {
  id: string;
  status: { state: string };
  matchers: { name: string; value: string; isRegex: boolean; isEqual?: boolean }[];
  createdBy: string;
  comment: string;
  endsAt: string;
}
const silence = async (id: string): Promise<Silence> =>
  (await (await fetch(`${am!.base}/api/v2/silence/${id}`)).json()) as Silence;
const matchersOf = (s: Silence) => s.matchers.map((m) => `${m.name}=${m.value}`).sort();

/** Waits (bounded) for a condition on Alertmanager's answers. */
async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (const started = Date.now(); Date.now() - started < 20_000;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const PROBLEMS: Observation[] = [
  ['AUDUSD', '5m', 'FAILING', 'vendor down'],
  ['NZDUSD', '5m', 'AHEAD'],
  ['USDJPY', '5m', 'STALLED'],
  ['EURUSD', '5m', 'STALLED'],
];

async function pointAt(alertmanagerUrl: string): Promise<void> {
  await pointApiAt(db.url, { DATABASE_WRITE_URL: writeUrl, ALERTMANAGER_URL: alertmanagerUrl });
}
async function reconcile() {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return await reconcileSilences(client, { alertmanagerUrl: am!.base, log: quiet });
  } finally {
    await client.end();
  }
}
const ackRow = async (ackId: number) =>
  (
    await db.sql<{ silence_id: string | null; silence_state: string | null; silence_error: string | null }>(
      `SELECT silence_id, silence_state, silence_error FROM acknowledgements WHERE ack_id = ${ackId}`,
    )
  )[0]!;

beforeAll(async () => {
  if (skip) return;
  db = await createTestDatabase();
  await seedEveryState(db);
  writeUrl = await createActionsRole(db);
  webhook = await startWebhook();
  am = await startAlertmanager({
    alertmanager: toolFile('alertmanager'),
    alertmanagerFile: ALERTMANAGER_FILE,
    webhookUrl: webhook.url,
  });
  await pointAt(am.base);
  await evaluate(db.pool, PROBLEMS);
  resetApiCaches();
}, 60_000);

afterAll(async () => {
  if (skip) return;
  await am?.stop();
  await webhook.close();
  await closeWritePool();
  await closePool();
  for (const name of ['DATABASE_WRITE_URL', 'ALERTMANAGER_URL']) delete process.env[name];
  await db.drop();
});

describe.skipIf(skip)('an ack silences its alerts in a real Alertmanager', () => {
  test("a pair's ack: an active silence on symbol and timeframe; its alert is suppressed and never notifies", async () => {
    const { status, body } = await ackPair('USDJPY', '5m', 'worker restarted');
    expect(status).toBe(200);
    expect(body.silence).toMatchObject({ state: 'active', id: expect.any(String) });
    const id = (body.silence as { id: string }).id;
    expect(await ackRow(body.ackId)).toEqual({ silence_id: id, silence_state: 'active', silence_error: null });
    const made = await silence(id);
    expect([made.status.state, matchersOf(made), made.createdBy]).toEqual([
      'active',
      ['symbol=USDJPY', 'timeframe=5m'],
      'anonymous',
    ]);
    expect(made.comment).toBe(`worker restarted (Frontier Monitor ack #${body.ackId}: /pairs/USDJPY/5m)`);
    expect(Date.parse(made.endsAt) - Date.now()).toBeGreaterThan(SILENCE_HORIZON_MS - 60_000);

    // Two alerts as Prometheus sends them: the acked pair's and another pair's.
    const alert = (symbol: string) => ({
      labels: { alertname: 'FrontierPairStalled', severity: 'critical', symbol, timeframe: '5m', state: 'STALLED' },
    });
    const pushed = await fetch(`${am!.base}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([alert('USDJPY'), alert('EURUSD')]),
    });
    expect(pushed.status).toBe(200);
    type Alert = { labels: Record<string, string>; status: { state: string; silencedBy: string[] } };
    const alerts = await until('both alerts', async () => {
      const list = (await (await fetch(`${am!.base}/api/v2/alerts`)).json()) as Alert[];
      return list.length === 2 ? list : undefined;
    });
    const bySymbol = Object.fromEntries(alerts.map((a) => [a.labels.symbol, a.status]));
    expect(bySymbol.USDJPY).toMatchObject({ state: 'suppressed', silencedBy: [id] });
    expect(bySymbol.EURUSD).toMatchObject({ state: 'active', silencedBy: [] });
    // The other pair pages (one group per symbol); the silenced one does not.
    await until('the EURUSD notification', async () =>
      webhook.received.some((n) => n.groupLabels.symbol === 'EURUSD') ? true : undefined,
    );
    expect(webhook.received.flatMap((n) => n.alerts.map((a) => a.labels.symbol))).not.toContain('USDJPY');
  });

  test("the problem resolves: the history writer's pass expires the silence, once; a silence it did not make stays", async () => {
    const [row] = await db.sql<{ ack_id: string; silence_id: string }>(
      `SELECT ack_id, silence_id FROM acknowledgements WHERE canonical_symbol = 'USDJPY' AND silence_state = 'active'`,
    );
    const foreign = (await (
      await fetch(`${am!.base}/api/v2/silences`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          matchers: [{ name: 'symbol', value: 'USDJPY', isRegex: false, isEqual: true }],
          startsAt: new Date().toISOString(),
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
          createdBy: 'someone else',
          comment: 'made by hand',
        }),
      })
    ).json()) as { silenceID: string };
    const resolved = PROBLEMS.map((p): Observation => (p[0] === 'USDJPY' ? ['USDJPY', '5m', 'OK'] : p));
    const writer = new HistoryWriter({
      connectionString: db.url,
      observe: async () => observed(resolved),
      settings: { ...SETTINGS, mode: 'on', intervalMs: 60_000, retentionDays: 30, pruneEvery: 1_000, pruneBatch: 100 },
      log: quiet,
      afterEvaluation: silenceStep(parseEnv({ ALERTMANAGER_URL: am!.base })),
    });
    try {
      expect((await writer.tick()).role).toBe('writer');
    } finally {
      await writer.stop();
    }
    expect((await silence(row!.silence_id)).status.state).toBe('expired');
    expect(await ackRow(Number(row!.ack_id))).toMatchObject({ silence_state: 'expired' });
    // Idempotent: nothing left to do, and the hand-made silence is untouched.
    expect(await reconcile()).toEqual({ created: 0, extended: 0, expired: 0, failed: 0, none: 0 });
    expect((await silence(foreign.silenceID)).status.state).toBe('active');
  });

  test("an incident's ack silences its scope (symbol and state); withdrawing it expires the silence at once", async () => {
    const { body: list } = await call<IncidentsResponse>(incidentsGET, '/api/incidents?status=open');
    const incident = list.incidents.find((i) => i.symbol === 'AUDUSD')!;
    const acked = await send<AckResponse>(
      incidentAck,
      'POST',
      `/api/incidents/${incident.id}/ack`,
      { id: String(incident.id) },
      { note: 'vendor ticket 42' },
    );
    expect(acked.status).toBe(200);
    const id = (acked.body.silence as { id: string }).id;
    expect(matchersOf(await silence(id))).toEqual(['state=FAILING', 'symbol=AUDUSD']);
    const withdrawn = await send<WithdrawResponse>(incidentUnack, 'DELETE', `/api/incidents/${incident.id}/ack`, {
      id: String(incident.id),
    });
    expect([withdrawn.status, withdrawn.body.silence]).toEqual([200, { state: 'expired', id }]);
    expect((await silence(id)).status.state).toBe('expired');
    expect(await ackRow(acked.body.ackId)).toMatchObject({ silence_state: 'expired' });
    const [ended] = await db.sql(`SELECT ended_reason FROM acknowledgements WHERE ack_id = ${acked.body.ackId}`);
    expect(ended).toEqual({ ended_reason: 'withdrawn' });
  });

  test('a current ack whose silence nears its end is extended by the pass', async () => {
    const { body } = await ackPair('NZDUSD', '5m', 'cursor fix under way');
    await db.sql(
      `UPDATE acknowledgements SET silence_ends_at = now() + interval '1 hour' WHERE ack_id = ${body.ackId}`,
    );
    expect(await reconcile()).toMatchObject({ extended: 1, created: 0, expired: 0 });
    const row = await ackRow(body.ackId);
    const extended = await silence(row.silence_id!);
    expect([row.silence_state, extended.status.state, matchersOf(extended)]).toEqual([
      'active',
      'active',
      ['symbol=NZDUSD', 'timeframe=5m'],
    ]);
    expect(Date.parse(extended.endsAt) - Date.now()).toBeGreaterThan(SILENCE_HORIZON_MS - 60_000);
  });

  test('Alertmanager down at ack time: the ack lands (200), the failure is kept, the pass makes the silence once it is up', async () => {
    await am!.stop();
    const port = await freePort();
    await pointAt(`http://127.0.0.1:${port}`);
    const { status, body } = await ackPair('EURUSD', '5m', 'feed vendor paged');
    expect(status).toBe(200);
    expect(body.silence).toMatchObject({ state: 'failed' });
    expect((body.silence as { error: string }).error).toContain(
      `Alertmanager at http://127.0.0.1:${port} did not answer`,
    );
    expect(await ackRow(body.ackId)).toMatchObject({ silence_id: null, silence_state: 'failed' });

    am = await startAlertmanager({
      alertmanager: toolFile('alertmanager'),
      alertmanagerFile: ALERTMANAGER_FILE,
      webhookUrl: webhook.url,
      port,
    });
    expect(await reconcile()).toMatchObject({ created: 1, failed: 0 });
    const row = await ackRow(body.ackId);
    expect(row).toMatchObject({ silence_state: 'active', silence_error: null });
    const made = await silence(row.silence_id!);
    expect([made.status.state, matchersOf(made)]).toEqual(['active', ['symbol=EURUSD', 'timeframe=5m']]);
    expect(await reconcile()).toMatchObject({ created: 0 });
  });

  test('Alertmanager down at withdrawal: the withdrawal lands (200), the pass expires the silence once it is up', async () => {
    const [row] = await db.sql<{ ack_id: string; silence_id: string }>(
      `SELECT ack_id, silence_id FROM acknowledgements WHERE canonical_symbol = 'EURUSD' AND silence_state = 'active'`,
    );
    const port = am!.port;
    await am!.stop();
    const { status, body } = await send<WithdrawResponse>(pairUnack, 'DELETE', '/api/pairs/EURUSD/5m/ack', {
      symbol: 'EURUSD',
      timeframe: '5m',
    });
    expect([status, body.ackId, body.silence?.state]).toEqual([200, Number(row!.ack_id), 'failed']);
    expect(await ackRow(body.ackId)).toMatchObject({ silence_id: row!.silence_id, silence_state: 'active' });
    // Alertmanager back with its data gone (a fresh storage path): the silence is not there.
    am = await startAlertmanager({
      alertmanager: toolFile('alertmanager'),
      alertmanagerFile: ALERTMANAGER_FILE,
      webhookUrl: webhook.url,
      port,
    });
    expect(await reconcile()).toMatchObject({ expired: 1, created: 0 });
    expect(await ackRow(body.ackId)).toMatchObject({ silence_state: 'expired' });
  });
});
