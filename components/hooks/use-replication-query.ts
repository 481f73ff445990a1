'use client';

import { useQuery } from '@tanstack/react-query';
import { REPLICATION_POLL_MS } from '@/components/hooks/polling';
import { fetchJson } from './api-fetch';
import { healthzSchema } from './api-schemas';

/** Where the dashboard's reads come from and how far behind the primary: GET /api/healthz's replication. */
export function useReplicationQuery({ pollInBackground = false }: { pollInBackground?: boolean } = {}) {
  return useQuery({
    queryKey: ['replication'],
    queryFn: async ({ signal }) => (await fetchJson('/api/healthz', healthzSchema, signal)).replication,
    refetchInterval: REPLICATION_POLL_MS,
    refetchIntervalInBackground: pollInBackground,
  });
}
