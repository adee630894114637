import type { Pool } from 'pg';
import { claimArgs, claimResults, type ClaimOp, type ClaimResult, type ClaimRow } from './claim-batch';
import { settleArgs, type SettleOp } from './settle-batch';
import type { BudgetReading } from '../usage-metrics';

/** One billing write of one call: a claim before its provider call, or its settlement after. */
export type BillingOp = ({ kind: 'claim' } & ClaimOp) | SettleOp;
export type BillingResult = ClaimResult | null;

const PARAMS = Array.from({ length: 30 }, (_, i) => `$${i + 1}`).join(', ');

/**
 * One tenant's pending billing writes — claims and settlements together — in one call of
 * router.billing_batch: one round trip, its own transaction (quota-billing.migration.ts), the
 * tenant's quotas (tokens/day, default budget) passed as parameters so they are checked in it.
 * Results in submission order (null for a settlement).
 */
export async function executeBilling(pool: Pool, tenantId: string, ops: readonly BillingOp[], leaseMs: number, onBudget?: (tenantId: string, b: BudgetReading) => void): Promise<BillingResult[]> {
  const claimAt: number[] = [];
  const claims: ClaimOp[] = [];
  const settles: SettleOp[] = [];
  ops.forEach((op, i) => {
    if (op.kind === 'claim') {
      claimAt.push(i);
      claims.push(op);
    } else settles.push(op);
  });
  const args = claimArgs(claims);
  // One tenant per batch: its quotas as the latest claim saw them (settlements need none).
  const limits = claims.findLast((c) => c.limits)?.limits;
  // Named: parsed once per connection, not per batch.
  const { rows } = await pool.query<{ r: ClaimRow[] }>({
    name: 'router-billing-batch',
    text: `SELECT router.billing_batch(${PARAMS}) AS r`,
    values: [tenantId, ...args.values, leaseMs, limits?.budgetUsd ?? null, limits?.tokensPerDay ?? null, ...settleArgs(settles)],
  });
  // The budget as the batch left it (the last claim row saw every earlier hold): for the gauge, no extra read.
  const last = (rows[0]?.r ?? []).findLast((r) => r.limit !== null && r.limit !== undefined);
  if (last && onBudget) onBudget(tenantId, last);
  const results: BillingResult[] = ops.map(() => null);
  claimResults(tenantId, claims, args, rows[0]!.r).forEach((r, j) => (results[claimAt[j]!] = r));
  return results;
}
