import type { MigrationInterface, QueryRunner } from 'typeorm';
import { RouterBillingFunctions1760000000001 } from './billing-functions.migration';

/**
 * Tenant quotas inside the billing batch (issue 8 §6): `tokens_per_day` and the default
 * `budget_usd`, checked in the same locked walk as the budget, so they are exact across router
 * replicas and cost no extra round trip.
 *
 * The tenant's budget row now also counts tokens of the current UTC day (`tokens_day`,
 * `tokens_used`, `tokens_reserved`), and `limit_usd` may be NULL: the limit is then the tenant's
 * `budget_usd` quota, passed in by the router (`p_budget_usd`, from tenancy, cached). A tenant
 * with quotas gets its row on its first call, so what it spends is tracked and limited even if
 * no one ever called SetBudget. One row, one lock: no new lock to order.
 *
 * router.billing_batch is replaced (new parameters), in this order of locks — key rows first,
 * the budget row last, as before:
 *   1. settlements: `done`/`freed` key rows, ledger rows (unchanged); their USD holds and costs,
 *      token holds and actual tokens are summed for step 3;
 *   2. claims: each key inserted as pending (takeover after the lease, as before) — its own
 *      statement now, so the budget row can be created after the key rows are taken;
 *   3. the budget row: created when a quota applies (limit NULL), locked FOR UPDATE; the day
 *      rolls over when it is not today's (tokens_used 0 — in-flight holds stay reserved until
 *      they settle); the walk admits each new call, in order, only while both
 *      spent + reserved + its worst-case cost ≤ the limit (row's, else the quota) and
 *      used + reserved tokens + its worst-case tokens ≤ tokens_per_day; a refusal names which
 *      (`why`); the row is written once.
 * Tokens of a settlement count on today only if its hold was taken today (a call that ran over
 * midnight is yesterday's). NULL limits mean none (no tenancy quota passed: the old behaviour).
 */
export class RouterQuotaBilling1760000000002 implements MigrationInterface {
  name = 'RouterQuotaBilling1760000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE router.tenant_budgets ALTER COLUMN limit_usd DROP NOT NULL,
      ADD COLUMN tokens_day date NOT NULL DEFAULT ((now() AT TIME ZONE 'UTC')::date),
      ADD COLUMN tokens_used bigint NOT NULL DEFAULT 0,
      ADD COLUMN tokens_reserved bigint NOT NULL DEFAULT 0 CHECK (tokens_reserved >= 0)`);
    await q.query(`DROP FUNCTION router.billing_batch(uuid, text[], text[], numeric[], double precision, boolean[], text[], numeric[], numeric[], text[],
      text[], text[], text[], text[], text[], text[], text[], int[], int[], numeric[], boolean[], text[], text[], text[])`);
    await q.query(`CREATE FUNCTION router.billing_batch(p_tenant uuid,
  c_keys text[], c_hashes text[], c_amounts numeric[], c_tokens bigint[], p_lease_ms double precision,
  p_budget_usd numeric, p_tokens_per_day bigint,
  s_bill boolean[], s_keys text[], s_held numeric[], s_cost numeric[], s_held_tokens bigint[], s_tokens bigint[], s_day date[], s_response text[],
  l_workflow text[], l_agent text[], l_run_id text[], l_step text[], l_model text[], l_provider text[], l_operation text[],
  l_input_tokens int[], l_output_tokens int[], l_cost numeric[], l_cached boolean[], l_experiment text[], l_arm text[], l_key text[])
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v jsonb;
  v_release numeric;
  v_spend numeric;
  v_release_tokens bigint;
  v_used_today bigint;
  v_claimed text[];
  v_today date := (now() AT TIME ZONE 'UTC')::date;
BEGIN
  PERFORM set_config('weaver.tenant_id', p_tenant::text, true);

  SELECT coalesce(sum(u.held::numeric(20,9)), 0), coalesce(sum(u.cost::numeric(20,9)), 0),
         coalesce(sum(u.held_tokens), 0), coalesce(sum(u.tokens) FILTER (WHERE u.day IS NULL OR u.day = v_today), 0)
  INTO v_release, v_spend, v_release_tokens, v_used_today
  FROM unnest(s_held, s_cost, s_held_tokens, s_tokens, s_day) AS u(held, cost, held_tokens, tokens, day);
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

  WITH claimed AS (
    INSERT INTO router.idempotency_records AS ir (tenant_id, idempotency_key, request_hash, status)
    SELECT p_tenant, r.k, r.h, 'pending' FROM unnest(c_keys, c_hashes) WITH ORDINALITY AS r(k, h, ord) WHERE r.k IS NOT NULL ORDER BY r.ord
    ON CONFLICT (tenant_id, idempotency_key) DO UPDATE SET claimed_at = now(), request_hash = EXCLUDED.request_hash
      WHERE ir.status = 'pending' AND ir.claimed_at < now() - make_interval(secs => p_lease_ms / 1000)
    RETURNING ir.idempotency_key)
  SELECT coalesce(array_agg(claimed.idempotency_key), '{}') INTO v_claimed FROM claimed;

  IF (p_budget_usd IS NOT NULL OR p_tokens_per_day IS NOT NULL) AND cardinality(c_keys) > 0 THEN
    INSERT INTO router.tenant_budgets (tenant_id, limit_usd) VALUES (p_tenant, NULL) ON CONFLICT (tenant_id) DO NOTHING;
  END IF;

  WITH RECURSIVE
    req AS (SELECT r.k, r.h, r.amount::numeric(20,9) AS amount, coalesce(r.tokens, 0)::bigint AS tokens, r.ord
            FROM unnest(c_keys, c_hashes, c_amounts, c_tokens) WITH ORDINALITY AS r(k, h, amount, tokens, ord)),
    fresh AS (
      SELECT row_number() OVER (ORDER BY req.ord) AS n, req.ord, req.amount, req.tokens FROM req
      WHERE req.k IS NULL OR req.k = ANY (v_claimed)),
    budget AS (
      SELECT coalesce(tb.limit_usd, p_budget_usd) AS limit_usd, (tb.limit_usd IS NULL AND p_budget_usd IS NOT NULL) AS by_quota,
             tb.spent_usd + v_spend AS spent, tb.reserved_usd,
             CASE WHEN tb.tokens_day = v_today THEN tb.tokens_used ELSE 0 END + v_used_today AS tokens_used, tb.tokens_reserved
      FROM router.tenant_budgets tb
      WHERE tb.tenant_id = p_tenant
        AND (EXISTS (SELECT 1 FROM fresh) OR v_release > 0 OR v_spend > 0 OR v_release_tokens > 0 OR v_used_today > 0)
      FOR UPDATE),
    held (n, reserved, tokens, ok, why) AS (
      SELECT 0::bigint, GREATEST(budget.reserved_usd - v_release, 0)::numeric, GREATEST(budget.tokens_reserved - v_release_tokens, 0)::bigint, true, NULL::text FROM budget
      UNION ALL
      SELECT f.n,
             CASE WHEN (b.limit_usd IS NULL OR b.spent + hd.reserved + f.amount <= b.limit_usd)
                   AND (p_tokens_per_day IS NULL OR b.tokens_used + hd.tokens + f.tokens <= p_tokens_per_day) THEN hd.reserved + f.amount ELSE hd.reserved END,
             CASE WHEN (b.limit_usd IS NULL OR b.spent + hd.reserved + f.amount <= b.limit_usd)
                   AND (p_tokens_per_day IS NULL OR b.tokens_used + hd.tokens + f.tokens <= p_tokens_per_day) THEN hd.tokens + f.tokens ELSE hd.tokens END,
             (b.limit_usd IS NULL OR b.spent + hd.reserved + f.amount <= b.limit_usd)
               AND (p_tokens_per_day IS NULL OR b.tokens_used + hd.tokens + f.tokens <= p_tokens_per_day),
             CASE WHEN NOT (b.limit_usd IS NULL OR b.spent + hd.reserved + f.amount <= b.limit_usd) THEN 'budget_usd'
                  WHEN NOT (p_tokens_per_day IS NULL OR b.tokens_used + hd.tokens + f.tokens <= p_tokens_per_day) THEN 'tokens_per_day' END
      FROM held hd JOIN fresh f ON f.n = hd.n + 1 CROSS JOIN budget b),
    taken AS (
      UPDATE router.tenant_budgets tb
      SET reserved_usd = last.reserved, spent_usd = tb.spent_usd + v_spend,
          tokens_day = v_today, tokens_used = (SELECT budget.tokens_used FROM budget), tokens_reserved = last.tokens, updated_at = now()
      FROM (SELECT held.reserved, held.tokens FROM held ORDER BY held.n DESC LIMIT 1) last
      WHERE tb.tenant_id = p_tenant)
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'key', r.k, 'fresh', f.n IS NOT NULL, 'ok', hd.ok, 'why', hd.why, 'reserved', hd.reserved, 'limit', b.limit_usd, 'spent', b.spent,
           'by_quota', b.by_quota, 'tokens_used', b.tokens_used, 'tokens_reserved', hd.tokens, 'tokens_limit', p_tokens_per_day, 'day', v_today,
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
    await q.query('DROP FUNCTION router.billing_batch(uuid, text[], text[], numeric[], bigint[], double precision, numeric, bigint, boolean[], text[], numeric[], numeric[], bigint[], bigint[], date[], text[], text[], text[], text[], text[], text[], text[], text[], int[], int[], numeric[], boolean[], text[], text[], text[])');
    await q.query('ALTER TABLE router.tenant_budgets DROP COLUMN tokens_day, DROP COLUMN tokens_used, DROP COLUMN tokens_reserved');
    await new RouterBillingFunctions1760000000001().up(q);
  }
}
