import { ResourceExhaustedError } from '@weaver/errors';
import { FailureThrottle, type FailureThrottleOptions } from '@weaver/resilience';

/**
 * Throttles guessing of API keys and the admin token: failures only are counted, per source
 * address and per presented key prefix (first 8 characters: `wv_` and five more, enough to group
 * one leaked key's variants, far too little to identify a key); after `maxFailures` within the
 * window the source (or prefix) gets 429 without its credential being checked, until the block
 * ends. In-process per gateway replica (see FailureThrottle).
 */
export class CredentialThrottle {
  private readonly throttle: FailureThrottle;

  constructor(options: FailureThrottleOptions, now?: () => number) {
    this.throttle = new FailureThrottle(options, now);
  }

  /** Runs `check` unless the source or prefix is blocked; counts it when it fails with `isFailure`. */
  async guard<T>(kind: 'api-key' | 'admin-token', source: string | undefined, presented: string | undefined, check: () => Promise<T> | T, isFailure: (e: unknown) => boolean): Promise<T> {
    // No address (gRPC callers today): the prefix alone, never one shared "unknown" source.
    const keys = [...(source ? [`${kind}:ip:${source}`] : []), ...(presented ? [`${kind}:prefix:${presented.slice(0, 8)}`] : [])];
    const state = this.throttle.check(keys);
    if (state.blocked) {
      const retryAfterSeconds = Math.max(1, Math.ceil(state.retryAfterMs / 1000));
      throw new ResourceExhaustedError(`too many failed ${kind} attempts from this source; retry after ${retryAfterSeconds} s`, { quota: `${kind}_failures`, retryAfterSeconds }, true);
    }
    try {
      return await check();
    } catch (error) {
      if (isFailure(error)) this.throttle.fail(keys);
      throw error;
    }
  }
}
