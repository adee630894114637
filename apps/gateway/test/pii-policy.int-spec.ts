import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { GRPC_SERVICES, router } from '@weaver/contracts';
import { createKafka, provisionTopics, TopicNames } from '@weaver/messaging';
import { grpcClient, mutualTlsAs, startServiceForTest, tenantMetadata, unary, type GrpcClientHandle, type RunningService } from '@weaver/service-kit';
import { createTestDatabase, OpenAIWireServer, testTlsEnv, type TestDatabase } from '@weaver/testing';
import { DATABASE_SCHEMAS } from '@weaver/migrate';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { gatewayConfigSchema, type GatewayConfig } from '../src/gateway.config';
import { GatewayModule } from '../src/gateway.module';
// The real router and tenancy services behind the admin routes (over mutual TLS, as the gateway).
// eslint-disable-next-line @nx/enforce-module-boundaries -- another app's module, started as that service for this test
import { routerConfigSchema, type RouterConfig } from '../../router/src/router.config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { RouterModule } from '../../router/src/router.module';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { tenancyConfigSchema, type TenancyConfig } from '../../tenancy/src/tenancy.config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { TenancyModule } from '../../tenancy/src/tenancy.module';

const ADMIN_TOKEN = 'pii-admin-token-0123456789';
const EMAIL = 'grace.hopper@example.com';
const MODELS = (openai: string) => `
version: 1
models:
  - name: gpt-wire
    provider: openai-compatible
    endpoint: ${openai}
    capabilities: [text, streaming]
    max_context: 4000
    max_output_tokens: 100
    cost: { input_per_token: 0, output_per_token: 0 }
`;

/**
 * The admin API's PII policy routes on the real gateway, router and tenancy services (PostgreSQL,
 * Kafka for the gateway's start, mutual TLS), and the router applying what was set to an agent's
 * call under the tenant's real data key (local KMS).
 */
describe('PII policy admin routes (gateway → router)', () => {
  let db: TestDatabase & ServiceUrls;
  let dir: string;
  let openai: OpenAIWireServer;
  let tenancySvc: RunningService<TenancyConfig>;
  let routerSvc: RunningService<RouterConfig>;
  let gateway: RunningService<GatewayConfig>;
  let runner: GrpcClientHandle<router.RouterServiceClient>;

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), DATABASE_SCHEMAS);
    openai = await new OpenAIWireServer().start();
    dir = mkdtempSync(join(tmpdir(), 'pii-admin-'));
    writeFileSync(join(dir, 'models.yaml'), MODELS(`${openai.url}/v1`));
    const keyring = join(dir, 'keyring.json');
    // The gateway tails its runs topic from its start: the platform topics exist first (as the runner makes them in a stack).
    const namespace = `pii-${randomUUID().slice(0, 8)}`;
    await provisionTopics(createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'pii-admin-test' }), new TopicNames(namespace).platform(1));
    tenancySvc = await startServiceForTest({
      service: 'tenancy',
      module: TenancyModule,
      configSchema: tenancyConfigSchema,
      grpc: [GRPC_SERVICES.tenancy, GRPC_SERVICES.policy],
      env: { DATABASE_URL: db.urlOf('tenancy'), DATABASE_POOL_SIZE: '2', WEAVER_KMS_KEYRING_FILE: keyring, ...testTlsEnv('tenancy') },
    });
    routerSvc = await startServiceForTest({
      service: 'router',
      module: RouterModule,
      configSchema: routerConfigSchema,
      grpc: [GRPC_SERVICES.router],
      env: { DATABASE_URL: db.urlOf('router'), ROUTER_MODELS_FILE: join(dir, 'models.yaml'), WEAVER_KMS_KEYRING_FILE: keyring, TENANCY_URL: tenancySvc.grpcUrl!, KAFKA_BROKERS: process.env['WEAVER_TEST_KAFKA_BROKERS']!, ...testTlsEnv('router') },
    });
    gateway = await startServiceForTest({
      service: 'gateway',
      module: GatewayModule,
      configSchema: gatewayConfigSchema,
      grpc: [GRPC_SERVICES.gateway],
      clientFacingGrpc: true,
      env: {
        DATABASE_URL: db.urlOf('gateway'),
        KAFKA_BROKERS: process.env['WEAVER_TEST_KAFKA_BROKERS'],
        KAFKA_NAMESPACE: namespace,
        TENANCY_URL: tenancySvc.grpcUrl!,
        REGISTRY_URL: '127.0.0.1:9',
        ROUTER_URL: routerSvc.grpcUrl!,
        GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
        WEAVER_KMS_KEYRING_FILE: keyring,
        ...testTlsEnv('gateway'),
      },
    });
    runner = grpcClient<router.RouterServiceClient>(GRPC_SERVICES.router, routerSvc.grpcUrl!, mutualTlsAs('agent-runner', testTlsEnv('agent-runner')));
  });
  afterAll(async () => {
    runner?.close();
    await gateway?.close();
    await routerSvc?.close();
    await tenancySvc?.close();
    await openai?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const http = async (method: string, path: string, body?: unknown, token = ADMIN_TOKEN) => {
    const res = await fetch(`${gateway.httpUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { 'x-admin-token': token } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  };
  const newTenant = async (): Promise<string> => {
    const res = await http('POST', '/v1/tenants', { name: `pii-${Date.now()}-${Math.random().toString(36).slice(2, 8)}` });
    expect(res.status).toBe(201);
    return (res.body?.['tenant'] as { tenantId: string }).tenantId;
  };
  const generate = (tenantId: string, content: string) =>
    unary(
      runner.client.generate(
        router.GenerateRequest.create({ tenantId, workflow: 'w', agent: 'a', runId: 'r', step: 's', noCache: true, messages: [{ role: router.Role.ROLE_USER, content, toolCalls: [], toolCallId: '' }] }),
        tenantMetadata(tenantId),
      ),
    );
  const pii = (tenantId: string) => `/v1/admin/tenants/${tenantId}/pii-policy`;

  it('answers 400 naming the field and the rule for a bad policy, and 401/403 without the admin token', async () => {
    const tenant = await newTenant();
    const bad = await http('PUT', pii(tenant), { policy: { emial: 'mask', phone: 'hide' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('policy.emial');
    expect(JSON.stringify(bad.body)).toContain('unknown entity type');
    expect(JSON.stringify(bad.body)).toContain('policy.phone');
    expect(JSON.stringify(bad.body)).toContain('must be one of allow, mask, tokenise, refuse');
    expect((await http('PUT', pii(tenant), { policy: 'mask' })).status).toBe(400);
    expect((await http('PUT', pii(tenant), { policy: { default: 'mask' }, expectedVersion: -1 })).body).toMatchObject({ error: { code: 'INVALID_ARGUMENT', details: { violations: [{ field: 'expectedVersion', rule: expect.any(String) }] } } });
    expect((await http('GET', '/v1/admin/tenants/not-a-uuid/pii-policy')).status).toBe(400);
    expect((await http('GET', pii(tenant), undefined, '')).status).toBe(401);
    expect((await http('GET', pii(tenant), undefined, 'wrong-token-wrong-token')).status).toBe(403);
  });

  it('sets and reads a tenant’s policy; the router applies it to that tenant only, with tokens under its data key', async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    expect((await http('GET', pii(a))).body).toMatchObject({ source: 'installation', version: 0, policy: expect.objectContaining({ email: 'allow' }) });
    const set = await http('PUT', pii(a), { policy: { default: 'mask', email: 'tokenise', person: 'allow', organisation: 'allow' }, expectedVersion: 0 });
    expect(set).toMatchObject({ status: 200, body: { tenantId: a, source: 'tenant', version: 1, stored: { default: 'mask', email: 'tokenise', person: 'allow', organisation: 'allow' } } });
    expect((await http('GET', pii(a))).body).toMatchObject({ version: 1, policy: expect.objectContaining({ email: 'tokenise', phone: 'mask', person: 'allow' }) });
    expect((await http('PUT', pii(a), { policy: { default: 'refuse' }, expectedVersion: 0 })).status).toBe(412); // stale version

    const before = openai.requests.length;
    const resA = await generate(a, `Write to ${EMAIL} or +44 20 7946 0958`);
    const sentA = JSON.stringify(openai.requests[before]?.body);
    expect(sentA).not.toContain(EMAIL);
    expect(sentA).toMatch(/⟦pii:email:[A-Za-z0-9_-]+⟧ or \[PHONE\]/);
    expect(resA.content).toBe(`echo(gpt-wire): Write to ${EMAIL} or [PHONE]`);

    const resB = await generate(b, `Write to ${EMAIL}`);
    expect(resB.content).toBe(`echo(gpt-wire): Write to ${EMAIL}`); // b: installation default (allow)
    expect(JSON.stringify(openai.requests.at(-1)?.body)).toContain(EMAIL);

    expect((await http('PUT', pii(a), { policy: { default: 'mask', iban: 'refuse' }, expectedVersion: 1 })).body).toMatchObject({ version: 2 });
    const refused = await generate(a, 'pay DE89 3704 0044 0532 0130 00').catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'FAILED_PRECONDITION', message: expect.stringContaining('iban (1)') });
    expect(JSON.stringify(openai.requests.at(-1)?.body)).not.toContain('DE89');

    // Without expectedVersion the write is unconditional (the proto3 optional arrives unset, not 0).
    expect((await http('PUT', pii(a), { policy: { default: 'allow' } })).body).toMatchObject({ version: 3, policy: expect.objectContaining({ iban: 'allow' }) });
    // Only the gateway (admin API) and operators may read or set policies: the runner is refused.
    await expect(unary(runner.client.setPiiPolicy({ tenantId: a, policyJson: '{"default":"allow"}' }, tenantMetadata(a)))).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(unary(runner.client.getPiiPolicy({ tenantId: a }, tenantMetadata(a)))).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});
