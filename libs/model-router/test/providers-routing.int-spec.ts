import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@weaver/observability';
import { BedrockWireServer, countWireTokens, GeminiWireServer } from '@weaver/testing';
import { ModelRouter, parseModelsFile, type ModelsFile } from '../src';
import { call, startRouterFixture, type RouterFixture } from './router-fixture';

const TENANT = '0b9d4c1e-7a55-4a0e-9d0c-5f3e2a1b6c7d';

describe('the router with the plan’s models.yaml and the new providers (real PostgreSQL, local wire servers)', () => {
  let fx: RouterFixture;
  let bedrock: BedrockWireServer;
  let gemini: GeminiWireServer;
  const routers: ModelRouter[] = [];
  const savedKey = process.env['OPENAI_API_KEY'];
  const make = (file: ModelsFile, env: Record<string, string> = {}) => {
    const r = new ModelRouter({ file, env, dataSource: fx.ds, metrics: fx.metrics, logger: createLogger('providers-routing', { level: 'silent' }) });
    routers.push(r);
    return r;
  };

  beforeAll(async () => {
    fx = await startRouterFixture();
    bedrock = await new BedrockWireServer({ accessKeyId: 'AKIDROUTER', secretAccessKey: 'router-secret', contextWindow: 2000 }).start();
    gemini = await new GeminiWireServer({ apiKey: 'goog-router', contextWindow: 2000 }).start();
    // The plan's gpt-4 names no api_key_env: the OpenAI SDK reads its own variable.
    process.env['OPENAI_API_KEY'] = 'sk-plan';
  });
  afterAll(async () => {
    if (savedKey === undefined) delete process.env['OPENAI_API_KEY'];
    else process.env['OPENAI_API_KEY'] = savedKey;
    await Promise.all(routers.map((r) => r.close()));
    await Promise.all([bedrock.stop(), gemini.stop()]);
    await fx.close();
  });

  it('serves and bills the plan’s file as written: tags pick the model, cost_per_token prices it, self-hosted is free', async () => {
    const text = readFileSync(join(__dirname, 'fixtures/plan-models.yaml'), 'utf8');
    const plan = parseModelsFile(text, 'plan-models.yaml');
    // Only the endpoints move to loopback (both models speak the OpenAI API: the vLLM-flavoured server).
    const router = make({ ...plan, models: plan.models.map((m) => ({ ...m, endpoint: `${fx.vllm.url}/v1` })) });
    const code = await router.generate(call(TENANT, { requiredCapabilities: ['code'], messages: [{ role: 'user', content: 'merge two lists' }], idempotencyKey: 'plan-code' }));
    const tokens = countWireTokens('merge two lists') + countWireTokens('echo(gpt-4): merge two lists');
    expect(code).toMatchObject({ model: 'gpt-4', provider: 'openai', inputTokens: countWireTokens('merge two lists') });
    expect(code.costUsd).toBeCloseTo(tokens * 0.00003, 12);
    const domain = await router.generate(call(TENANT, { requiredCapabilities: ['domain-specific'], idempotencyKey: 'plan-domain' }));
    expect(domain).toMatchObject({ model: 'custom-llama', provider: 'self-hosted', costUsd: 0 });
    const { rows } = await router.getUsage(TENANT, {});
    expect(rows.map((u) => u.model)).toEqual(expect.arrayContaining(['custom-llama', 'gpt-4']));
  });

  it('skips the plan’s gpt-4 with the reason when the OpenAI SDK finds no key (no api_key_env, no OPENAI_API_KEY); the rest still serves', async () => {
    delete process.env['OPENAI_API_KEY'];
    try {
      const plan = parseModelsFile(readFileSync(join(__dirname, 'fixtures/plan-models.yaml'), 'utf8'), 'plan-models.yaml');
      const router = make({ ...plan, models: plan.models.map((m) => ({ ...m, endpoint: `${fx.vllm.url}/v1` })) });
      await expect(router.generate(call(TENANT, { requiredCapabilities: ['code'], idempotencyKey: 'nokey-code' }))).rejects.toMatchObject({
        details: { rejected: { 'gpt-4': expect.stringContaining('adapter could not start') } },
      });
      expect(await router.generate(call(TENANT, { idempotencyKey: 'nokey-text' }))).toMatchObject({ model: 'custom-llama' });
    } finally {
      process.env['OPENAI_API_KEY'] = 'sk-plan';
    }
  });

  it('falls back from a throttled Bedrock to Gemini and opens Bedrock’s breaker (retriable errors count against the endpoint)', async () => {
    const file = parseModelsFile(
      `
defaults:
  retry: { attempts: 1, base_ms: 5, max_ms: 10 }
  breaker: { volume_threshold: 2, error_threshold_percentage: 50, reset_timeout_ms: 60000 }
models:
  - { name: claude-bedrock, provider: bedrock, model: "anthropic.claude-3-5-haiku-20241022-v1:0", endpoint: "${bedrock.url}", api_key_env: AWS_PAIR, capabilities: [text, analysis], cost_per_token: 0.000001, fallbacks: [gemini-flash], options: { region: eu-central-1 } }
  - { name: gemini-flash, provider: gemini, model: gemini-2.0-flash, endpoint: "${gemini.url}", api_key_env: GEMINI_KEY, capabilities: [text, analysis], cost: { input_per_token: 0.000002, output_per_token: 0.000002 } }
`,
      'fallback.yaml',
    );
    const router = make(file, { AWS_PAIR: 'AKIDROUTER:router-secret', GEMINI_KEY: 'goog-router' });
    const first = await router.generate(call(TENANT, { requiredCapabilities: ['analysis'], idempotencyKey: 'fb-0' }));
    expect(first).toMatchObject({ model: 'claude-bedrock', fallbacksTried: [] });
    bedrock.failAlways({ type: 'rate-limit' });
    for (let i = 1; i <= 3; i++) {
      const r = await router.generate(call(TENANT, { requiredCapabilities: ['analysis'], idempotencyKey: `fb-${i}` }));
      expect(r).toMatchObject({ model: 'gemini-flash', fallbacksTried: ['claude-bedrock'] });
    }
    expect(Object.entries(router.breakerStates()).find(([k]) => k.startsWith('bedrock@'))?.[1]).toBe('open');
    bedrock.heal();
  });
});
