import { UnavailableError } from '@weaver/errors';

/** A call refused without being attempted because the breaker for `breaker` is open. */
export class BreakerOpenError extends UnavailableError {
  constructor(readonly breaker: string) {
    super(`circuit breaker ${breaker} is open: calls are refused until it half-opens`, { details: { breaker } });
  }
}
