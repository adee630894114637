import { backoffMs as fullJitterBackoffMs } from '@weaver/resilience';

/**
 * The wait before retry `attempt + 1`: @weaver/resilience's full-jitter exponential backoff
 * (uniform in [0, min(maxMs, baseMs·2^(attempt-1))]), the one retry policy of the platform,
 * in the positional form partition-worker.ts calls. New code: use `@weaver/resilience` directly.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return fullJitterBackoffMs(attempt, { baseMs, maxMs, random });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
