import type { PoolClient } from 'pg';
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

/**
 * One statement for a whole batch. The key rows are written first (`done`, `freed`) and the
 * budget row last — the budget UPDATE waits on their counts — the same lock order as the claim
 * statement, so a settle batch and a claim batch of one tenant never deadlock. The budget moves
 * once by the batch's totals: reserved − Σ holds, spent + Σ costs.
 */
const SETTLE = `
WITH
  -- amounts rounded to the columns' scale one by one, so spent = Σ ledger cost_usd exactly
  s AS (SELECT bill, key, held::numeric(20,9) AS held, cost::numeric(20,9) AS cost, response
        FROM unnest($2::boolean[], $3::text[], $4::numeric[], $5::numeric[], $6::text[]) AS s(bill, key, held, cost, response)),
  done AS (
    UPDATE router.idempotency_records r SET status = 'completed', response = s.response::jsonb, completed_at = now()
    FROM s WHERE s.bill AND s.key IS NOT NULL AND r.tenant_id = $1 AND r.idempotency_key = s.key RETURNING 1),
  freed AS (
    DELETE FROM router.idempotency_records r USING s
    WHERE NOT s.bill AND s.key IS NOT NULL AND r.tenant_id = $1 AND r.idempotency_key = s.key AND r.status = 'pending' RETURNING 1),
  billed AS (
    INSERT INTO router.usage_ledger (tenant_id, workflow, agent, run_id, step, model, provider, operation, input_tokens, output_tokens, cost_usd, cached, experiment, arm, idempotency_key)
    SELECT $1, l.* FROM unnest($7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::int[], $15::int[], $16::numeric[], $17::boolean[], $18::text[], $19::text[], $20::text[]) AS l),
  budget AS (
    UPDATE router.tenant_budgets
    SET reserved_usd = GREATEST(reserved_usd - (SELECT sum(held) FROM s), 0), spent_usd = spent_usd + (SELECT sum(cost) FROM s), updated_at = now()
    WHERE tenant_id = $1 AND (SELECT count(*) FROM done) + (SELECT count(*) FROM freed) >= 0 AND EXISTS (SELECT 1 FROM s WHERE held > 0 OR cost > 0))
SELECT 1`;

/** Executes one tenant's settlements inside the batcher's transaction. */
export async function executeSettlements(client: PoolClient, tenantId: string, ops: readonly SettleOp[]): Promise<null[]> {
  const held = (r: Reservation | undefined): number => (r && r.amountUsd > 0 ? r.amountUsd : 0);
  const bills = ops.flatMap((op) => (op.kind === 'bill' ? [op.entry] : []));
  const col = <T>(f: (e: UsageEntry) => T): T[] => bills.map(f);
  // Named: parsed and planned once per connection, not per batch.
  await client.query({ name: 'router-settle', text: SETTLE, values: [
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
  ] });
  return ops.map(() => null);
}
