import { randomUUID } from 'node:crypto';
import { createLogger } from '@weaver/observability';
import { OpenAIWireServer } from '@weaver/testing';
import { call, startRouterFixture, type RouterFixture } from './router-fixture';
import { Billing } from '../src/billing';
import { BudgetExhaustedError, parseModelsFile, ModelRouter, TokensPerDayExhaustedError, type RouterQuota } from '../src';
import type { UsageEntry } from '../src/ledger/usage-ledger';

/**
 * Tenant quotas in the billing batch (issue 8 §6), on real PostgreSQL: tokens per UTC day and the
 * default budget (`budget_usd`) of a tenant the router has no budget for, both checked in the one
 * locked statement of router.billing_batch, so several replicas admit exactly what fits.
 * The quotas come from a function here (tenancy's GetQuotas, cached, in the service).
 */
const PER_CALL = 0.000028; // output only, 7 tokens at $0.000004: worst case = actual (max_tokens = the reply)
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

const entryOf = (tenantId: string, key: string, inputTokens: number, outputTokens: number): UsageEntry => ({
  tenantId, workflow: 'w', agent: 'a', runId: key, step: 's', model: 'm', provider: 'p', operation: 'generate', inputTokens, outputTokens, costUsd: 0, cached: false, experiment: '', arm: '', idempotencyKey: key,
});

describe('tenant quotas in the billing batch (tokens/day, default budget)', () => {
  let fx: RouterFixture;
  let slow: OpenAIWireServer;
  let quotas: Map<string, RouterQuota>;
  let replicas: ModelRouter[];

  beforeAll(async () => {
    fx = await startRouterFixture();
    slow = await new OpenAIWireServer({ apiKey: 'sk-openai', contextWindow: 400, latencyMs: 20 }).start();
    const file = parseModelsFile(METERED(`${slow.url}/v1`), 'metered.yaml');
    quotas = new Map();
    const source = async (tenantId: string): Promise<RouterQuota> => quotas.get(tenantId) ?? { tokensPerDay: 1_000_000, budgetUsd: 100 };
    replicas = [0, 1, 2].map(
      () => new ModelRouter({ file, env: { OPENAI_KEY: 'sk-openai' }, dataSource: fx.ds, metrics: fx.metrics, logger: createLogger('router-test', { level: 'silent' }), quotas: source }),
    );
  });
  afterAll(async () => {
    await Promise.all((replicas ?? []).map((r) => r.close()));
    await slow?.stop();
    await fx?.close();
  });

  it('admits exactly the calls whose worst-case tokens fit tokens/day, across four replicas, and settles to the actual tokens', async () => {
    const tenant = randomUUID();
    const limits = { tokensPerDay: 1_000 };
    const billings = [0, 1, 2, 3].map(() => new Billing(fx.ds));
    // 60 concurrent claims of 70 tokens each against 1,000 a day: 14 fit (980), whatever the batching.
    const claims = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => billings[i % 4]!.claimAndReserve(tenant, `t-${i}`, 'h', 0, { tokens: 70, limits })));
    const admitted = claims.flatMap((c, i) => (c.status === 'fulfilled' ? [{ i, reservation: c.value.reservation! }] : []));
    const refused = claims.filter((c) => c.status === 'rejected').map((c) => (c as PromiseRejectedResult).reason as Error);
    expect([admitted.length, refused.length]).toEqual([14, 46]);
    expect(refused.every((e) => e instanceof TokensPerDayExhaustedError)).toBe(true);
    const refusal = refused[0] as TokensPerDayExhaustedError;
    expect(refusal.code).toBe('RESOURCE_EXHAUSTED');
    expect(refusal.message).toMatch(/^quota tokens_per_day exceeded: .* this call needs up to 70 \(limit 1000\); retry after \d+ s$/);
    expect(refusal.details).toMatchObject({ quota: 'tokens_per_day', limit: 1000, requested: 70 });
    expect(admitted[0]!.reservation).toMatchObject({ tokens: 70, day: new Date().toISOString().slice(0, 10) });

    // Settled to actual (50 each: 14 × 50 = 700 used, nothing held); 300 left: four more 70s fit, the fifth not.
    await Promise.all(admitted.map(({ i, reservation }) => billings[i % 4]!.commit(entryOf(tenant, `t-${i}`, 30, 20), reservation, undefined)));
    const more = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => billings[i % 4]!.claimAndReserve(tenant, `m-${i}`, 'h', 0, { tokens: 70, limits })));
    expect(more.filter((c) => c.status === 'fulfilled')).toHaveLength(4);
    const last = more.find((c) => c.status === 'rejected') as PromiseRejectedResult;
    expect(last.reason).toBeInstanceOf(TokensPerDayExhaustedError);
    expect((last.reason as TokensPerDayExhaustedError).details).toMatchObject({ used: 700, reserved: 280 });
    // An abandoned call gives its tokens back.
    const held = more.find((c) => c.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<Billing['claimAndReserve']>>>;
    await billings[0]!.abandon(tenant, held.value.reservation, undefined);
    await expect(billings[0]!.claimAndReserve(tenant, 'after-abandon', 'h', 0, { tokens: 70, limits })).resolves.toMatchObject({ claim: { state: 'claimed' } });
    const row = await fx.ds.transaction(async (em) => {
      await em.query(`SELECT set_config('weaver.tenant_id', $1, true)`, [tenant]);
      return (await em.query('SELECT tokens_used::int AS used, tokens_reserved::int AS reserved, limit_usd FROM router.tenant_budgets WHERE tenant_id = $1', [tenant]))[0];
    });
    expect(row).toEqual({ used: 700, reserved: 280, limit_usd: null });
  });

  it('refuses a router call whose worst case does not fit what is left today, naming tokens_per_day', async () => {
    const tenant = randomUUID();
    quotas.set(tenant, { tokensPerDay: 40, budgetUsd: 100 });
    const first = await replicas[0]!.generate(call(tenant, { maxTokens: 7, runId: 'tok-1' }));
    const used = first.inputTokens + first.outputTokens;
    expect(used).toBeGreaterThan(0);
    // Whatever the estimate of the prompt, a call asking for up to 40 output tokens no longer fits.
    const err = await replicas[1]!.generate(call(tenant, { maxTokens: 40, runId: 'tok-2' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokensPerDayExhaustedError);
    expect((err as TokensPerDayExhaustedError).details).toMatchObject({ quota: 'tokens_per_day', limit: 40, used });
    const { rows } = await replicas[2]!.getUsage(tenant, {});
    expect(rows).toEqual([expect.objectContaining({ requests: 1 })]);
  });

  it('limits a tenant without a budget row by its budget_usd quota: exactly what fits of concurrent calls on three replicas', async () => {
    const tenant = randomUUID();
    quotas.set(tenant, { tokensPerDay: 1_000_000, budgetUsd: 5 * PER_CALL });
    expect((await replicas[0]!.getUsage(tenant, {})).budget).toBeUndefined();
    const results = await Promise.allSettled(Array.from({ length: 24 }, (_, i) => replicas[i % 3]!.generate(call(tenant, { maxTokens: 7, runId: `b-${i}`, idempotencyKey: `b-${i}/s` }))));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as Error);
    expect([results.length - refused.length, refused.length]).toEqual([5, 19]);
    expect(refused.every((e) => e instanceof BudgetExhaustedError)).toBe(true);
    expect((refused[0] as BudgetExhaustedError).details).toMatchObject({ quota: 'budget_usd', reason: 'BUDGET_EXHAUSTED' });
    expect(refused[0]!.message).toContain('(quota budget_usd)');
    const { budget } = await replicas[1]!.getUsage(tenant, {});
    expect(budget?.limitUsd).toBeCloseTo(5 * PER_CALL, 12);
    expect(budget?.spentUsd).toBeCloseTo(5 * PER_CALL, 12);
    expect(budget?.reservedUsd).toBe(0);

    // The limit follows the quota (an admin raised it) …
    quotas.set(tenant, { tokensPerDay: 1_000_000, budgetUsd: 6 * PER_CALL });
    await expect(replicas[2]!.generate(call(tenant, { maxTokens: 7, runId: 'b-raised' }))).resolves.toMatchObject({ outputTokens: 7 });
    await expect(replicas[0]!.generate(call(tenant, { maxTokens: 7, runId: 'b-over' }))).rejects.toBeInstanceOf(BudgetExhaustedError);
    // … until the tenant gets a budget of its own, which wins over the quota (and is not named as one).
    await replicas[0]!.setBudget(tenant, 8 * PER_CALL);
    await expect(replicas[1]!.generate(call(tenant, { maxTokens: 7, runId: 'b-own' }))).resolves.toMatchObject({ outputTokens: 7 });
    await replicas[1]!.generate(call(tenant, { maxTokens: 7, runId: 'b-own-2' }));
    const over = await replicas[2]!.generate(call(tenant, { maxTokens: 7, runId: 'b-own-3' })).catch((e: unknown) => e as BudgetExhaustedError);
    expect(over).toBeInstanceOf(BudgetExhaustedError);
    expect((over as BudgetExhaustedError).details['quota']).toBeUndefined();
  });

  it('keeps the old behaviour without quotas: no budget row, no limit', async () => {
    const billing = new Billing(fx.ds);
    const tenant = randomUUID();
    const { reservation } = await billing.claimAndReserve(tenant, undefined, '', 5, { tokens: 10_000 });
    expect(reservation).toEqual({ tenantId: tenant, amountUsd: 0 });
    expect((await replicas[0]!.getUsage(tenant, {})).budget).toBeUndefined();
  });
});
