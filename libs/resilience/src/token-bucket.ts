/**
 * Token buckets keyed by name (e.g. tenant): `ratePerSecond` tokens refill continuously up to
 * `burst`; a take that finds less than one token is refused with how long until one is there.
 * In-process: with N replicas behind a load balancer the installation admits up to N × the
 * rate, so callers divide the rate by their replica count when it must hold globally.
 */
export interface BucketLimit {
  readonly ratePerSecond: number;
  readonly burst: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly now: () => number = Date.now,
    /** Buckets idle this long are full again and can be forgotten (bounded memory). */
    private readonly maxKeys = 100_000,
  ) {}

  take(key: string, limit: BucketLimit): TakeResult {
    const now = this.now();
    const burst = Math.max(1, limit.burst);
    const b = this.buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * limit.ratePerSecond);
    b.at = now;
    this.remember(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    if (limit.ratePerSecond <= 0) return { ok: false, retryAfterMs: 60_000 };
    return { ok: false, retryAfterMs: Math.ceil(((1 - b.tokens) / limit.ratePerSecond) * 1000) };
  }

  private remember(key: string, b: Bucket): void {
    this.buckets.delete(key); // re-insert: Map order is then least recently used first
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
  }
}
