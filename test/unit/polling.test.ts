import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// react-query does not poll on a server (it checks for `window` when it loads): pretend to be
// a browser before anything imports it.
vi.hoisted(() => {
  Object.assign(globalThis, { window: globalThis });
});

const { QueryObserver } = await import('@tanstack/react-query');
const { createQueryClient, nextPollAt, POLL_RETRIES, RETRY_DELAY_MS } = await import('../../components/hooks/polling');
const { formatAge } = await import('../../lib/shared/duration');

afterAll(() => {
  Reflect.deleteProperty(globalThis, 'window');
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('polling with the app QueryClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never overlaps a slow poll: the next one starts one interval after the previous ended', async () => {
    const client = createQueryClient();
    let inFlight = 0;
    let maxInFlight = 0;
    const spans: Array<[number, number]> = [];
    const observer = new QueryObserver(client, {
      queryKey: ['slow'],
      queryFn: async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const started = Date.now();
        await sleep(7_000); // slower than the interval
        inFlight -= 1;
        spans.push([started, Date.now()]);
        return spans.length;
      },
      refetchInterval: 5_000,
    });
    const unsubscribe = observer.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(120_000);
    unsubscribe();

    expect(maxInFlight).toBe(1);
    expect(spans.length).toBe(10); // 120 s / (7 s request + 5 s pause)
    for (let i = 1; i < spans.length; i += 1) expect(spans[i]![0] - spans[i - 1]![1]).toBe(5_000);
    client.clear();
  });

  it('keeps the last good data through failed polls, reports them, and recovers by itself', async () => {
    const client = createQueryClient();
    let down = false;
    let served = 0;
    const observer = new QueryObserver(client, {
      queryKey: ['flaky'],
      queryFn: async () => {
        if (down) throw Object.assign(new Error('the database is unavailable'), { status: 503 });
        served += 1;
        return served;
      },
      refetchInterval: 15_000,
    });
    const unsubscribe = observer.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(1);
    expect(observer.getCurrentResult().data).toBe(1);

    down = true;
    await vi.advanceTimersByTimeAsync(15_000);
    // first attempt failed, the retry is waiting: stale already, data still there
    expect(observer.getCurrentResult().failureCount).toBe(1);
    expect(observer.getCurrentResult().data).toBe(1);
    await vi.advanceTimersByTimeAsync(RETRY_DELAY_MS * POLL_RETRIES + 1);
    let result = observer.getCurrentResult();
    expect(result.isError).toBe(true);
    expect(result.data).toBe(1);
    expect(result.dataUpdatedAt).toBeLessThan(result.errorUpdatedAt);
    expect(
      nextPollAt({
        dataUpdatedAt: result.dataUpdatedAt,
        errorUpdatedAt: result.errorUpdatedAt,
        isFetching: result.isFetching,
        intervalMs: 15_000,
      }),
    ).toBe(result.errorUpdatedAt + 15_000);

    down = false;
    await vi.advanceTimersByTimeAsync(15_000);
    result = observer.getCurrentResult();
    expect(result.isError).toBe(false);
    expect(result.failureCount).toBe(0);
    expect(result.data).toBe(2);
    unsubscribe();
    client.clear();
  });

  it('does not retry a 4xx answer', async () => {
    const client = createQueryClient();
    let calls = 0;
    const observer = new QueryObserver(client, {
      queryKey: ['bad-request'],
      queryFn: async () => {
        calls += 1;
        throw Object.assign(new Error('timeframe must be one of 5m, 1h'), { status: 400 });
      },
    });
    const unsubscribe = observer.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(1);
    expect(observer.getCurrentResult().isError).toBe(true);
    unsubscribe();
    client.clear();
  });

  it('a day of polling (5,760 polls) leaves no extra timers or cache entries behind', async () => {
    const client = createQueryClient();
    let polls = 0;
    const observer = new QueryObserver(client, {
      queryKey: ['wall'],
      queryFn: async () => {
        polls += 1;
        if (polls % 100 === 0) throw new Error('blip'); // outages along the way
        return { polls, rows: [1, 2, 3] };
      },
      refetchInterval: 15_000,
      refetchIntervalInBackground: true,
    });
    const unsubscribe = observer.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(60_000);
    const timersAfterAMinute = vi.getTimerCount();
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(polls).toBeGreaterThan(5_000);
    expect(vi.getTimerCount()).toBeLessThanOrEqual(timersAfterAMinute);
    expect(client.getQueryCache().getAll()).toHaveLength(1);
    unsubscribe();
    client.clear();
  });
});

describe('formatAge', () => {
  it.each([
    [0, '0 s'],
    [59_999, '59 s'],
    [61_000, '1 min 1 s'],
    [3_600_000 + 5 * 60_000, '1 h 5 min'],
    [3 * 86_400_000 + 2 * 3_600_000, '3 d 2 h'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});
