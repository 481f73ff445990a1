'use client';

import { useQuery } from '@tanstack/react-query';
import { WORKERS_POLL_MS } from '@/components/hooks/polling';
import type { WorkersResponse } from '@/lib/shared/types';
import { fetchJson } from './api-fetch';
import { workersSchema } from './api-schemas';

/** The worker processes and their heartbeats: GET /api/workers. */
export function useWorkersQuery({ pollInBackground = false }: { pollInBackground?: boolean } = {}) {
  return useQuery<WorkersResponse>({
    queryKey: ['workers'],
    queryFn: ({ signal }) => fetchJson('/api/workers', workersSchema, signal),
    refetchInterval: WORKERS_POLL_MS,
    refetchIntervalInBackground: pollInBackground,
  });
}
