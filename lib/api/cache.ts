/**
 * Single flight with a short TTL: concurrent calls for one key share one promise, and its
 * value is reused for ttlMs after it settles. This is what keeps database load flat however
 * many dashboards and wall displays poll at once. Failures are not cached: every waiter of
 * the failed load gets the error, the next call tries again.
 *
 * With staleMs > 0 a value past its TTL is still answered for staleMs more while one refresh
 * runs in the background (stale-while-revalidate): no request waits for a rebuild that a
 * previous value can stand in for. Responses carry their generatedAt, so the age stays visible.
 * A refresh that fails leaves the old value until it is too stale; then callers get the error.
 * A caller may accept an older value than the cache's own stale window (`get`'s staleMs): the
 * overview's first look at a view does (lib/api/snapshot.ts FIRST_LOOK_STALE_MS).
 */
interface Entry<T> {
  promise: Promise<T>;
  /** when the value settled; undefined while the first load is in flight */
  settledAt?: number;
  /** how long the settled value is fresh (the cache's TTL, or what ttlOf says of this value) */
  ttlMs?: number;
  refreshing?: Promise<T>;
}

export class SingleFlightCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** How many times a loader actually ran (tests and the bench read it). */
  loads = 0;

  /**
   * ttl: how long a value is fresh, in ms, or a function of the value that says so (the health
   * snapshot's TTL grows with what it cost to build: lib/api/snapshot.ts).
   */
  constructor(
    private readonly ttl: number | ((value: T) => number),
    private readonly maxEntries = 1_000,
    private readonly staleMs = 0,
  ) {}

  private settle(entry: Entry<T>, value: T): void {
    entry.settledAt = Date.now();
    entry.ttlMs = typeof this.ttl === 'function' ? this.ttl(value) : this.ttl;
  }

  /** staleMs: how long past the TTL this caller takes the old value while one refresh runs. */
  get(key: string, load: () => Promise<T>, staleMs = this.staleMs): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      if (hit.settledAt === undefined) return hit.promise;
      const age = Date.now() - hit.settledAt;
      if (age <= hit.ttlMs!) return hit.promise;
      if (age <= hit.ttlMs! + staleMs) {
        if (!hit.refreshing) this.refresh(key, hit, load);
        return hit.promise;
      }
      // Too old for this caller: it waits for the one refresh (the one already running, or one
      // started now) rather than a second load beside it. The old value stays held meanwhile for
      // a caller that takes an older one (`held`: the overview page's HTML).
      if (!hit.refreshing) this.refresh(key, hit, load);
      return hit.refreshing!;
    }
    return this.start(key, load);
  }

  /**
   * The value held for key if it settled at most ttl + maxAgeMs ago, without starting a refresh
   * (the caller's own next request will); undefined when there is none that young.
   */
  held(key: string, maxAgeMs: number): Promise<T> | undefined {
    const hit = this.entries.get(key);
    if (hit?.settledAt === undefined) return undefined;
    return Date.now() - hit.settledAt <= hit.ttlMs! + maxAgeMs ? hit.promise : undefined;
  }

  /** The TTL of the value held for key (undefined while none has settled). */
  ttlOf(key: string): number | undefined {
    return this.entries.get(key)?.ttlMs;
  }

  clear(): void {
    this.entries.clear();
    this.loads = 0;
  }

  private start(key: string, load: () => Promise<T>): Promise<T> {
    const entry: Entry<T> = { promise: Promise.resolve().then(load) };
    this.loads += 1;
    entry.promise.then(
      (value) => this.settle(entry, value),
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.evict();
    return entry.promise;
  }

  private refresh(key: string, stale: Entry<T>, load: () => Promise<T>): void {
    this.loads += 1;
    const refreshing = Promise.resolve().then(load);
    stale.refreshing = refreshing;
    refreshing.then(
      (value) => {
        if (this.entries.get(key) !== stale) return;
        const fresh: Entry<T> = { promise: refreshing };
        this.settle(fresh, value);
        this.entries.set(key, fresh);
      },
      () => {
        stale.refreshing = undefined; // keep answering the old value; the next call retries
      },
    );
  }

  /** Bounded: per-pair keys come from URLs, and URLs are chosen by whoever sends them. */
  private evict(): void {
    if (this.entries.size <= this.maxEntries) return;
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (entry.settledAt !== undefined && entry.settledAt + entry.ttlMs! + this.staleMs <= now)
        this.entries.delete(key);
    }
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}
