// The API shows the audit: a pair with drift an audit left is DRIFT with its reason and the SQL
// that repairs it; repaired windows of the last 24 h are counted; ?preset=drift finds both; the
// runs list carries the audit runs.
import { formatUtc } from '../../lib/shared/time-format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GET as healthGET } from '../../app/api/health/route';
import { GET as detailGET } from '../../app/api/pairs/[symbol]/[timeframe]/route';
import { GET as runsGET } from '../../app/api/pairs/[symbol]/[timeframe]/runs/route';
import { closePool } from '../../lib/server/db';
import type { HealthListResponse, PairDetailResponse, RunsPage } from '../../lib/shared/types';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { MINUTE, call, currentWindow, pointApiAt } from './support';

let db: TestDatabase;
const window = currentWindow();
const start = Math.floor((window - 6 * 60 * MINUTE) / (60 * MINUTE)) * 60 * MINUTE;

beforeAll(async () => {
  db = await createTestDatabase();
  for (const symbol of ['DRFT', 'FIXD', 'CLEAN']) {
    await insertBars(db.pool, randomWalkBars(symbol, minutesBetween(new Date(start), new Date(window)), 3));
    await db.sql(`SELECT bootstrap_aggregation_cursor($1, '5m')`, [symbol]);
    await db.sql(`SELECT run_catchup($1, '5m', 1000, 0)`, [symbol]);
  }
  const ts = new Date(start + 60 * MINUTE);
  // DRFT: a late minute changed a finalized window; a dry audit found it and left it.
  await db.sql(`UPDATE bars_1m SET volume = volume + 100 WHERE canonical_symbol IN ('DRFT', 'FIXD') AND ts_utc = $1`, [
    ts,
  ]);
  await db.sql(`SELECT audit_aggregation_range('DRFT', '5m', $1, now(), false)`, [new Date(start)]);
  // FIXD: the same, repaired.
  await db.sql(`SELECT audit_aggregation_range('FIXD', '5m', $1, now(), true)`, [new Date(start)]);
  await pointApiAt(db.url);
});
afterAll(async () => {
  await closePool();
  await db?.drop();
});

describe('drift on the API', () => {
  test('a pair with unrepaired drift is DRIFT, with a reason and the repairing SQL; a repaired one is OK and counted', async () => {
    const { body } = await call<HealthListResponse>(healthGET, '/api/health');
    const byKey = new Map(body.rows.map((row) => [row.symbol, row]));
    const ts = new Date(start + 60 * MINUTE).toISOString();
    const to = new Date(start + 65 * MINUTE).toISOString();
    expect(byKey.get('DRFT')).toMatchObject({
      state: 'DRIFT',
      auditUnrepaired: 1,
      auditRepaired24h: 0,
      auditUnrepairedFromUtc: ts,
      auditUnrepairedToUtc: to,
      reason: `1 finalized window differs from bars_1m (audit, not repaired) from ${formatUtc(ts)} to ${formatUtc(to)}`,
      action: `repair them: SELECT audit_aggregation_range('DRFT', '5m', '${ts}', '${to}', true);`,
    });
    expect(byKey.get('FIXD')).toMatchObject({ state: 'OK', auditUnrepaired: 0, auditRepaired24h: 1 });
    expect(byKey.get('CLEAN')).toMatchObject({
      state: 'OK',
      auditUnrepaired: 0,
      auditRepaired24h: 0,
      auditLastUtc: null,
    });
    const drift = await call<HealthListResponse>(healthGET, '/api/health?preset=drift');
    expect(drift.body.rows.map((row) => row.symbol).sort()).toEqual(['DRFT', 'FIXD']);
    const state = await call<HealthListResponse>(healthGET, '/api/health?state=drift');
    expect(state.body.rows.map((row) => row.symbol)).toEqual(['DRFT']);
  });

  test('the pair page gives the remediation SQL and lists the audit run, which then repairs it', async () => {
    const detail = await call<PairDetailResponse>(detailGET, '/api/pairs/DRFT/5m', { symbol: 'DRFT', timeframe: '5m' });
    expect(detail.body.remediationSql).toContain(`SELECT audit_aggregation_range('DRFT', '5m', '`);
    // pasting it repairs the pair
    const repair = detail.body
      .remediationSql!.split('\n')
      .find((line) => line.startsWith('SELECT audit_aggregation_range'))!;
    const [result] = await db.sql<{ audit_aggregation_range: { repaired: number } }>(repair);
    expect(result!.audit_aggregation_range.repaired).toBe(1);
    const runs = await call<RunsPage>(runsGET, '/api/pairs/FIXD/5m/runs', { symbol: 'FIXD', timeframe: '5m' });
    expect(runs.body.runs[0]!.result).toMatchObject({ kind: 'audit', drifted: 1, repaired: 1 });
  });
});
