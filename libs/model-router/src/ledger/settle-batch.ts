import type { Pool } from 'pg';
import type { RoutedResult } from '../routed-result';
import type { Reservation } from './claim-batch';
import type { UsageEntry } from './usage-ledger';

/**
 * After a call: `bill` replaces its hold with the actual cost, writes its ledger row and records
 * its response under its idempotency key; `abandon` (the call failed) gives back the hold and
 * the key, so a retry of the step may call again.
 */
export type SettleOp =
  | { kind: 'bill'; entry: UsageEntry; reservation: Reservation | undefined; result: RoutedResult | undefined }
  | { kind: 'abandon'; reservation: Reservation | undefined; key: string | undefined };

/** One tenant's settlements in one call of router.settle_batch (one round trip, its own transaction; see billing-functions.migration.ts). */
export async function executeSettlements(pool: Pool, tenantId: string, ops: readonly SettleOp[]): Promise<null[]> {
  const held = (r: Reservation | undefined): number => (r && r.amountUsd > 0 ? r.amountUsd : 0);
  const bills = ops.flatMap((op) => (op.kind === 'bill' ? [op.entry] : []));
  const col = <T>(f: (e: UsageEntry) => T): T[] => bills.map(f);
  // Named: parsed once per connection, not per batch.
  await pool.query({
    name: 'router-settle-batch',
    text: 'SELECT router.settle_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)',
    values: [
      tenantId,
      ops.map((op) => op.kind === 'bill'),
      ops.map((op) => (op.kind === 'bill' ? (op.entry.idempotencyKey ?? null) : (op.key ?? null))),
      ops.map((op) => held(op.reservation)),
      ops.map((op) => (op.kind === 'bill' ? op.entry.costUsd : 0)),
      ops.map((op) => (op.kind === 'bill' && op.result ? JSON.stringify(op.result) : null)),
      col((e) => e.workflow),
      col((e) => e.agent),
      col((e) => e.runId),
      col((e) => e.step),
      col((e) => e.model),
      col((e) => e.provider),
      col((e) => e.operation),
      col((e) => e.inputTokens),
      col((e) => e.outputTokens),
      col((e) => e.costUsd),
      col((e) => e.cached),
      col((e) => e.experiment),
      col((e) => e.arm),
      col((e) => e.idempotencyKey ?? null),
    ],
  });
  return ops.map(() => null);
}
