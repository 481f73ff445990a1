'use client';

import { useQuery } from '@tanstack/react-query';
import type { AuditLogPage } from '@/lib/shared/actions';
import { fetchJson } from './api-fetch';
import { actionsStatusSchema, auditLogPageSchema } from './action-schemas';
import { AUDIT_POLL_MS } from './polling';

/** GET /api/actions/status: can this dashboard write, if not why, and your role (for which buttons to show). */
export function useActionsStatusQuery() {
  return useQuery({
    queryKey: ['actions-status'],
    queryFn: ({ signal }) => fetchJson('/api/actions/status', actionsStatusSchema, signal),
    staleTime: 30_000,
  });
}

export interface AuditFilter {
  target?: string;
  actor?: string;
  action?: string;
}

/** GET /api/audit-log, newest first: one page of `limit` rows (the pair page shows its last ten). */
export function useAuditLogQuery(filter: AuditFilter, limit = 100) {
  const params = new URLSearchParams({ limit: String(limit) });
  for (const [name, value] of Object.entries(filter)) if (value) params.set(name, value);
  const path = `/api/audit-log?${params}`;
  return useQuery<AuditLogPage>({
    queryKey: ['audit-log', filter, limit],
    queryFn: ({ signal }) => fetchJson(path, auditLogPageSchema, signal),
    refetchInterval: AUDIT_POLL_MS,
  });
}
