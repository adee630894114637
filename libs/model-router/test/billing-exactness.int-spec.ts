import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { UnavailableError } from '@weaver/errors';
import { OpenAIWireServer } from '@weaver/testing';
import { call, startRouterFixture, type RouterFixture } from './router-fixture';
import { Billing } from '../src/billing';
import { BudgetExhaustedError, parseModelsFile, ModelRouter, type RoutedResult } from '../src';
import { createLogger } from '@weaver/observability';

/**
 * Budgets, idempotency and the ledger stay exact when calls are group-committed: many calls of
 * one tenant share a claim transaction and a settle transaction (TenantBatcher), on real
 * PostgreSQL. Each metered call costs exactly its worst case (output only, max_tokens = the
 * reply's 7 tokens at $0.000004 = $0.000028), so a budget of N calls' worth admits exactly N.
 */
const PER_CALL = 0.000028;
const METERED = (endpoint: string) => `
version: 1
models:
  - name: metered
    provider: openai
    endpoint: ${endpoint}
    api_key_env: OPENAI_KEY
    capabilities: [text]
    max_context: 400
    cost: { input_per_token: 0, output_per_token: 0.000004 }
`;

describe('billing under concurrency (group commit on PostgreSQL)', () => {
  let fx: RouterFixture;
  let slow: OpenAIWireServer; // answers after 20 ms, so concurrent calls overlap in the router
  let replicas: ModelRouter[];

  beforeAll(async () => {
    fx = await startRouterFixture();
    slow = await new OpenAIWireServer({ apiKey: 'sk-openai', contextWindow: 400, latencyMs: 20 }).start();
    const file = parseModelsFile(METERED(`${slow.url}/v1`), 'metered.yaml');
    // Four routers on one database: four replicas, each with its own batchers and key flights, so
    // claim batches of one tenant run side by side and meet on the budget row.
    replicas = [0, 1, 2, 3].map(
      () => new ModelRouter({ file, env: { OPENAI_KEY: 'sk-openai' }, dataSource: fx.ds, metrics: fx.metrics, logger: createLogger('router-test', { level: 'silent' }) }),
    );
  });
  afterAll(async () => {
    await Promise.all((replicas ?? []).map((r) => r.close()));
    await slow?.stop();
    await fx?.close();
  });

  it('admits exactly 20 of 80 concurrent calls on four replicas against a budget that fits 20, and the ledger sums to the spend', async () => {
    const tenant = randomUUID();
    await replicas[0]!.setBudget(tenant, 20 * PER_CALL);
    const results = await Promise.allSettled(
      Array.from({ length: 80 }, (_, i) => replicas[i % 4]!.generate(call(tenant, { maxTokens: 7, runId: `r-${i}`, step: 's', idempotencyKey: `r-${i}/s` }))),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof BudgetExhaustedError);
    expect([ok.length, refused.length]).toEqual([20, 60]);

    const { budget, rows } = await replicas[1]!.getUsage(tenant, {});
    expect(budget).toEqual({ limitUsd: 20 * PER_CALL, spentUsd: 20 * PER_CALL, reservedUsd: 0 });
    expect(rows).toEqual([expect.objectContaining({ model: 'metered', requests: 20, outputTokens: 140 })]);
    expect(rows[0]!.costUsd).toBeCloseTo(budget!.spentUsd, 12);
    // A refused call gave its key back: with budget raised, the same step may call.
    const firstRefused = results.findIndex((r) => r.status === 'rejected');
    await replicas[0]!.setBudget(tenant, 21 * PER_CALL);
    const retried = await replicas[0]!.generate(call(tenant, { maxTokens: 7, runId: `r-${firstRefused}`, step: 's', idempotencyKey: `r-${firstRefused}/s` }));
    expect(retried.replayed).toBe(false);
  });

  it('bills a key submitted 10 times concurrently once, and answers all 10 from its record', async () => {
    const tenant = randomUUID();
    await replicas[0]!.setBudget(tenant, 100 * PER_CALL);
    const sent = slow.requests.length;
    const req = call(tenant, { maxTokens: 7, idempotencyKey: 'run-7/write/1' });
    const results = await Promise.all(Array.from({ length: 10 }, () => replicas[0]!.generate(req)));
    expect(slow.requests.length - sent).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    for (const r of results) expect(r).toEqual({ ...results.find((x) => !x.replayed)!, replayed: r.replayed });
    const { budget, rows } = await replicas[0]!.getUsage(tenant, {});
    expect(rows).toEqual([expect.objectContaining({ requests: 1, outputTokens: 7 })]);
    expect(budget).toMatchObject({ spentUsd: PER_CALL, reservedUsd: 0 });
  });

  it('bills a key sent to two replicas at once once: the other replica replays it or says it is in progress', async () => {
    const tenant = randomUUID();
    const sent = slow.requests.length;
    const req = call(tenant, { maxTokens: 7, idempotencyKey: 'run-8/write/1' });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => replicas[i % 2]!.generate(req)));
    expect(slow.requests.length - sent).toBe(1);
    const fresh = results.filter((r) => r.status === 'fulfilled' && !r.value.replayed);
    expect(fresh).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(UnavailableError);
    expect((await replicas[0]!.getUsage(tenant, {})).rows).toEqual([expect.objectContaining({ requests: 1 })]);
    // Once recorded, every replica answers from the record.
    const later = await Promise.all(replicas.map((r) => r.generate(req)));
    expect(later.map((r) => r.replayed)).toEqual([true, true, true, true]);
  });

  describe('inside one batch (Billing, no in-process key flights)', () => {
    it('claims a key that appears 10 times in the batches once; the others see it in progress, then its record', async () => {
      const billing = new Billing(fx.ds);
      const tenant = randomUUID();
      // Submitted together: the first starts a batch at once, the nine others form the next one.
      const claims = await Promise.all(Array.from({ length: 10 }, () => billing.claimAndReserve(tenant, 'k-1', 'hash-1', 0)));
      expect(claims.map((c) => c.claim.state).sort()).toEqual(['claimed', ...Array<string>(9).fill('in-progress')]);
      const entry = { tenantId: tenant, workflow: 'w', agent: 'a', runId: 'r', step: 's', model: 'm', provider: 'p', operation: 'generate' as const, inputTokens: 1, outputTokens: 1, costUsd: 0, cached: false, experiment: '', arm: '', idempotencyKey: 'k-1' };
      const response: RoutedResult = { content: 'recorded', toolCalls: [], finishReason: 'stop', model: 'm', provider: 'p', inputTokens: 1, outputTokens: 1, costUsd: 0, replayed: false, cached: false, experiment: '', arm: '', fallbacksTried: [] };
      await billing.commit(entry, claims.find((c) => c.claim.state === 'claimed')!.reservation, response);
      const again = await Promise.all(Array.from({ length: 10 }, () => billing.claimAndReserve(tenant, 'k-1', 'hash-1', 0)));
      expect(again.map((c) => c.claim)).toEqual(Array(10).fill({ state: 'replay', response }));
      await expect(billing.claimAndReserve(tenant, 'k-1', 'other-hash', 0)).rejects.toThrow('idempotency_key: was already used for a different request');
    });

    it('lets two replicas whose batches meet on the budget row admit only what fits', async () => {
      const tenant = randomUUID();
      await replicas[0]!.setBudget(tenant, 5);
      // Hold the budget row from outside, so that both replicas' claim batches are in flight at
      // the same moment and queue on it; then let go. Each hold fits alone, not both.
      const blocker = new Client({ connectionString: fx.db.urlOf('router') });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query(`SELECT set_config('weaver.tenant_id', $1, true)`, [tenant]);
        await blocker.query('SELECT 1 FROM router.tenant_budgets WHERE tenant_id = $1 FOR UPDATE', [tenant]);
        const claims = [new Billing(fx.ds), new Billing(fx.ds)].map((b, i) => b.claimAndReserve(tenant, `race-${i}`, 'h', 3).then(
          (c) => c.reservation?.amountUsd,
          (e: Error) => e.constructor.name,
        ));
        await until(async () => (await blocker.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n === 2);
        await blocker.query('COMMIT');
        expect((await Promise.all(claims)).sort()).toEqual([3, 'BudgetExhaustedError'].sort());
      } finally {
        await blocker.end();
      }
      expect((await replicas[0]!.getUsage(tenant, {})).budget).toEqual({ limitUsd: 5, spentUsd: 0, reservedUsd: 3 });
    });

    it('applies the holds of one batch in submission order against the budget', async () => {
      const billing = new Billing(fx.ds);
      const tenant = randomUUID();
      await replicas[0]!.setBudget(tenant, 5);
      // The first (3) goes alone; the next three share a batch: 3 does not fit (3+3 > 5), 2 does, 1 no longer does.
      const holds = await Promise.allSettled([3, 3, 2, 1].map((usd, i) => billing.claimAndReserve(tenant, `h-${i}`, 'h', usd)));
      expect(holds.map((h) => (h.status === 'fulfilled' ? h.value.reservation?.amountUsd : (h.reason as Error).constructor.name))).toEqual([3, 'BudgetExhaustedError', 2, 'BudgetExhaustedError']);
      expect((await replicas[0]!.getUsage(tenant, {})).budget).toEqual({ limitUsd: 5, spentUsd: 0, reservedUsd: 5 });
      // Refused keys were released (claimable again); admitted ones are still held.
      const retry = await billing.claimAndReserve(tenant, 'h-1', 'h', 0);
      expect(retry.claim.state).toBe('claimed');
      expect((await billing.claimAndReserve(tenant, 'h-0', 'h', 0)).claim.state).toBe('in-progress');
    });
  });
});

/** Polls a database condition (no timing asserted: the test waits for a state, not for a duration). */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not reached');
}
