/** Who an API key belongs to. */
export interface ApiKeyResolution {
  readonly tenantId: string;
  readonly keyId: string;
  /** What access policies test as `principal.roles`. */
  readonly roles: readonly string[];
}

/**
 * In-process cache with a short TTL and a size bound: of key resolutions (by key hash), so the
 * per-request lookups do not all reach PostgreSQL, and of tenants' trigger keys in the
 * agent-runner (`TenantGate`). Revocation clears entries in this process at once; other
 * replicas may keep accepting a revoked key for up to `ttlMs`, which is why the TTL stays short.
 */
export class ResolutionCache<V = ApiKeyResolution> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(hash: string): V | undefined {
    const entry = this.entries.get(hash);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.value;
  }

  /** `notAfter` (ms since the epoch): the entry goes then at the latest (a key in a rotation's grace period). */
  set(hash: string, value: V, notAfter = Infinity): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(hash);
    // Map iteration order is insertion order: the first key is the oldest entry.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(hash, { value, expiresAt: Math.min(this.now() + this.ttlMs, notAfter) });
  }

  forgetWhere(match: (value: V, key: string) => boolean): void {
    for (const [key, entry] of this.entries) if (match(entry.value, key)) this.entries.delete(key);
  }
}
