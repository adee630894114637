import { randomUUID } from 'node:crypto';
import { call, FOUR_MODELS, startRouterFixture, type RouterFixture } from './router-fixture';
import { BudgetExhaustedError, NoCapableModelError, ClassificationCeilingError, type ModelRouter, type RouterChunk } from '../src';

describe('ModelRouter against provider wire servers and PostgreSQL', () => {
  let fx: RouterFixture;
  let router: ModelRouter;

  beforeAll(async () => {
    fx = await startRouterFixture();
    router = fx.make(FOUR_MODELS);
  });
  afterEach(() => [fx.openai, fx.anthropic, fx.tgi, fx.vllm].forEach((s) => s.heal()));
  afterAll(() => fx?.close());

  it('routes by capability, then cheapest, and records tokens and cost in the ledger', async () => {
    const tenant = randomUUID();
    const plain = await router.generate(call(tenant));
    expect(plain).toMatchObject({ model: 'vllm-wire', content: 'echo(vllm-wire): hello router', costUsd: 0, replayed: false });
    const tools = await router.generate(call(tenant, { agent: 'researcher', tools: [{ name: 'search', description: 's', parameters: { type: 'object' } }] }));
    expect(tools.model).toBe('tgi-wire');
    expect(tools.toolCalls[0]).toMatchObject({ name: 'search', arguments: '{"input":"hello router"}' });
    const vision = await router.generate(call(tenant, { requiredCapabilities: ['vision'] }));
    expect(vision.model).toBe('gpt-wire');
    expect(vision.costUsd).toBeCloseTo(vision.inputTokens * 0.000002 + vision.outputTokens * 0.000004, 12);

    const usage = await router.getUsage(tenant, {});
    expect(usage.rows.map((r) => [r.agent, r.model, r.requests])).toEqual([
      ['researcher', 'tgi-wire', 1],
      ['writer', 'gpt-wire', 1],
      ['writer', 'vllm-wire', 1],
    ]);
    expect(usage.rows.find((r) => r.model === 'gpt-wire')?.costUsd).toBeCloseTo(vision.costUsd, 9);
    // another tenant sees nothing (row-level security)
    expect((await router.getUsage(randomUUID(), {})).rows).toEqual([]);
  });

  it('refuses a request no model can serve, naming why', async () => {
    const err = await router.generate(call(randomUUID(), { requiredCapabilities: ['audio'] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoCapableModelError);
    expect((err as NoCapableModelError).message).toMatch(/lacks capability audio/);
    await expect(router.generate(call(randomUUID(), { messages: [] }))).rejects.toThrow('messages: must contain at least one message');
  });

  it('sends restricted data only to self-hosted models', async () => {
    const tenant = randomUUID();
    const r = await router.generate(call(tenant, { classification: ['restricted'] }));
    expect(r.model).toBe('vllm-wire');
    await expect(router.generate(call(tenant, { classification: ['restricted'], modelHint: 'gpt-wire' }))).rejects.toBeInstanceOf(ClassificationCeilingError);
    await expect(router.generate(call(tenant, { classification: ['restricted'], tools: [{ name: 't', description: '', parameters: {} }] }))).rejects.toBeInstanceOf(NoCapableModelError);
  });

  it('falls back in order on a server error, and on a 429 whose Retry-After is too long to wait', async () => {
    const tenant = randomUUID();
    fx.openai.failNext(2, { type: 'server-error' });
    const afterError = await router.generate(call(tenant, { requiredCapabilities: ['vision'] }));
    expect(afterError).toMatchObject({ model: 'claude-wire', fallbacksTried: ['gpt-wire'] });

    // a fresh router: the first one's breaker for this endpoint has just seen two failures
    const fresh = fx.make(FOUR_MODELS);
    fx.openai.failNext(1, { type: 'rate-limit', retryAfterS: 30 });
    const before = fx.openai.requests.length;
    const afterLimit = await fresh.generate(call(tenant, { requiredCapabilities: ['vision'], runId: 'r-429' }));
    expect(afterLimit.model).toBe('claude-wire');
    expect(fx.openai.requests.length - before).toBe(1); // no retry against a 30 s Retry-After
  });

  it('waits out a short Retry-After and retries the same model', async () => {
    const r = fx.make(FOUR_MODELS);
    fx.openai.failNext(1, { type: 'rate-limit', retryAfterS: 1 });
    const started = Date.now();
    const out = await r.generate(call(randomUUID(), { requiredCapabilities: ['vision'] }));
    expect(out.model).toBe('gpt-wire');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('falls back to a larger context window on a context overflow', async () => {
    const r = fx.make(FOUR_MODELS.replace('max_context: 400', 'max_context: 4000'));
    const long = 'word '.repeat(450);
    const out = await r.generate(call(randomUUID(), { requiredCapabilities: ['vision'], messages: [{ role: 'user', content: long }] }));
    expect(out).toMatchObject({ model: 'claude-wire', fallbacksTried: ['gpt-wire'] });
  });

  it('opens the endpoint breaker, skips the endpoint while open, half-opens and closes', async () => {
    const r = fx.make(FOUR_MODELS);
    const tenant = randomUUID();
    fx.openai.failAlways({ type: 'server-error' });
    await r.generate(call(tenant, { requiredCapabilities: ['vision'] }));
    expect(r.breakerStates()[`openai@${new URL(fx.openai.url).host}`]).toBe('open');
    const seen = fx.openai.requests.length;
    expect((await r.generate(call(tenant, { requiredCapabilities: ['vision'] }))).model).toBe('claude-wire');
    expect(fx.openai.requests.length).toBe(seen); // refused by the open breaker, not sent
    expect((await fx.metrics.text()).body).toMatch(new RegExp(`weaver_circuit_breaker_state\\{breaker="openai@${new URL(fx.openai.url).host}",service="router-test"\\} 2`));

    fx.openai.heal();
    await new Promise((res) => setTimeout(res, 350)); // reset_timeout_ms: 300, then one trial call
    const trial = await r.generate(call(tenant, { requiredCapabilities: ['vision'] }));
    expect(trial.model).toBe('gpt-wire');
    expect(r.breakerStates()[`openai@${new URL(fx.openai.url).host}`]).toBe('closed');
  });

  it('returns the recorded response for a repeated idempotency key, billed once', async () => {
    const tenant = randomUUID();
    const req = call(tenant, { idempotencyKey: 'run-9/step-3/attempt-1', requiredCapabilities: ['vision'] });
    const first = await router.generate(req);
    const sent = fx.openai.requests.length;
    const again = await router.generate(req);
    expect(again).toEqual({ ...first, replayed: true });
    expect(fx.openai.requests.length).toBe(sent);
    const usage = await router.getUsage(tenant, {});
    expect(usage.rows).toEqual([expect.objectContaining({ model: 'gpt-wire', requests: 1, costUsd: expect.closeTo(first.costUsd, 9) })]);
    await expect(router.generate({ ...req, messages: [{ role: 'user', content: 'different' }] })).rejects.toThrow('idempotency_key: was already used for a different request');
  });

  it('answers exact repeats from the cache without calling the provider or billing', async () => {
    const tenant = randomUUID();
    const first = await router.generate(call(tenant, { noCache: false, requiredCapabilities: ['vision'], messages: [{ role: 'user', content: 'cache me' }] }));
    const sent = fx.openai.requests.length;
    const second = await router.generate(call(tenant, { noCache: false, requiredCapabilities: ['vision'], messages: [{ role: 'user', content: 'cache me' }] }));
    expect(second).toMatchObject({ content: first.content, cached: true, costUsd: 0 });
    expect(fx.openai.requests.length).toBe(sent);
    const other = await router.generate(call(randomUUID(), { noCache: false, requiredCapabilities: ['vision'], messages: [{ role: 'user', content: 'cache me' }] }));
    expect(other.cached).toBe(false); // never across tenants
  });

  it('stops spending at the budget limit under concurrent requests', async () => {
    // One metered model whose worst case equals its actual cost: output only, max_tokens = the
    // reply's length (`echo(metered): hello router`, 7 tokens at $0.000004) = $0.000028 per call. A limit of 10 calls' worth
    // must admit exactly 10 of 30 concurrent calls, whatever the interleaving.
    const metered = fx.make(`
version: 1
models:
  - name: metered
    provider: openai
    endpoint: $OPENAI
    api_key_env: OPENAI_KEY
    capabilities: [text]
    max_context: 400
    cost: { input_per_token: 0, output_per_token: 0.000004 }
`);
    const tenant = randomUUID();
    await metered.setBudget(tenant, 0.00028);
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => metered.generate(call(tenant, { maxTokens: 7, runId: `b-${i}` }))));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof BudgetExhaustedError);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(20);
    const { budget, rows } = await metered.getUsage(tenant, {});
    expect(budget).toEqual({ limitUsd: 0.00028, spentUsd: 0.00028, reservedUsd: 0 });
    expect(rows).toEqual([expect.objectContaining({ model: 'metered', requests: 10, outputTokens: 70 })]);
    expect(((refused[0] as PromiseRejectedResult).reason as Error).message).toMatch(/budget exhausted for tenant .*: limit \$0\.000280, spent/);
    await expect(metered.generate(call(tenant, { maxTokens: 7 }))).rejects.toBeInstanceOf(BudgetExhaustedError);
    // The tenant's series: budget as the last claim batch read it, cost and tokens per model.
    const lines = (await fx.metrics.text()).body.split('\n').filter((l) => l.includes(`tenant="${tenant}"`));
    const value = (name: string) => lines.filter((l) => l.startsWith(`${name}{`)).reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    expect(value('weaver_budget_limit_usd')).toBe(0.00028);
    expect(value('weaver_budget_remaining_usd')).toBeCloseTo(0, 12);
    expect(value('weaver_model_cost_usd_total')).toBeCloseTo(0.00028, 12);
    expect(lines.filter((l) => l.startsWith('weaver_model_tokens_total{') && l.includes('direction="output"') && l.includes('model="metered"'))).toHaveLength(1);
    expect(value('weaver_model_tokens_total')).toBe(rows[0]!.inputTokens + 70);
  });

  it('streams through the router, falling back before the first delta, and bills the stream', async () => {
    const tenant = randomUUID();
    fx.openai.failNext(2, { type: 'server-error' });
    const chunks: RouterChunk[] = [];
    for await (const c of router.generateStream(call(tenant, { requiredCapabilities: ['vision'], messages: [{ role: 'user', content: 'stream it' }] }))) chunks.push(c);
    const text = chunks.map((c) => (c.type === 'text' ? c.text : '')).join('');
    expect(text).toBe('echo(claude-wire): stream it');
    const done = chunks.at(-1);
    expect(done).toMatchObject({ type: 'done', result: { model: 'claude-wire', content: text, fallbacksTried: ['gpt-wire'] } });
    expect((await router.getUsage(tenant, {})).rows[0]).toMatchObject({ model: 'claude-wire', requests: 1 });
  });
});
