import { expect, test } from '@playwright/test';
import pg from 'pg';
import { e2eEnvironment } from './fixtures/environment';
import { expectedCounts, HISTORY_PAIR, SEEDED_PAIRS } from './fixtures/seed';

/**
 * Both app servers connect as frontier_dashboard, the role of db/roles/dashboard-readonly.sql
 * (SELECT on four relations, read-only transactions by default). Everything must work under
 * it, and the role must not be able to change anything, whatever it tries.
 */
const environment = e2eEnvironment();

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The SQLSTATE and message a statement fails with (it must fail). */
async function failure(client: pg.Client, sql: string, params: unknown[] = []): Promise<string> {
  try {
    await client.query(sql, params);
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return `${code}: ${message}`;
  }
  return 'succeeded';
}

test('every page and API route works on the read-only role, and the servers really use it', async ({
  page,
  request,
}) => {
  const routes: Array<[string, (body: string) => void]> = [
    ['/api/health', (body) => expect((JSON.parse(body) as { rows: unknown[] }).rows).toHaveLength(SEEDED_PAIRS.length)],
    ['/api/health/summary', (body) => expect((JSON.parse(body) as { total: number }).total).toBe(SEEDED_PAIRS.length)],
    [
      `/api/pairs/${HISTORY_PAIR.symbol}/${HISTORY_PAIR.timeframe}`,
      (body) => expect(body).toContain(`"symbol":"${HISTORY_PAIR.symbol}"`),
    ],
    [
      `/api/pairs/${HISTORY_PAIR.symbol}/${HISTORY_PAIR.timeframe}/runs?limit=500`,
      (body) => expect((JSON.parse(body) as { runs: unknown[] }).runs).toHaveLength(HISTORY_PAIR.runs),
    ],
    [
      '/api/healthz',
      (body) =>
        expect(JSON.parse(body)).toEqual({
          status: 'ok',
          database: 'up',
          replication: {
            role: 'primary',
            lagSeconds: 0,
            replayPaused: false,
            stale: false,
            dataAsOf: expect.any(String),
          },
        }),
    ],
    [
      '/api/metrics',
      (body) =>
        expect(
          [...body.matchAll(/^frontier_pairs\{state="OK",timeframe="\w+"\} (\d+)$/gm)].reduce(
            (sum, match) => sum + Number(match[1]),
            0,
          ),
        ).toBe(expectedCounts().OK),
    ],
  ];
  for (const [path, check] of routes) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    check(await response.text());
  }
  // The auth server, too (same role): one data route with its credentials.
  const auth = await request.get(`${environment.authBaseUrl}/api/health/summary`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${environment.basicUser}:${environment.basicPassword}`).toString('base64')}`,
    },
  });
  expect(auth.status()).toBe(200);

  await page.goto('/');
  await expect(page.getByTestId('count-value-OK')).toHaveText(String(expectedCounts().OK));
  await page.goto(`/pairs/${HISTORY_PAIR.symbol}/${HISTORY_PAIR.timeframe}`);
  await expect(page.getByTestId('run-row')).toHaveCount(25);
  await page.goto('/wall');
  await expect(page.getByTestId('wall-count-OK')).toContainText(String(expectedCounts().OK));

  // Whose connections served all that (the pools keep them open for 30 s).
  const sessions = await withClient(
    environment.databaseUrl,
    async (client) =>
      (
        await client.query<{ app: string; usename: string }>(
          `SELECT DISTINCT application_name AS app, usename FROM pg_stat_activity
        WHERE application_name LIKE 'frontier-e2e-%' ORDER BY 1`,
        )
      ).rows,
  );
  // (The third server, frontier-e2e-oidc, is there too once e2e/oidc.spec.ts has signed in.)
  expect(sessions.filter((session) => session.app !== 'frontier-e2e-oidc')).toEqual([
    { app: 'frontier-e2e-app', usename: 'frontier_dashboard' },
    { app: 'frontier-e2e-auth', usename: 'frontier_dashboard' },
  ]);
  expect(sessions.map((session) => session.usename)).toEqual(sessions.map(() => 'frontier_dashboard'));
});

test('the role holds SELECT on sixteen relations, EXECUTE on api_token_role and owner_team, pg_read_all_stats, and nothing else', async () => {
  const facts = await withClient(environment.databaseUrl, async (client) => ({
    role: (
      await client.query(
        `SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolreplication, rolinherit
         FROM pg_roles WHERE rolname = 'frontier_dashboard'`,
      )
    ).rows,
    grants: (
      await client.query<{ grant: string }>(
        `SELECT table_name || ':' || privilege_type AS grant FROM information_schema.table_privileges
        WHERE grantee = 'frontier_dashboard' ORDER BY 1`,
      )
    ).rows.map((row) => row.grant),
    routines: (
      await client.query<{ grant: string }>(
        `SELECT routine_name || ':' || privilege_type AS grant FROM information_schema.routine_privileges
        WHERE grantee = 'frontier_dashboard' ORDER BY 1`,
      )
    ).rows.map((row) => row.grant),
    memberOf: (
      await client.query(
        `SELECT roleid::regrole::text FROM pg_auth_members WHERE member = 'frontier_dashboard'::regrole`,
      )
    ).rows,
  }));
  expect(facts.role).toEqual([
    {
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolbypassrls: false,
      rolreplication: false,
      // inherits its one membership, pg_read_all_stats (below), and nothing else
      rolinherit: true,
    },
  ]);
  expect(facts.grants).toEqual([
    'acknowledgements:SELECT',
    'agg_timeframes:SELECT',
    'data_agg_runs:SELECT',
    'data_agg_state:SELECT',
    'health_policies:SELECT',
    'incident_pairs:SELECT',
    'incidents:SELECT',
    'maintenance_windows:SELECT',
    'operator_actions:SELECT',
    'owners:SELECT',
    'pair_state_current:SELECT',
    'pair_state_intervals:SELECT',
    'v_aggregation_frontier_health:SELECT',
    'v_pair_maintenance:SELECT',
    'v_symbol_market_session:SELECT',
    'worker_heartbeats:SELECT',
  ]);
  // Two functions of its own: the API token check, which answers for one hash and lists nothing,
  // and owner_team, which answers for one symbol.
  expect(facts.routines).toEqual(['api_token_role:EXECUTE', 'owner_team:EXECUTE']);
  expect(facts.memberOf).toEqual([{ roleid: 'pg_read_all_stats' }]);
});

test('the role cannot write: read-only transactions, and no write privilege when it asks for read-write', async () => {
  const snapshot = () =>
    withClient(
      environment.databaseUrl,
      async (client) =>
        (
          await client.query(
            `SELECT (SELECT count(*) FROM data_agg_state) AS pairs, (SELECT count(*) FROM data_agg_runs) AS runs,
                (SELECT count(*) FROM bars_agg) AS bars,
                (SELECT last_agg_bar_ts_utc FROM data_agg_state WHERE canonical_symbol = 'EURUSD' AND timeframe = '5m') AS cursor,
                (SELECT count(*) FROM pg_class WHERE relname = 'fm_intruder') AS intruder`,
          )
        ).rows[0] as Record<string, unknown>,
    );
  const before = await snapshot();

  const outcomes = await withClient(environment.dashboardDatabaseUrl, async (client) => {
    const readOnly = (
      await client.query<{ default_transaction_read_only: string }>('SHOW default_transaction_read_only')
    ).rows[0];
    const attempts = {
      insert: `INSERT INTO data_agg_state (canonical_symbol, timeframe) VALUES ('FMTEST', '5m')`,
      update: `UPDATE data_agg_state SET enabled = false WHERE canonical_symbol = 'EURUSD'`,
      delete: 'DELETE FROM data_agg_runs',
      runCatchup: `SELECT run_catchup('EURUSD', '5m', 10, 1)`,
      reset: 'SELECT * FROM reset_aggregation_cursors(false)',
      resetOnePair: `SELECT * FROM reset_aggregation_cursor('EURUSD', '5m', false)`,
      createTable: 'CREATE TABLE fm_intruder (id int)',
    };
    const results: Record<string, { defaultTransaction: string; readWrite: string }> = {};
    for (const [name, sql] of Object.entries(attempts)) {
      const defaultTransaction = await failure(client, sql);
      // Any session may ask for a read-write transaction: then the grants must say no.
      await client.query('BEGIN READ WRITE');
      const readWrite = await failure(client, sql);
      await client.query('ROLLBACK');
      results[name] = { defaultTransaction, readWrite };
    }
    const rawBars = await failure(client, 'SELECT count(*) FROM bars_1m');
    const tokenTable = await failure(client, 'SELECT token_sha256 FROM api_tokens');
    const tokenLookup = (await client.query(`SELECT * FROM api_token_role(repeat('0', 64))`)).rows;
    return { readOnly, results, rawBars, tokenTable, tokenLookup };
  });

  expect(outcomes.readOnly).toEqual({ default_transaction_read_only: 'on' });
  for (const [name, { defaultTransaction, readWrite }] of Object.entries(outcomes.results)) {
    // 25006 read_only_sql_transaction, or 42501 when a privilege check comes first.
    expect(defaultTransaction, name).toMatch(
      /^(25006: cannot execute [A-Z ]+ in a read-only transaction|42501: permission denied for (table|schema|view|function) \w+)$/,
    );
    // 42501 insufficient_privilege, whichever object the statement reaches first.
    expect(readWrite, name).toMatch(/^42501: permission denied for (table|schema|view|function) \w+$/);
  }
  expect(outcomes.results.insert!.defaultTransaction).toBe('25006: cannot execute INSERT in a read-only transaction');
  expect(outcomes.results.insert!.readWrite).toBe('42501: permission denied for table data_agg_state');
  expect(outcomes.results.update!.readWrite).toBe('42501: permission denied for table data_agg_state');
  expect(outcomes.results.runCatchup).toEqual({
    defaultTransaction: '25006: cannot execute SELECT FOR UPDATE in a read-only transaction',
    readWrite: '42501: permission denied for table data_agg_state',
  });
  expect(outcomes.results.createTable!.readWrite).toBe('42501: permission denied for schema public');
  // The view reads the raw bars with its owner's rights; the role itself cannot.
  expect(outcomes.rawBars).toBe('42501: permission denied for table bars_1m');
  // It may check one token's hash, never read the table of them.
  expect(outcomes.tokenTable).toBe('42501: permission denied for table api_tokens');
  expect(outcomes.tokenLookup).toEqual([]);

  expect(await snapshot()).toEqual(before);
});
