/**
 * Throttling of failed attempts (bad API keys, admin-token guesses), per key (a source address,
 * a key prefix). Only failures count: a key that fails `maxFailures` times within `windowMs`
 * is `blocked` until `blockMs` after its last counted failure; successes never block anyone.
 *
 * States per key, as a transition table (`THROTTLE_TRANSITIONS`):
 *   counting --failure (below max)--> counting
 *   counting --failure (max reached)--> blocked
 *   counting --window over--> (forgotten)
 *   blocked  --block over--> (forgotten)
 * A blocked key's further attempts are refused without being tried (so a guess is never even
 * checked) and do not extend the block. In-process: each gateway replica counts on its own, so
 * with N replicas an attacker spread across them gets up to N × maxFailures tries per window.
 */
export type ThrottleState = 'counting' | 'blocked';
export type ThrottleEvent = 'failure' | 'limit-reached' | 'expired';

export const THROTTLE_TRANSITIONS: Readonly<Record<ThrottleState, Partial<Record<ThrottleEvent, ThrottleState | 'forgotten'>>>> = {
  counting: { failure: 'counting', 'limit-reached': 'blocked', expired: 'forgotten' },
  blocked: { expired: 'forgotten' },
};

export interface FailureThrottleOptions {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly blockMs: number;
  /** Keys kept at most (least recently failed forgotten first). */
  readonly maxKeys?: number;
}

interface Entry {
  state: ThrottleState;
  failures: number;
  since: number;
  until: number;
}

export type ThrottleCheck = { blocked: false } | { blocked: true; retryAfterMs: number };

export class FailureThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: FailureThrottleOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Before trying: is any of these keys blocked? */
  check(keys: readonly string[]): ThrottleCheck {
    let retryAfterMs = 0;
    for (const key of keys) {
      const e = this.current(key);
      if (e?.state === 'blocked') retryAfterMs = Math.max(retryAfterMs, e.until - this.now());
    }
    return retryAfterMs > 0 ? { blocked: true, retryAfterMs } : { blocked: false };
  }

  /** After a failed try: count it against every key. */
  fail(keys: readonly string[]): void {
    const now = this.now();
    for (const key of keys) {
      const e = this.current(key) ?? { state: 'counting' as const, failures: 0, since: now, until: now + this.options.windowMs };
      if (e.state === 'blocked') continue;
      e.failures += 1;
      const event: ThrottleEvent = e.failures >= this.options.maxFailures ? 'limit-reached' : 'failure';
      const next = THROTTLE_TRANSITIONS[e.state][event];
      if (next === 'blocked') Object.assign(e, { state: 'blocked', until: now + this.options.blockMs });
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    const max = this.options.maxKeys ?? 100_000;
    while (this.entries.size > max) this.entries.delete(this.entries.keys().next().value!);
  }

  state(key: string): ThrottleState | 'forgotten' {
    return this.current(key)?.state ?? 'forgotten';
  }

  private current(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.until <= this.now() && THROTTLE_TRANSITIONS[e.state].expired === 'forgotten') {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }
}
