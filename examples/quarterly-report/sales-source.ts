import { createHash } from 'node:crypto';

export const REGIONS = ['AMER', 'APAC', 'EMEA'] as const;

/**
 * The example's stand-in for a sales database: deterministic figures per quarter and region,
 * so a report can be checked and a replayed step collects the same rows.
 */
export function salesOf(quarter: string): Array<{ region: string; amount: number }> {
  return REGIONS.map((region) => ({ region, amount: 1_000 + (createHash('sha256').update(`${quarter}/${region}`).digest().readUInt16BE(0) % 9_000) }));
}

/** The quarter that ended just before `at` (a report runs at the start of the next one). */
export function quarterBefore(at: Date): string {
  const month = at.getUTCMonth(); // 0-11
  const q = Math.floor(month / 3); // the current quarter, 0-3
  return q === 0 ? `${at.getUTCFullYear() - 1}-Q4` : `${at.getUTCFullYear()}-Q${q}`;
}
