import type { PoolClient } from 'pg';
import { invalid, BudgetExhaustedError } from '../router-errors';
import type { RoutedResult } from '../routed-result';

export type Claim = { state: 'claimed' } | { state: 'replay'; response: RoutedResult } | { state: 'in-progress' };

/** A hold on budget for one call; `amountUsd` 0 means the tenant has no budget (unlimited). */
export interface Reservation {
  tenantId: string;
  amountUsd: number;
}

/** Before a call: claim its idempotency key (when it has one) and, if the call is new, hold its worst-case cost. */
export interface ClaimOp {
  key: string | undefined;
  requestHash: string;
  amountUsd: number;
}

/** Per op: the outcome, or the error that op alone fails with (the batch itself committed). */
export type ClaimResult = { claim: Claim; reservation?: Reservation } | { error: Error };

interface Row {
  fresh: boolean;
  ok: boolean | null;
  reserved: string | null;
  limit_usd: string | null;
  spent_usd: string | null;
  status: string | null;
  request_hash: string | null;
  response: RoutedResult | null;
}

/**
 * One statement for a whole batch (one round trip however many calls it holds):
 *   1. `claimed`: insert each key as pending; a pending claim older than the lease is taken over
 *      (a call that crashed); any other existing key is not touched;
 *   2. `fresh`: the calls that are new (claimed, or without a key), in submission order;
 *   3. `budget`: the tenant's budget row, locked (FOR UPDATE) — after the key rows, the same lock
 *      order as the settle statement, so the two never deadlock. Concurrent batches of one tenant
 *      queue here and each sees the previous one's holds;
 *   4. `held`: the holds applied one by one in submission order (a recursive walk, in numeric
 *      arithmetic), each admitted only if spent + reserved + its amount stays within the limit;
 *   5. `taken`: the row gets the reserved total the walk ended with.
 * The keys already recorded come back from the statement's snapshot (status, hash, response).
 */
const CLAIM_AND_HOLD = `
WITH RECURSIVE
  -- amounts rounded to the column's scale, as a hold written to reserved_usd would be
  req AS (SELECT key, hash, amount::numeric(20,9) AS amount, ord FROM unnest($2::text[], $3::text[], $4::numeric[]) WITH ORDINALITY AS r(key, hash, amount, ord)),
  claimed AS (
    INSERT INTO router.idempotency_records AS ir (tenant_id, idempotency_key, request_hash, status)
    SELECT $1, key, hash, 'pending' FROM req WHERE key IS NOT NULL ORDER BY ord
    ON CONFLICT (tenant_id, idempotency_key) DO UPDATE SET claimed_at = now(), request_hash = EXCLUDED.request_hash
      WHERE ir.status = 'pending' AND ir.claimed_at < now() - make_interval(secs => $5::double precision / 1000)
    RETURNING idempotency_key),
  fresh AS (
    SELECT row_number() OVER (ORDER BY ord) AS n, ord, amount FROM req
    WHERE key IS NULL OR key IN (SELECT idempotency_key FROM claimed)),
  budget AS (
    SELECT limit_usd, spent_usd, reserved_usd FROM router.tenant_budgets
    WHERE tenant_id = $1 AND (SELECT count(*) FROM claimed) >= 0 AND EXISTS (SELECT 1 FROM fresh)
    FOR UPDATE),
  held (n, reserved, ok) AS (
    SELECT 0::bigint, reserved_usd::numeric, true FROM budget
    UNION ALL
    SELECT f.n,
           CASE WHEN b.spent_usd + h.reserved + f.amount <= b.limit_usd THEN h.reserved + f.amount ELSE h.reserved END,
           b.spent_usd + h.reserved + f.amount <= b.limit_usd
    FROM held h JOIN fresh f ON f.n = h.n + 1 CROSS JOIN budget b),
  taken AS (
    UPDATE router.tenant_budgets SET reserved_usd = (SELECT reserved FROM held ORDER BY n DESC LIMIT 1), updated_at = now()
    WHERE tenant_id = $1 AND EXISTS (SELECT 1 FROM held WHERE n > 0))
SELECT f.n IS NOT NULL AS fresh, h.ok, h.reserved::text, b.limit_usd, b.spent_usd, e.status, e.request_hash, e.response
FROM req r
LEFT JOIN fresh f ON f.ord = r.ord
LEFT JOIN held h ON h.n = f.n AND h.n > 0
LEFT JOIN budget b ON true
LEFT JOIN router.idempotency_records e ON f.n IS NULL AND e.tenant_id = $1 AND e.idempotency_key = r.key
ORDER BY r.ord`;

/** What an existing record means for a call that carries `requestHash`. */
function recorded(row: Pick<Row, 'status' | 'request_hash' | 'response'> | undefined, requestHash: string): ClaimResult {
  // Not in the statement's snapshot: claimed by a transaction that committed meanwhile, still pending.
  if (!row?.status) return { claim: { state: 'in-progress' } };
  if (row.request_hash !== requestHash) return { error: invalid('idempotency_key', 'was already used for a different request') };
  return row.status === 'completed' && row.response ? { claim: { state: 'replay', response: row.response } } : { claim: { state: 'in-progress' } };
}

/**
 * Executes one tenant's claims inside the batcher's transaction; results in submission order.
 * A key that appears twice in one batch is claimed once: the later call sees the earlier one's
 * claim (in progress) or its record, never a second bill.
 */
export async function executeClaims(client: PoolClient, tenantId: string, ops: readonly ClaimOp[], leaseMs: number): Promise<ClaimResult[]> {
  const leaderOf = new Map<string, number>();
  const sent: number[] = [];
  ops.forEach((op, i) => {
    if (op.key !== undefined && leaderOf.has(op.key)) return;
    if (op.key !== undefined) leaderOf.set(op.key, i);
    sent.push(i);
  });
  // Named: parsed and planned once per connection, not per batch (the plan costs more than the rows).
  const { rows } = await client.query<Row>({ name: 'router-claim-and-hold', text: CLAIM_AND_HOLD, values: [
    tenantId,
    sent.map((i) => ops[i]!.key ?? null),
    sent.map((i) => ops[i]!.requestHash),
    sent.map((i) => ops[i]!.amountUsd),
    leaseMs,
  ] });
  const rowOf = new Map(sent.map((opIndex, j) => [opIndex, rows[j]!]));
  const refusedKeys: string[] = [];
  const results = ops.map((op, i): ClaimResult => {
    const row = rowOf.get(i);
    if (!row) {
      const leader = rowOf.get(leaderOf.get(op.key!)!)!;
      return leader.fresh ? { claim: { state: 'in-progress' } } : recorded(leader, op.requestHash);
    }
    if (!row.fresh) return recorded(row, op.requestHash);
    if (row.ok === null) return { claim: { state: 'claimed' }, reservation: { tenantId, amountUsd: 0 } }; // no budget row: unlimited
    if (row.ok) return { claim: { state: 'claimed' }, reservation: { tenantId, amountUsd: op.amountUsd } };
    if (op.key !== undefined) refusedKeys.push(op.key);
    return { error: new BudgetExhaustedError(tenantId, Number(row.limit_usd), Number(row.spent_usd), Number(row.reserved), op.amountUsd) };
  });
  // A refused call gives its key back, so a retry once budget is raised may call.
  if (refusedKeys.length) {
    await client.query(`DELETE FROM router.idempotency_records WHERE tenant_id = $1 AND idempotency_key = ANY($2::text[]) AND status = 'pending'`, [tenantId, refusedKeys]);
  }
  return results;
}
