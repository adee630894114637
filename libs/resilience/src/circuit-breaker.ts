import CircuitBreaker from 'opossum';
import type { Metrics } from '@weaver/observability';
import { breakerStateValue, type BreakerState } from './breaker-state';
import { BreakerOpenError } from './breaker-open.error';

export interface BreakerOptions {
  /** Percentage of failed calls in the rolling window that opens the breaker (opossum default 50). */
  errorThresholdPercentage?: number;
  /** How long the breaker stays open before letting one trial call through (half-open). */
  resetTimeoutMs?: number;
  /** Minimum calls in the window before the breaker may open, so one early failure does not trip it. */
  volumeThreshold?: number;
  /** Rolling statistics window. */
  rollingWindowMs?: number;
  /**
   * Errors for which this returns true do not count as failures (e.g. a caller's bad request or a
   * context overflow: the endpoint is healthy, the request was not).
   */
  isCallerError?: (err: unknown) => boolean;
}

/**
 * One breaker per protected dependency (e.g. a provider endpoint). It runs thunks, so one breaker
 * can guard every operation against the same endpoint, and its state is pushed to the
 * `weaver_circuit_breaker_state` gauge on each transition.
 */
export interface Breaker {
  readonly name: string;
  readonly state: BreakerState;
  run<T>(call: () => Promise<T>): Promise<T>;
  onStateChange(listener: (state: BreakerState) => void): void;
  shutdown(): void;
}

export function createBreaker(name: string, options: BreakerOptions = {}, metrics?: Metrics): Breaker {
  const action = (call: () => Promise<unknown>): Promise<unknown> => call();
  const cb = new CircuitBreaker<[() => Promise<unknown>], unknown>(action, {
    name,
    // Timeouts belong to the caller (it can abort the request); opossum's timeout cannot cancel.
    timeout: false,
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    resetTimeout: options.resetTimeoutMs ?? 30_000,
    volumeThreshold: options.volumeThreshold ?? 5,
    rollingCountTimeout: options.rollingWindowMs ?? 10_000,
    errorFilter: options.isCallerError,
  });
  const gauge = metrics?.gauge('weaver_circuit_breaker_state', 'Circuit breaker state: 0 closed, 1 half-open, 2 open', ['breaker']);
  const transitions = metrics?.counter('weaver_circuit_breaker_transitions_total', 'Circuit breaker transitions', ['breaker', 'to']);
  const listeners: Array<(state: BreakerState) => void> = [];
  let state: BreakerState = 'closed';
  const enter = (next: BreakerState): void => {
    state = next;
    gauge?.set({ breaker: name }, breakerStateValue[next]);
    transitions?.inc({ breaker: name, to: next });
    for (const l of listeners) l(next);
  };
  gauge?.set({ breaker: name }, 0);
  cb.on('open', () => enter('open'));
  cb.on('halfOpen', () => enter('half-open'));
  cb.on('close', () => enter('closed'));

  return {
    name,
    get state() {
      return state;
    },
    async run<T>(call: () => Promise<T>): Promise<T> {
      try {
        return (await cb.fire(call)) as T;
      } catch (err) {
        if (err instanceof Error && (err as Error & { code?: string }).code === 'EOPENBREAKER') throw new BreakerOpenError(name);
        throw err;
      }
    },
    onStateChange(listener) {
      listeners.push(listener);
    },
    shutdown() {
      cb.shutdown();
    },
  };
}
