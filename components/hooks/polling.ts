import { QueryClient } from '@tanstack/react-query';

/**
 * How often each screen asks the API again. The worker runs every 15 s by default, so polling
 * faster than that only shows the same numbers again.
 *
 * react-query restarts a query's refetch interval on every state change of the query (fetch
 * start, each failure, success), so the next poll starts one interval after the previous one
 * ended and two polls of one query never overlap (tested in test/unit/polling.test.ts).
 */
export const OVERVIEW_POLL_MS = 15_000;
export const PAIR_DETAIL_POLL_MS = 10_000;
export const WALL_POLL_MS = 15_000;
/** Incidents change when the history writer evaluates (every 15 s by default). */
export const INCIDENTS_POLL_MS = 15_000;
/** A state timeline over hours or days: a new band every few seconds is not worth more. */
export const TIMELINE_POLL_MS = 30_000;
/** MTTR over hours or days: the server caches it for a minute. */
export const STATS_POLL_MS = 60_000;
// The worker heartbeats behind the "no worker running" banner: a worker beats every pass (15 s by default).
export const WORKERS_POLL_MS = 15_000;
/** The audit log: /audit and the pair page's list of its actions. */
export const AUDIT_POLL_MS = 30_000;
// Where the reads come from and how far behind the primary (GET /api/healthz): the replica banner.
export const REPLICATION_POLL_MS = 10_000;

/** A request that takes longer than this is abandoned; the next poll tries again. */
export const REQUEST_TIMEOUT_MS = 12_000;

/** How long the wall shows one page of problem tiles before moving on. */
export const WALL_PAGE_MS = 10_000;

/** Retries inside one poll: few and short, the next poll is the real retry. */
export const POLL_RETRIES = 1;
export const RETRY_DELAY_MS = 2_000;

/**
 * The one QueryClient of the app with its named defaults. A client (not a module singleton)
 * per browser tab: app/providers.tsx creates it once.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Polling decides freshness; a focus change does not need another request.
        staleTime: 5_000,
        refetchOnWindowFocus: false,
        refetchOnReconnect: true,
        retry: (failureCount, error) => failureCount < POLL_RETRIES && !isClientError(error),
        retryDelay: RETRY_DELAY_MS,
        // Unused queries (a pair page left behind) are dropped quickly so a long-running tab
        // does not collect caches.
        gcTime: 60_000,
      },
    },
  });
}

/** A 4xx answer (bad parameters, unknown pair) will not get better by asking again at once. */
export function isClientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('status' in error)) return false;
  const { status } = error;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** A poll interval that stops once the resource answered 4xx (no such pair: asking every 10 s will not help). */
export function pollUntilClientError(intervalMs: number) {
  return (query: { state: { error: unknown; data: unknown } }): number | false =>
    isClientError(query.state.error) && query.state.data === undefined ? false : intervalMs;
}

export interface PollTiming {
  /** When the last good data arrived (ms epoch); 0 before the first success. */
  dataUpdatedAt: number;
  /** When the last failed poll ended (ms epoch); 0 when none failed. */
  errorUpdatedAt: number;
  isFetching: boolean;
  intervalMs: number;
  /**
   * When the data shown was read (ms epoch), where that is not when it arrived: the overview's
   * answers come from a snapshot that may be older than the request (a first look takes one up to
   * a minute old). "Updated N s ago" says this one; the next poll is still timed from dataUpdatedAt.
   */
  dataAsOf?: number;
}

/**
 * When the next poll starts, following react-query's timer rule above; null while a request
 * is in flight.
 */
export function nextPollAt(timing: PollTiming): number | null {
  if (timing.isFetching) return null;
  const settled = Math.max(timing.dataUpdatedAt, timing.errorUpdatedAt);
  return settled === 0 ? null : settled + timing.intervalMs;
}
