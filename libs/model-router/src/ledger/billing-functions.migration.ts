import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The two batched billing writes as SQL functions, so that a batch is **one round trip**: the
 * call `SELECT router.claim_batch(...)` is its own (implicit) transaction, in which the function
 * first sets `weaver.tenant_id` locally — row-level security applies to every statement in it
 * exactly as inside `withTenant` (SECURITY INVOKER: it runs as weaver_app) — instead of the three
 * round trips of BEGIN + tenant, the statement, COMMIT.
 *
 * claim_batch, for calls in submission order (p_keys[i] NULL = a call without a key):
 *   1. `claimed`: insert each key as pending; a pending claim older than the lease is taken over
 *      (a call that crashed); any other existing key is not touched;
 *   2. `fresh`: the calls that are new (claimed, or without a key), in submission order;
 *   3. `budget`: the tenant's budget row, locked (FOR UPDATE) after the key rows — the same lock
 *      order as settle_batch, so the two never deadlock. Concurrent batches of one tenant (other
 *      replicas) queue here and each sees the previous one's holds;
 *   4. `held`: the holds applied one by one in submission order (a recursive walk in numeric
 *      arithmetic, each amount rounded to the column's scale as a stored hold would be): a hold
 *      is admitted only if spent + reserved + it stays within the limit;
 *   5. `taken`: the row gets the reserved total the walk ended with;
 *   6. a refused call's key is deleted again, so a retry may call once budget is raised.
 * Keys already recorded come back from the statement's snapshot (status, hash, response).
 * Returns one JSON object per call, in order.
 *
 * settle_batch: key rows first (`done` records responses, `freed` releases abandoned keys), then
 * the ledger rows, and the budget row last (its UPDATE waits on the key rows' counts): reserved −
 * Σ holds, spent + Σ costs, each amount rounded to the columns' scale, so spent = Σ ledger cost.
 */
export class RouterBillingFunctions1760000000001 implements MigrationInterface {
  name = 'RouterBillingFunctions1760000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION router.claim_batch(p_tenant uuid, p_keys text[], p_hashes text[], p_amounts numeric[], p_lease_ms double precision)
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE v jsonb;
BEGIN
  PERFORM set_config('weaver.tenant_id', p_tenant::text, true);
  WITH RECURSIVE
    req AS (SELECT r.k, r.h, r.amount::numeric(20,9) AS amount, r.ord FROM unnest(p_keys, p_hashes, p_amounts) WITH ORDINALITY AS r(k, h, amount, ord)),
    claimed AS (
      INSERT INTO router.idempotency_records AS ir (tenant_id, idempotency_key, request_hash, status)
      SELECT p_tenant, req.k, req.h, 'pending' FROM req WHERE req.k IS NOT NULL ORDER BY req.ord
      ON CONFLICT (tenant_id, idempotency_key) DO UPDATE SET claimed_at = now(), request_hash = EXCLUDED.request_hash
        WHERE ir.status = 'pending' AND ir.claimed_at < now() - make_interval(secs => p_lease_ms / 1000)
      RETURNING ir.idempotency_key),
    fresh AS (
      SELECT row_number() OVER (ORDER BY req.ord) AS n, req.ord, req.amount FROM req
      WHERE req.k IS NULL OR req.k IN (SELECT c.idempotency_key FROM claimed c)),
    budget AS (
      SELECT tb.limit_usd, tb.spent_usd, tb.reserved_usd FROM router.tenant_budgets tb
      WHERE tb.tenant_id = p_tenant AND (SELECT count(*) FROM claimed) >= 0 AND EXISTS (SELECT 1 FROM fresh)
      FOR UPDATE),
    held (n, reserved, ok) AS (
      SELECT 0::bigint, budget.reserved_usd::numeric, true FROM budget
      UNION ALL
      SELECT f.n,
             CASE WHEN b.spent_usd + hd.reserved + f.amount <= b.limit_usd THEN hd.reserved + f.amount ELSE hd.reserved END,
             b.spent_usd + hd.reserved + f.amount <= b.limit_usd
      FROM held hd JOIN fresh f ON f.n = hd.n + 1 CROSS JOIN budget b),
    taken AS (
      UPDATE router.tenant_budgets tb SET reserved_usd = (SELECT held.reserved FROM held ORDER BY held.n DESC LIMIT 1), updated_at = now()
      WHERE tb.tenant_id = p_tenant AND EXISTS (SELECT 1 FROM held WHERE held.n > 0))
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'key', r.k, 'fresh', f.n IS NOT NULL, 'ok', hd.ok, 'reserved', hd.reserved, 'limit', b.limit_usd, 'spent', b.spent_usd,
           'status', e.status, 'hash', e.request_hash, 'response', e.response) ORDER BY r.ord), '[]'::jsonb)
  INTO v
  FROM req r
  LEFT JOIN fresh f ON f.ord = r.ord
  LEFT JOIN held hd ON hd.n = f.n AND hd.n > 0
  LEFT JOIN budget b ON true
  LEFT JOIN router.idempotency_records e ON f.n IS NULL AND e.tenant_id = p_tenant AND e.idempotency_key = r.k;

  DELETE FROM router.idempotency_records ir
  WHERE ir.tenant_id = p_tenant AND ir.status = 'pending'
    AND ir.idempotency_key IN (SELECT x->>'key' FROM jsonb_array_elements(v) x WHERE (x->>'fresh')::boolean AND x->>'ok' = 'false');
  RETURN v;
END $fn$`);

    await q.query(`CREATE FUNCTION router.settle_batch(p_tenant uuid, p_bill boolean[], p_keys text[], p_held numeric[], p_cost numeric[], p_response text[],
  l_workflow text[], l_agent text[], l_run_id text[], l_step text[], l_model text[], l_provider text[], l_operation text[],
  l_input_tokens int[], l_output_tokens int[], l_cost numeric[], l_cached boolean[], l_experiment text[], l_arm text[], l_key text[])
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM set_config('weaver.tenant_id', p_tenant::text, true);
  WITH
    s AS (SELECT u.bill, u.k, u.held::numeric(20,9) AS held, u.cost::numeric(20,9) AS cost, u.response
          FROM unnest(p_bill, p_keys, p_held, p_cost, p_response) AS u(bill, k, held, cost, response)),
    done AS (
      UPDATE router.idempotency_records r SET status = 'completed', response = s.response::jsonb, completed_at = now()
      FROM s WHERE s.bill AND s.k IS NOT NULL AND r.tenant_id = p_tenant AND r.idempotency_key = s.k RETURNING 1),
    freed AS (
      DELETE FROM router.idempotency_records r USING s
      WHERE NOT s.bill AND s.k IS NOT NULL AND r.tenant_id = p_tenant AND r.idempotency_key = s.k AND r.status = 'pending' RETURNING 1),
    billed AS (
      INSERT INTO router.usage_ledger (tenant_id, workflow, agent, run_id, step, model, provider, operation, input_tokens, output_tokens, cost_usd, cached, experiment, arm, idempotency_key)
      SELECT p_tenant, l.* FROM unnest(l_workflow, l_agent, l_run_id, l_step, l_model, l_provider, l_operation, l_input_tokens, l_output_tokens, l_cost, l_cached, l_experiment, l_arm, l_key) AS l)
  UPDATE router.tenant_budgets tb
  SET reserved_usd = GREATEST(tb.reserved_usd - (SELECT sum(s.held) FROM s), 0), spent_usd = tb.spent_usd + (SELECT sum(s.cost) FROM s), updated_at = now()
  WHERE tb.tenant_id = p_tenant AND (SELECT count(*) FROM done) + (SELECT count(*) FROM freed) >= 0 AND EXISTS (SELECT 1 FROM s WHERE s.held > 0 OR s.cost > 0);
END $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION router.settle_batch');
    await q.query('DROP FUNCTION router.claim_batch');
  }
}
