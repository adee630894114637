import { z } from '@weaver/config';
import { ValidationError, type FieldViolation } from '@weaver/errors';

/** A tenant's limits (see Quotas in tenancy.proto); every one is enforced somewhere: */
export interface Quotas {
  /** gateway intake, token bucket per gateway replica */
  readonly runsPerSecond: number;
  readonly runBurst: number;
  /** gateway intake, counted in the intake statement */
  readonly concurrentRuns: number;
  /** router, per UTC day */
  readonly tokensPerDay: number;
  /** publisher */
  readonly storedBytes: number;
  /** router (the default budget of a tenant without one) */
  readonly budgetUsd: number;
}

export type QuotaName = keyof Quotas;
export type QuotaOverrides = { readonly [K in QuotaName]?: number };

/** snake_case (API, proto, SQL) ↔ camelCase, and each quota's rule. */
export const QUOTA_FIELDS: ReadonlyArray<{ name: QuotaName; column: string; integer: boolean; min: number; max: number }> = [
  { name: 'runsPerSecond', column: 'runs_per_second', integer: false, min: 0, max: 1_000_000 },
  { name: 'runBurst', column: 'run_burst', integer: true, min: 1, max: 1_000_000 },
  { name: 'concurrentRuns', column: 'concurrent_runs', integer: true, min: 0, max: 10_000_000 },
  { name: 'tokensPerDay', column: 'tokens_per_day', integer: true, min: 0, max: Number.MAX_SAFE_INTEGER },
  { name: 'storedBytes', column: 'stored_bytes', integer: true, min: 0, max: Number.MAX_SAFE_INTEGER },
  { name: 'budgetUsd', column: 'budget_usd', integer: false, min: 0, max: 1e9 },
];

/** Checks overrides as given over the admin API / gRPC; names the field (snake_case) and rule. */
export function quotaViolations(values: Record<string, unknown>, prefix = ''): FieldViolation[] {
  const violations: FieldViolation[] = [];
  for (const [key, value] of Object.entries(values)) {
    const f = QUOTA_FIELDS.find((q) => q.column === key || q.name === key);
    if (!f) {
      violations.push({ field: `${prefix}${key}`, rule: `is not a quota (one of ${QUOTA_FIELDS.map((q) => q.column).join(', ')})` });
      continue;
    }
    if (value === null || value === undefined) continue;
    const ok = typeof value === 'number' && Number.isFinite(value) && (!f.integer || Number.isInteger(value)) && value >= f.min && value <= f.max;
    if (!ok) violations.push({ field: `${prefix}${f.column}`, rule: `must be ${f.integer ? 'an integer' : 'a number'} from ${f.min} to ${f.max}` });
  }
  return violations;
}

export function assertQuotaOverrides(values: Record<string, unknown>, context = 'quotas'): void {
  const violations = quotaViolations(values);
  if (violations.length) throw new ValidationError(violations, context);
}

const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** The installation's default quotas (tenancy config): what a tenant without its own values gets. */
export const quotaDefaultsConfig = {
  QUOTA_DEFAULT_RUNS_PER_SECOND: z.coerce.number().min(0).default(50),
  QUOTA_DEFAULT_RUN_BURST: z.coerce.number().int().min(1).default(100),
  QUOTA_DEFAULT_CONCURRENT_RUNS: count(1_000),
  QUOTA_DEFAULT_TOKENS_PER_DAY: count(10_000_000),
  QUOTA_DEFAULT_STORED_BYTES: count(10 * 1024 ** 3),
  QUOTA_DEFAULT_BUDGET_USD: z.coerce.number().min(0).default(100),
};

export function quotaDefaultsOf(c: { [K in keyof typeof quotaDefaultsConfig]: number }): Quotas {
  return {
    runsPerSecond: c.QUOTA_DEFAULT_RUNS_PER_SECOND,
    runBurst: c.QUOTA_DEFAULT_RUN_BURST,
    concurrentRuns: c.QUOTA_DEFAULT_CONCURRENT_RUNS,
    tokensPerDay: c.QUOTA_DEFAULT_TOKENS_PER_DAY,
    storedBytes: c.QUOTA_DEFAULT_STORED_BYTES,
    budgetUsd: c.QUOTA_DEFAULT_BUDGET_USD,
  };
}
