import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Metadata } from '@grpc/grpc-js';
import { Pool } from 'pg';
import { GRPC_SERVICES, type gatewayAdmin } from '@weaver/contracts';
import { createKafka, provisionTopics, TopicNames } from '@weaver/messaging';
import { RegistryClient } from '@weaver/registry-core';
import { grpcClient, mutualTlsAs, startServiceForTest, type GrpcClientHandle, type RunningService } from '@weaver/service-kit';
import { createTestDatabase, OpenAIWireServer, testTlsEnv, type TestDatabase } from '@weaver/testing';
import { DATABASE_SCHEMAS } from '@weaver/migrate';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { gatewayConfigSchema, type GatewayConfig } from '../src/gateway.config';
import { GatewayModule } from '../src/gateway.module';
// The real tenancy, router and registry services behind the admin API (over mutual TLS, as the gateway).
// eslint-disable-next-line @nx/enforce-module-boundaries -- another app's module, started as that service for this test
import { routerConfigSchema } from '../../router/src/router.config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { RouterModule } from '../../router/src/router.module';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { tenancyConfigSchema } from '../../tenancy/src/tenancy.config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { TenancyModule } from '../../tenancy/src/tenancy.module';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { registryConfigSchema } from '../../registry/src/registry.config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { RegistryModule } from '../../registry/src/registry.module';

export const ADMIN_TOKEN = 'admin-api-token-0123456789abcdef';
const MODELS = (openai: string) => `
version: 1
models:
  - name: gpt-wire
    provider: openai-compatible
    endpoint: ${openai}
    capabilities: [text]
    max_context: 4000
    max_output_tokens: 100
    cost: { input_per_token: 0, output_per_token: 0 }
`;

export interface AdminApiHarness {
  db: TestDatabase & ServiceUrls;
  /** The database owner (the erasure step's role). */
  owner: Pool;
  gateway: RunningService<GatewayConfig>;
  admin: GrpcClientHandle<gatewayAdmin.AdminServiceClient>;
  /** The registry as an agent runner (registers agents and instances). */
  runner: RegistryClient;
  http(method: string, path: string, body?: unknown, auth?: { token?: string; key?: string }): Promise<{ status: number; body: Record<string, unknown> }>;
  /** gRPC metadata with the admin token or a key. */
  meta(auth: { token?: string; key?: string }): Metadata;
  close(): Promise<void>;
}

/** Tenancy, router, registry and the gateway, in process, on one fresh database (every schema) and the test broker. */
export async function startAdminApi(): Promise<AdminApiHarness> {
  const db = await migrateTestDatabase(await createTestDatabase(), DATABASE_SCHEMAS);
  const openai = await new OpenAIWireServer().start();
  const dir = mkdtempSync(join(tmpdir(), 'admin-api-'));
  writeFileSync(join(dir, 'models.yaml'), MODELS(`${openai.url}/v1`));
  const keyring = join(dir, 'keyring.json');
  const namespace = `adm-${randomUUID().slice(0, 8)}`;
  const brokers = process.env['WEAVER_TEST_KAFKA_BROKERS']!;
  await provisionTopics(createKafka({ brokers: [brokers], clientId: 'admin-api-test' }), new TopicNames(namespace).platform(1));
  const tenancy = await startServiceForTest({
    service: 'tenancy', module: TenancyModule, configSchema: tenancyConfigSchema, grpc: [GRPC_SERVICES.tenancy, GRPC_SERVICES.policy],
    // No resolution cache in tenancy: a state change is seen by the next call (the gateway's own cache is cleared by its admin routes).
    env: { DATABASE_URL: db.urlOf('tenancy'), DATABASE_POOL_SIZE: '3', API_KEY_CACHE_TTL_MS: '0', WEAVER_KMS_KEYRING_FILE: keyring, ...testTlsEnv('tenancy') },
  });
  const registry = await startServiceForTest({
    service: 'registry', module: RegistryModule, configSchema: registryConfigSchema, grpc: [GRPC_SERVICES.registry],
    env: { DATABASE_URL: db.urlOf('registry'), DATABASE_POOL_SIZE: '2', ...testTlsEnv('registry') },
  });
  const router = await startServiceForTest({
    service: 'router', module: RouterModule, configSchema: routerConfigSchema, grpc: [GRPC_SERVICES.router],
    env: { DATABASE_URL: db.urlOf('router'), ROUTER_MODELS_FILE: join(dir, 'models.yaml'), WEAVER_KMS_KEYRING_FILE: keyring, TENANCY_URL: tenancy.grpcUrl!, KAFKA_BROKERS: brokers, ...testTlsEnv('router') },
  });
  const gateway = await startServiceForTest({
    service: 'gateway', module: GatewayModule, configSchema: gatewayConfigSchema, grpc: [GRPC_SERVICES.gateway, GRPC_SERVICES.gatewayAdmin], clientFacingGrpc: true,
    env: {
      DATABASE_URL: db.urlOf('gateway'), KAFKA_BROKERS: brokers, KAFKA_NAMESPACE: namespace, TENANCY_URL: tenancy.grpcUrl!, REGISTRY_URL: registry.grpcUrl!, ROUTER_URL: router.grpcUrl!,
      GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN, WEAVER_KMS_KEYRING_FILE: keyring, ...testTlsEnv('gateway'),
    },
  });
  const admin = grpcClient<gatewayAdmin.AdminServiceClient>(GRPC_SERVICES.gatewayAdmin, gateway.grpcUrl!, mutualTlsAs('operator', testTlsEnv('operator')), { deadlineMs: 20_000 });
  const runner = RegistryClient.connect(registry.grpcUrl!, mutualTlsAs('agent-runner', testTlsEnv('agent-runner')));
  const owner = new Pool({ connectionString: db.ownerUrl, max: 2 });

  const headers = (auth: { token?: string; key?: string }): Record<string, string> => ({
    ...(auth.token ? { 'x-admin-token': auth.token } : {}),
    ...(auth.key ? { authorization: `Bearer ${auth.key}` } : {}),
  });
  return {
    db, owner, gateway, admin, runner,
    async http(method, path, body, auth = { token: ADMIN_TOKEN }) {
      const res = await fetch(`${gateway.httpUrl}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers(auth) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: ((await res.json().catch(() => null)) ?? {}) as Record<string, unknown> };
    },
    meta(auth) {
      const m = new Metadata();
      for (const [k, v] of Object.entries(auth.token ? { 'x-admin-token': auth.token } : { 'x-api-key': auth.key ?? '' })) m.set(k, v);
      return m;
    },
    async close() {
      admin.close();
      runner.close();
      await owner.end();
      await gateway.close();
      await router.close();
      await registry.close();
      await tenancy.close();
      await openai.stop();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
