'use client';

import { useQuery } from '@tanstack/react-query';
import type { MeResponse } from '@/lib/shared/types';
import { fetchJson } from './api-fetch';
import { meSchema } from './api-schemas';

/** Who is signed in (GET /api/auth/me); asked once per page, the session does not change under it. */
export function useMeQuery() {
  return useQuery<MeResponse>({
    queryKey: ['me'],
    queryFn: ({ signal }) => fetchJson('/api/auth/me', meSchema, signal),
    staleTime: Infinity,
    retry: false,
  });
}
