import { createDataSource } from '@weaver/persistence';
import { createLogger, Metrics } from '@weaver/observability';
import type { DataSource } from 'typeorm';
import { AnthropicWireServer, createTestDatabase, OpenAIWireServer, TgiWireServer, type TestDatabase } from '@weaver/testing';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { MemoryResponseCache, ModelRouter, parseModelsFile, ROUTER_MIGRATIONS, ROUTER_SCHEMA, type ModelCallRequest } from '../src';

export interface RouterFixture {
  db: TestDatabase & ServiceUrls;
  ds: DataSource;
  openai: OpenAIWireServer;
  anthropic: AnthropicWireServer;
  tgi: TgiWireServer;
  vllm: OpenAIWireServer;
  metrics: Metrics;
  make(yaml: string): ModelRouter;
  close(): Promise<void>;
}

/** Real PostgreSQL (migrate step run, the router's role) and one wire server per provider on loopback. */
export async function startRouterFixture(): Promise<RouterFixture> {
  const db = await migrateTestDatabase(await createTestDatabase(), [{ schema: ROUTER_SCHEMA, migrations: ROUTER_MIGRATIONS }]);
  const ds = await createDataSource({ url: db.urlOf('router'), schema: ROUTER_SCHEMA, poolSize: 20 }).initialize();
  const [openai, anthropic, tgi, vllm] = await Promise.all([
    new OpenAIWireServer({ apiKey: 'sk-openai', contextWindow: 400 }).start(),
    new AnthropicWireServer({ apiKey: 'sk-anthropic', contextWindow: 2000 }).start(),
    new TgiWireServer({ contextWindow: 2000 }).start(),
    new OpenAIWireServer({ flavour: 'vllm', contextWindow: 2000 }).start(),
  ]);
  const routers: ModelRouter[] = [];
  const metrics = new Metrics('router-test');
  const env = { OPENAI_KEY: 'sk-openai', ANTHROPIC_KEY: 'sk-anthropic' };
  return {
    db,
    ds,
    openai,
    anthropic,
    tgi,
    vllm,
    metrics,
    make(yaml) {
      const file = parseModelsFile(
        yaml.replaceAll('$OPENAI', `${openai.url}/v1`).replaceAll('$ANTHROPIC', anthropic.url).replaceAll('$TGI', tgi.url).replaceAll('$VLLM', `${vllm.url}/v1`),
        'test-models.yaml',
      );
      const r = new ModelRouter({ file, env, dataSource: ds, metrics, logger: createLogger('router-test', { level: 'silent' }), cache: new MemoryResponseCache() });
      routers.push(r);
      return r;
    },
    async close() {
      await Promise.all(routers.map((r) => r.close()));
      await Promise.all([openai.stop(), anthropic.stop(), tgi.stop(), vllm.stop()]);
      await ds.destroy();
      await db.drop();
    },
  };
}

export function call(tenantId: string, over: Partial<ModelCallRequest> = {}): ModelCallRequest {
  return {
    tenantId,
    workflow: 'content',
    agent: 'writer',
    runId: 'run-1',
    step: 'write',
    classification: [],
    messages: [{ role: 'user', content: 'hello router' }],
    tools: [],
    jsonMode: false,
    requiredCapabilities: [],
    noCache: true,
    ...over,
  };
}

/** Four models, cheapest first: vllm (self-hosted, free) < tgi < openai < anthropic. */
export const FOUR_MODELS = `
version: 1
defaults:
  policy: cheapest
  retry: { attempts: 2, base_ms: 5, max_ms: 20, max_retry_after_ms: 1500 }
  breaker: { volume_threshold: 2, error_threshold_percentage: 50, reset_timeout_ms: 300 }
models:
  - name: gpt-wire
    provider: openai
    endpoint: $OPENAI
    api_key_env: OPENAI_KEY
    capabilities: [text, tools, json, streaming, embeddings, vision]
    max_context: 400
    max_output_tokens: 100
    cost: { input_per_token: 0.000002, output_per_token: 0.000004 }
    fallbacks: [claude-wire]
  - name: claude-wire
    provider: anthropic
    endpoint: $ANTHROPIC
    api_key_env: ANTHROPIC_KEY
    capabilities: [text, tools, json, streaming, vision]
    max_context: 2000
    max_output_tokens: 100
    cost: { input_per_token: 0.000003, output_per_token: 0.000015 }
  - name: tgi-wire
    provider: huggingface
    endpoint: $TGI
    capabilities: [text, tools, json, streaming, embeddings]
    max_context: 2000
    max_output_tokens: 100
    cost: { input_per_token: 0.000001, output_per_token: 0.000001 }
  - name: vllm-wire
    provider: openai-compatible
    endpoint: $VLLM
    capabilities: [text, streaming]
    max_context: 2000
    max_output_tokens: 100
    self_hosted: true
    cost: { input_per_token: 0, output_per_token: 0 }
`;
