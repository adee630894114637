/**
 * A circuit breaker's state as an explicit type, with the number exported to the metrics gauge
 * (0 closed, 1 half-open, 2 open: larger is worse, so a dashboard can alert on `> 0`).
 */
export type BreakerState = 'closed' | 'half-open' | 'open';

export const breakerStateValue: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };
