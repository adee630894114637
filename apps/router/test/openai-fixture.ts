import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { Client } from 'pg';
import { GRPC_SERVICES, type router, type tenancy } from '@weaver/contracts';
import { grpcClient, mutualTlsAs, startServiceForTest, unary, type GrpcClientHandle, type RunningService } from '@weaver/service-kit';
import { createTestDatabase, OpenAIWireServer, testTlsEnv, type TestDatabase } from '@weaver/testing';
import { DATABASE_SCHEMAS } from '@weaver/migrate';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { routerConfigSchema, type RouterConfig } from '../src/router.config';
import { RouterModule } from '../src/router.module';
// The real tenancy service: the router resolves API keys (ResolveApiKey) and reads quotas from it.
// eslint-disable-next-line @nx/enforce-module-boundaries -- another app's module, started as that service for this test
import { tenancyConfigSchema, type TenancyConfig } from '../../tenancy/src/tenancy.config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { TenancyModule } from '../../tenancy/src/tenancy.module';

/**
 * The router's catalogue for the OpenAI API tests: a priced chat model and an embedding model
 * behind an OpenAI wire server, the stand-in (the only one with json), and a model on a second
 * wire server, the only one workflow `vault` may use (so its calls have no fallback: its breaker
 * is what the caller meets).
 */
const modelsYaml = (wire: string, flaky: string): string => `version: 1
defaults:
  retry: { attempts: 1 }
  breaker: { volume_threshold: 2, error_threshold_percentage: 50, reset_timeout_ms: 600000 }
models:
  - name: gpt-wire
    provider: openai-compatible
    model: gpt-4o-mini
    endpoint: ${wire}/v1
    capabilities: [text, tools, streaming]
    max_context: 16000
    max_output_tokens: 256
    cost: { input_per_token: 0.000001, output_per_token: 0.000002 }
  - name: embed-wire
    provider: openai-compatible
    model: text-embedding-3-small
    endpoint: ${wire}/v1
    capabilities: [embeddings]
    max_context: 8191
    cost: { input_per_token: 0.00000002, output_per_token: 0 }
  - name: local-deterministic
    provider: local-deterministic
    capabilities: [text, json]
    max_context: 32768
    max_output_tokens: 512
    cost: { input_per_token: 0.01, output_per_token: 0.01 }
    self_hosted: true
  - name: onprem-wire
    provider: openai-compatible
    endpoint: ${flaky}/v1
    capabilities: [text, streaming]
    max_context: 16000
    cost: { input_per_token: 0.00001, output_per_token: 0.00001 }
routing:
  workflows:
    vault: { models: [onprem-wire] }
`;

export interface OpenAiRouterFixture {
  wire: OpenAIWireServer;
  /** Behind onprem-wire only. */
  flaky: OpenAIWireServer;
  router: RunningService<RouterConfig>;
  tenancy: RunningService<TenancyConfig>;
  operator: GrpcClientHandle<tenancy.TenancyServiceClient>;
  routerAdmin: GrpcClientHandle<router.RouterServiceClient>;
  pg: Client;
  /** A fresh tenant and an OpenAI client (the official SDK, no retries) holding its key. */
  tenant(): Promise<{ tenantId: string; keyId: string; apiKey: string; openai: OpenAI }>;
  clientFor(apiKey: string): OpenAI;
  /** The tenant's ledger rows, oldest first. */
  ledger(tenantId: string): Promise<Array<{ workflow: string; agent: string; run_id: string; model: string; operation: string; idempotency_key: string | null }>>;
  close(): Promise<void>;
}

/** Tenancy and the router (their real Nest modules, mutual TLS, one fresh PostgreSQL database) and the wire servers. */
export async function startOpenAiRouter(): Promise<OpenAiRouterFixture> {
  const db: TestDatabase & ServiceUrls = await migrateTestDatabase(await createTestDatabase(), DATABASE_SCHEMAS);
  const wire = await new OpenAIWireServer().start();
  const flaky = await new OpenAIWireServer().start();
  const dir = mkdtempSync(join(tmpdir(), 'router-openai-'));
  writeFileSync(join(dir, 'models.yaml'), modelsYaml(wire.url, flaky.url));
  const tenancySvc = await startServiceForTest({
    service: 'tenancy',
    module: TenancyModule,
    configSchema: tenancyConfigSchema,
    grpc: [GRPC_SERVICES.tenancy, GRPC_SERVICES.policy],
    env: { DATABASE_URL: db.urlOf('tenancy'), DATABASE_POOL_SIZE: '2', ...testTlsEnv('tenancy') },
  });
  const operator = grpcClient<tenancy.TenancyServiceClient>(GRPC_SERVICES.tenancy, tenancySvc.grpcUrl!, mutualTlsAs('operator', testTlsEnv('operator')));
  const routerSvc = await startServiceForTest({
    service: 'router',
    module: RouterModule,
    configSchema: routerConfigSchema,
    grpc: [GRPC_SERVICES.router],
    env: { DATABASE_URL: db.urlOf('router'), ROUTER_MODELS_FILE: join(dir, 'models.yaml'), WEAVER_KMS_KEYRING_FILE: join(dir, 'keyring.json'), TENANCY_URL: tenancySvc.grpcUrl!, AUDIT_RECORDER: 'log', POLICY_CACHE_TTL_MS: '0', ...testTlsEnv('router') },
  });
  const routerAdmin = grpcClient<router.RouterServiceClient>(GRPC_SERVICES.router, routerSvc.grpcUrl!, mutualTlsAs('operator', testTlsEnv('operator')));
  const pg = new Client({ connectionString: db.ownerUrl });
  await pg.connect();
  const clientFor = (apiKey: string): OpenAI => new OpenAI({ apiKey, baseURL: `${routerSvc.httpUrl}/v1`, maxRetries: 0 });
  return {
    wire,
    flaky,
    router: routerSvc,
    tenancy: tenancySvc,
    operator,
    routerAdmin,
    pg,
    clientFor,
    async tenant() {
      const created = await unary(operator.client.createTenant({ name: `t-${randomUUID().slice(0, 8)}` }));
      return { tenantId: created.tenant!.tenantId, keyId: created.keyId, apiKey: created.apiKey, openai: clientFor(created.apiKey) };
    },
    async ledger(tenantId) {
      return (await pg.query('SELECT workflow, agent, run_id, model, operation, idempotency_key FROM router.usage_ledger WHERE tenant_id = $1 ORDER BY id', [tenantId])).rows;
    },
    async close() {
      await pg.end();
      routerAdmin.close();
      await routerSvc.close();
      operator.close();
      await tenancySvc.close();
      await wire.stop();
      await flaky.stop();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
