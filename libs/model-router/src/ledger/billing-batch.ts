import type { Pool } from 'pg';
import { claimArgs, claimResults, type ClaimOp, type ClaimResult, type ClaimRow } from './claim-batch';
import { settleArgs, type SettleOp } from './settle-batch';

/** One billing write of one call: a claim before its provider call, or its settlement after. */
export type BillingOp = ({ kind: 'claim' } & ClaimOp) | SettleOp;
export type BillingResult = ClaimResult | null;

const PARAMS = Array.from({ length: 24 }, (_, i) => `$${i + 1}`).join(', ');

/**
 * One tenant's pending billing writes — claims and settlements together — in one call of
 * router.billing_batch: one round trip, its own transaction (billing-functions.migration.ts).
 * Results in submission order (null for a settlement).
 */
export async function executeBilling(pool: Pool, tenantId: string, ops: readonly BillingOp[], leaseMs: number): Promise<BillingResult[]> {
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
  // Named: parsed once per connection, not per batch.
  const { rows } = await pool.query<{ r: ClaimRow[] }>({
    name: 'router-billing-batch',
    text: `SELECT router.billing_batch(${PARAMS}) AS r`,
    values: [tenantId, ...args.values, leaseMs, ...settleArgs(settles)],
  });
  const results: BillingResult[] = ops.map(() => null);
  claimResults(tenantId, claims, args, rows[0]!.r).forEach((r, j) => (results[claimAt[j]!] = r));
  return results;
}
