import { query } from '../server/db';
import type { AuditEntry, AuditLogPage } from '../shared/actions';
import type { AuditLogQuery } from './params';

interface AuditRow {
  id: number;
  at_utc: Date;
  actor: string;
  role: AuditEntry['role'];
  source: AuditEntry['source'];
  action: string;
  target: string;
  args: Record<string, unknown> | null;
  result: Record<string, unknown> | null;
  ok: boolean;
}

/** The audit log, newest first, keyset-paged by id; read through the dashboard's read pool. */
export async function listAuditLog(filter: AuditLogQuery): Promise<AuditLogPage> {
  const rows = await query<AuditRow>(
    'audit-log',
    `SELECT id, at_utc, actor, role, source, action, target, args, result, ok
       FROM operator_actions
      WHERE ($1::text IS NULL OR target = $1)
        AND ($2::text IS NULL OR actor = $2)
        AND ($3::text IS NULL OR action = $3)
        AND ($4::timestamptz IS NULL OR at_utc >= $4)
        AND ($5::bigint IS NULL OR id < $5)
      ORDER BY id DESC
      LIMIT $6`,
    [filter.target, filter.actor, filter.action, filter.since, filter.before, filter.limit + 1],
  );
  const page = rows.slice(0, filter.limit);
  return {
    entries: page.map((row) => ({
      id: row.id,
      atUtc: row.at_utc.toISOString(),
      actor: row.actor,
      role: row.role,
      source: row.source,
      action: row.action,
      target: row.target,
      reason: typeof row.args?.reason === 'string' ? row.args.reason : null,
      args: row.args ?? {},
      result: row.result,
      ok: row.ok,
    })),
    nextCursor: rows.length > filter.limit ? page.at(-1)!.id : null,
  };
}
