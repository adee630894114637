/**
 * Values loaded per key and kept `ttlMs`, in process: concurrent misses of a key share one load
 * (the pending promise is what is cached), a failed load is not kept (the caller fails and its
 * retry loads again), and the oldest entry goes past `maxEntries`. The one place for the
 * "ask a service once per key per TTL" caches on hot paths (quotas, tenant placements).
 */
export class LoadingCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; until: number }>();

  constructor(
    private readonly load: (key: string) => Promise<V>,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  readonly get = (key: string): Promise<V> => {
    const hit = this.entries.get(key);
    if (hit && hit.until > this.now()) return hit.value;
    const value = this.load(key);
    const entry = this.put(key, value);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  };

  /** A value the caller already knows (learnt elsewhere), kept as if it had been loaded. */
  remember(key: string, value: V): void {
    this.put(key, Promise.resolve(value));
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  private put(key: string, value: Promise<V>): { value: Promise<V>; until: number } {
    this.entries.delete(key);
    // Map iteration order is insertion order: the first key is the oldest entry.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    const entry = { value, until: this.now() + this.ttlMs };
    this.entries.set(key, entry);
    return entry;
  }
}
