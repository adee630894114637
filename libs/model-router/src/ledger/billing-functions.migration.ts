import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The batched billing writes as one SQL function, so that a batch is **one round trip**: the
 * call `SELECT router.billing_batch(...)` is its own (implicit) transaction, in which the
 * function first sets `weaver.tenant_id` locally — row-level security applies to every
 * statement in it exactly as inside `withTenant` (SECURITY INVOKER: it runs as weaver_app) —
 * instead of the three round trips of BEGIN + tenant, the statements, COMMIT. One batch holds
 * whatever one tenant's calls have pending, before-call claims and after-call settlements alike,
 * so under load a call's two writes mostly ride in batches shared with other calls.
 *
 * Locks are always taken key rows first, the budget row last (once per batch), so two batches
 * never deadlock:
 *   1. settlements: `done` records responses, `freed` releases the keys of failed calls, the
 *      ledger rows are appended; their holds (Σ) and costs (Σ) are applied in step 2;
 *   2. claims, in submission order (c_keys[i] NULL = a call without a key): `claimed` inserts
 *      each key as pending (a pending claim older than the lease is taken over: a call that
 *      crashed; any other existing key is not touched); `fresh` are the new calls; `budget`
 *      locks the tenant's budget row (FOR UPDATE) — concurrent batches of one tenant (other
 *      replicas) queue here and each sees the previous one's writes; `held` walks the holds one
 *      by one in submission order (recursive, numeric arithmetic, each amount rounded to the
 *      column's scale as a stored hold would be), starting from the row minus this batch's
 *      settled holds plus its costs, admitting a hold only while spent + reserved + it ≤ limit;
 *      `taken` writes the row once: reserved = where the walk ended, spent + Σ costs;
 *   3. a refused call's key is deleted again, so a retry may call once budget is raised.
 * Keys already recorded come back from the claim statement's snapshot (status, hash, response).
 * Returns one JSON object per claim, in order.
 */
export class RouterBillingFunctions1760000000001 implements MigrationInterface {
  name = 'RouterBillingFunctions1760000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION router.billing_batch(p_tenant uuid,
  c_keys text[], c_hashes text[], c_amounts numeric[], p_lease_ms double precision,
  s_bill boolean[], s_keys text[], s_held numeric[], s_cost numeric[], s_response text[],
  l_workflow text[], l_agent text[], l_run_id text[], l_step text[], l_model text[], l_provider text[], l_operation text[],
  l_input_tokens int[], l_output_tokens int[], l_cost numeric[], l_cached boolean[], l_experiment text[], l_arm text[], l_key text[])
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v jsonb;
  v_release numeric;
  v_spend numeric;
BEGIN
  PERFORM set_config('weaver.tenant_id', p_tenant::text, true);

  SELECT coalesce(sum(u.held::numeric(20,9)), 0), coalesce(sum(u.cost::numeric(20,9)), 0) INTO v_release, v_spend
  FROM unnest(s_held, s_cost) AS u(held, cost);
  IF cardinality(s_bill) > 0 THEN
    WITH
      s AS (SELECT u.bill, u.k, u.response FROM unnest(s_bill, s_keys, s_response) AS u(bill, k, response)),
      done AS (
        UPDATE router.idempotency_records r SET status = 'completed', response = s.response::jsonb, completed_at = now()
        FROM s WHERE s.bill AND s.k IS NOT NULL AND r.tenant_id = p_tenant AND r.idempotency_key = s.k),
      freed AS (
        DELETE FROM router.idempotency_records r USING s
        WHERE NOT s.bill AND s.k IS NOT NULL AND r.tenant_id = p_tenant AND r.idempotency_key = s.k AND r.status = 'pending')
    INSERT INTO router.usage_ledger (tenant_id, workflow, agent, run_id, step, model, provider, operation, input_tokens, output_tokens, cost_usd, cached, experiment, arm, idempotency_key)
    SELECT p_tenant, l.* FROM unnest(l_workflow, l_agent, l_run_id, l_step, l_model, l_provider, l_operation, l_input_tokens, l_output_tokens, l_cost, l_cached, l_experiment, l_arm, l_key) AS l;
  END IF;

  WITH RECURSIVE
    req AS (SELECT r.k, r.h, r.amount::numeric(20,9) AS amount, r.ord FROM unnest(c_keys, c_hashes, c_amounts) WITH ORDINALITY AS r(k, h, amount, ord)),
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
      SELECT tb.limit_usd, tb.spent_usd + v_spend AS spent, tb.reserved_usd FROM router.tenant_budgets tb
      WHERE tb.tenant_id = p_tenant AND (SELECT count(*) FROM claimed) >= 0
        AND (EXISTS (SELECT 1 FROM fresh) OR v_release > 0 OR v_spend > 0)
      FOR UPDATE),
    held (n, reserved, ok) AS (
      SELECT 0::bigint, GREATEST(budget.reserved_usd - v_release, 0)::numeric, true FROM budget
      UNION ALL
      SELECT f.n,
             CASE WHEN b.spent + hd.reserved + f.amount <= b.limit_usd THEN hd.reserved + f.amount ELSE hd.reserved END,
             b.spent + hd.reserved + f.amount <= b.limit_usd
      FROM held hd JOIN fresh f ON f.n = hd.n + 1 CROSS JOIN budget b),
    taken AS (
      UPDATE router.tenant_budgets tb
      SET reserved_usd = (SELECT held.reserved FROM held ORDER BY held.n DESC LIMIT 1), spent_usd = tb.spent_usd + v_spend, updated_at = now()
      WHERE tb.tenant_id = p_tenant AND EXISTS (SELECT 1 FROM held))
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'key', r.k, 'fresh', f.n IS NOT NULL, 'ok', hd.ok, 'reserved', hd.reserved, 'limit', b.limit_usd, 'spent', b.spent,
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
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION router.billing_batch');
  }
}
