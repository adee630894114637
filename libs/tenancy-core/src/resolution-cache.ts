/** Who an API key belongs to. */
export interface ApiKeyResolution {
  readonly tenantId: string;
  readonly keyId: string;
}

/**
 * In-process cache of key resolutions (by key hash), so the gateway's per-request lookups do not
 * all reach PostgreSQL. Revocation clears entries in this process at once; other replicas may
 * keep accepting a revoked key for up to `ttlMs`, which is why the TTL stays short.
 */
export class ResolutionCache {
  private readonly entries = new Map<string, { value: ApiKeyResolution; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(hash: string): ApiKeyResolution | undefined {
    const entry = this.entries.get(hash);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.value;
  }

  set(hash: string, value: ApiKeyResolution): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(hash);
    // Map iteration order is insertion order: the first key is the oldest entry.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(hash, { value, expiresAt: this.now() + this.ttlMs });
  }

  forgetKey(keyId: string): void {
    for (const [hash, entry] of this.entries) if (entry.value.keyId === keyId) this.entries.delete(hash);
  }
}
