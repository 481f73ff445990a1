/**
 * Single flight with a short TTL: concurrent calls for one key share one promise, and its
 * value is reused for ttlMs after it settles. This is what keeps database load flat however
 * many dashboards and wall displays poll at once. Failures are not cached: every waiter of
 * the failed load gets the error, the next call tries again.
 */
export class SingleFlightCache<T> {
  private readonly entries = new Map<string, { promise: Promise<T>; expiresAt: number }>();
  /** How many times a loader actually ran (tests and the bench read it). */
  loads = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1_000,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.promise;
    // In flight until it settles: never expires while nobody knows the answer yet.
    const entry = { promise: Promise.resolve().then(load), expiresAt: Number.POSITIVE_INFINITY };
    this.loads += 1;
    entry.promise.then(
      () => {
        entry.expiresAt = Date.now() + this.ttlMs;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.evict();
    return entry.promise;
  }

  clear(): void {
    this.entries.clear();
    this.loads = 0;
  }

  /** Bounded: per-pair keys come from URLs, and URLs are chosen by whoever sends them. */
  private evict(): void {
    if (this.entries.size <= this.maxEntries) return;
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}
