import type { Reservation } from './claim-batch';
import type { UsageEntry } from './usage-ledger';

/**
 * After a call: `bill` replaces its hold with the actual cost, writes its ledger row and records
 * its response under its idempotency key; `abandon` (the call failed) gives back the hold and
 * the key, so a retry of the step may call again. `response` is the answer as stored: sealed
 * under the tenant's data key before it is submitted (Billing), so the batch stays one statement.
 */
export type SettleOp =
  | { kind: 'bill'; entry: UsageEntry; reservation: Reservation | undefined; response: unknown }
  | { kind: 'abandon'; reservation: Reservation | undefined; key: string | undefined };

/** The settle side of a billing batch (billing-batch.ts): the arrays router.billing_batch takes for them. */
export function settleArgs(ops: readonly SettleOp[]): unknown[] {
  const held = (r: Reservation | undefined): number => (r && r.amountUsd > 0 ? r.amountUsd : 0);
  const bills = ops.flatMap((op) => (op.kind === 'bill' ? [op.entry] : []));
  const col = <T>(f: (e: UsageEntry) => T): T[] => bills.map(f);
  return [
    ops.map((op) => op.kind === 'bill'),
    ops.map((op) => (op.kind === 'bill' ? (op.entry.idempotencyKey ?? null) : (op.key ?? null))),
    ops.map((op) => held(op.reservation)),
    ops.map((op) => (op.kind === 'bill' ? op.entry.costUsd : 0)),
    ops.map((op) => (op.reservation?.tokens ?? 0)),
    ops.map((op) => (op.kind === 'bill' ? op.entry.inputTokens + op.entry.outputTokens : 0)),
    ops.map((op) => op.reservation?.day ?? null),
    ops.map((op) => (op.kind === 'bill' && op.response !== undefined ? JSON.stringify(op.response) : null)),
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
  ];
}
