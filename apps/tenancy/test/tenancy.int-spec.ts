import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { GRPC_SERVICES, tenancy, type policy } from '@weaver/contracts';
import { NotFoundError, UnauthenticatedError, ValidationError } from '@weaver/errors';
import { grpcClient, mutualTlsAs, startServiceForTest, tenantMetadata, unary, type GrpcClientHandle, type RunningService } from '@weaver/service-kit';
import { createTestDatabase, testTlsEnv, type TestDatabase } from '@weaver/testing';
import { DATABASE_SCHEMAS } from '@weaver/migrate';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { firstValueFrom } from 'rxjs';

import { tenancyConfigSchema, type TenancyConfig } from '../src/tenancy.config';
import { TenancyModule } from '../src/tenancy.module';

const grpcStatusOf = async (call: Promise<unknown>): Promise<number> => {
  try {
    await call;
  } catch (error) {
    return (error as ServiceError).code;
  }
  throw new Error('expected the call to fail');
};

describe('tenancy service over real gRPC and PostgreSQL', () => {
  let db: TestDatabase & ServiceUrls;
  let svc: RunningService<TenancyConfig>;
  let grpc: GrpcClientHandle<tenancy.TenancyServiceClient>;
  let client: tenancy.TenancyServiceClient;

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), DATABASE_SCHEMAS);
    svc = await startServiceForTest({
      service: 'tenancy',
      module: TenancyModule,
      configSchema: tenancyConfigSchema,
      grpc: [GRPC_SERVICES.tenancy, GRPC_SERVICES.policy],
      env: { DATABASE_URL: db.urlOf('tenancy'), DATABASE_POOL_SIZE: '3', QUOTA_DEFAULT_CONCURRENT_RUNS: '7', QUOTA_DEFAULT_BUDGET_USD: '5', ...testTlsEnv('tenancy') },
    });
    // Over mutual TLS as the gateway (its only real caller: resolves keys, creates tenants).
    grpc = grpcClient<tenancy.TenancyServiceClient>(GRPC_SERVICES.tenancy, svc.grpcUrl!, mutualTlsAs('gateway', testTlsEnv('gateway')));
    client = grpc.client;
  });

  afterAll(async () => {
    grpc?.close();
    await svc?.close();
    await db?.drop();
  });

  it('refuses to start as the superuser (the owner URL) or with DATABASE_OWNER_URL set, naming the rule', async () => {
    const start = (env: Record<string, string>) => startServiceForTest({ service: 'tenancy', module: TenancyModule, configSchema: tenancyConfigSchema, env: { DATABASE_POOL_SIZE: '1', ...testTlsEnv('tenancy'), ...env } });
    await expect(start({ DATABASE_URL: db.ownerUrl })).rejects.toThrow('refusing to serve as database role "postgres": rule "superuser"');
    await expect(start({ DATABASE_URL: db.urlOf('tenancy'), DATABASE_OWNER_URL: db.ownerUrl })).rejects.toThrow('DATABASE_OWNER_URL: must not be set: services never hold the owner URL');
  });

  it('started as its own role after the migrate step, and reports ready with its database', async () => {
    const res = await fetch(`${svc.httpUrl}/health/ready`);
    expect(await res.json()).toEqual({ status: 'ready', failing: [] });
  });

  it('creates two tenants whose keys resolve each to its own tenant', async () => {
    const a = await unary(client.createTenant({ name: 'Acme' }));
    const b = await unary(client.createTenant({ name: 'Globex', tier: tenancy.TenantTier.TENANT_TIER_ISOLATED }));
    expect(a.tenant).toMatchObject({ name: 'Acme', tier: tenancy.TenantTier.TENANT_TIER_STANDARD });
    expect(a.apiKey).toMatch(/^wv_[0-9A-Za-z]{32}$/);
    expect(await unary(client.resolveApiKey({ apiKey: a.apiKey }))).toEqual({ tenantId: a.tenant!.tenantId, keyId: a.keyId, roles: ['runner'] });
    expect(await unary(client.resolveApiKey({ apiKey: b.apiKey }))).toEqual({ tenantId: b.tenant!.tenantId, keyId: b.keyId, roles: ['runner'] });
    const got = await unary(client.getTenant({ tenantId: '' }, tenantMetadata(b.tenant!.tenantId)));
    expect(got.tenant).toEqual(b.tenant);
    expect(got.tenant!.createdAtMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it("isolates tenants: B cannot revoke A's key, and A's key keeps working", async () => {
    const a = await unary(client.createTenant({ name: 'A' }));
    const b = await unary(client.createTenant({ name: 'B' }));
    await expect(unary(client.revokeApiKey({ tenantId: '', keyId: a.keyId }, tenantMetadata(b.tenant!.tenantId)))).rejects.toBeInstanceOf(NotFoundError);
    expect((await unary(client.resolveApiKey({ apiKey: a.apiKey }))).tenantId).toBe(a.tenant!.tenantId);
  });

  it('acts for the tenant of the call context: a request tenant_id naming another tenant is ignored', async () => {
    const a = await unary(client.createTenant({ name: 'Context' }));
    const b = await unary(client.createTenant({ name: 'Victim' }));
    // The request names B, the authenticated context A: the key is A's.
    const key = await unary(client.createApiKey({ tenantId: b.tenant!.tenantId, name: 'sneaky', roles: [] }, tenantMetadata(a.tenant!.tenantId)));
    expect((await unary(client.resolveApiKey({ apiKey: key.apiKey }))).tenantId).toBe(a.tenant!.tenantId);
    // Revoking B's key "as B" from A's context finds nothing.
    await expect(unary(client.revokeApiKey({ tenantId: b.tenant!.tenantId, keyId: b.keyId }, tenantMetadata(a.tenant!.tenantId)))).rejects.toBeInstanceOf(NotFoundError);
    expect((await unary(client.resolveApiKey({ apiKey: b.apiKey }))).tenantId).toBe(b.tenant!.tenantId);
  });

  it('answers UNAUTHENTICATED for a revoked key (even one cached a moment ago) and for unknown keys', async () => {
    const a = await unary(client.createTenant({ name: 'Rotating' }));
    const second = await unary(client.createApiKey({ tenantId: '', name: 'ci', roles: [] }, tenantMetadata(a.tenant!.tenantId)));
    expect((await unary(client.resolveApiKey({ apiKey: a.apiKey }))).keyId).toBe(a.keyId);
    await unary(client.revokeApiKey({ tenantId: '', keyId: a.keyId }, tenantMetadata(a.tenant!.tenantId)));
    expect(await grpcStatusOf(firstValueFrom(client.resolveApiKey({ apiKey: a.apiKey })))).toBe(GrpcStatus.UNAUTHENTICATED);
    await expect(unary(client.resolveApiKey({ apiKey: a.apiKey }))).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(await unary(client.resolveApiKey({ apiKey: second.apiKey }))).toEqual({ tenantId: a.tenant!.tenantId, keyId: second.keyId, roles: ['runner'] });
    expect(await grpcStatusOf(firstValueFrom(client.resolveApiKey({ apiKey: `wv_${'z'.repeat(32)}` })))).toBe(GrpcStatus.UNAUTHENTICATED);
  });

  it('names the field and rule for bad input, and 404s an unknown tenant', async () => {
    const bad = unary(client.createTenant({ name: '' }));
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    await expect(bad).rejects.toThrow('name: must be 1-200 characters');
    expect(await grpcStatusOf(firstValueFrom(client.getTenant({ tenantId: '' }, tenantMetadata('nope'))))).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(await grpcStatusOf(firstValueFrom(client.getTenant({ tenantId: '' }, tenantMetadata('00000000-0000-4000-8000-000000000000'))))).toBe(GrpcStatus.NOT_FOUND);
  });

  it('answers default quotas for a tenant without its own, sets and resets them per tenant', async () => {
    const a = (await unary(client.createTenant({ name: 'Quota A' }))).tenant!.tenantId;
    const b = (await unary(client.createTenant({ name: 'Quota B' }))).tenant!.tenantId;
    const defaults = await unary(client.getQuotas({ tenantId: a }, tenantMetadata(a)));
    expect(defaults.quotas).toEqual({ runsPerSecond: 50, runBurst: 100, concurrentRuns: 7, tokensPerDay: 10_000_000, storedBytes: 10 * 1024 ** 3, budgetUsd: 5 });
    expect(Object.values(defaults.overrides ?? {}).filter((v) => v !== undefined)).toEqual([]);

    const set = await unary(client.setQuotas({ tenantId: a, set: { concurrentRuns: 2, budgetUsd: 1.5 }, reset: [] }, tenantMetadata(a)));
    expect(set.quotas).toMatchObject({ concurrentRuns: 2, budgetUsd: 1.5, runsPerSecond: 50 });
    expect(set.overrides).toMatchObject({ concurrentRuns: 2, budgetUsd: 1.5 });
    // Another set leaves untouched fields alone; a reset goes back to the default.
    const more = await unary(client.setQuotas({ tenantId: a, set: { runsPerSecond: 0.5 }, reset: ['budget_usd'] }, tenantMetadata(a)));
    expect(more.quotas).toMatchObject({ concurrentRuns: 2, runsPerSecond: 0.5, budgetUsd: 5 });
    expect((await unary(client.getQuotas({ tenantId: b }, tenantMetadata(b)))).quotas).toMatchObject({ concurrentRuns: 7, runsPerSecond: 50 });

    const bad = unary(client.setQuotas({ tenantId: a, set: { concurrentRuns: -1, runBurst: 0 }, reset: ['nope'] }, tenantMetadata(a)));
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    await expect(bad).rejects.toThrow('set.run_burst: must be an integer from 1 to 1000000; set.concurrent_runs: must be an integer from 0 to 10000000; reset[0]: is not a quota');
    expect(await grpcStatusOf(firstValueFrom(client.getQuotas({ tenantId: '' }, tenantMetadata('00000000-0000-4000-8000-000000000000'))))).toBe(GrpcStatus.NOT_FOUND);
  });

  it('serves PolicyService: validated, versioned per tenant, unchanged sets answered by version alone', async () => {
    const policies = grpcClient<policy.PolicyServiceClient>(GRPC_SERVICES.policy, svc.grpcUrl!, mutualTlsAs('gateway', testTlsEnv('gateway')));
    const runner = grpcClient<policy.PolicyServiceClient>(GRPC_SERVICES.policy, svc.grpcUrl!, mutualTlsAs('agent-runner', testTlsEnv('agent-runner')));
    try {
      const a = (await unary(client.createTenant({ name: 'Policied' }))).tenant!.tenantId;
      const b = (await unary(client.createTenant({ name: 'Other' }))).tenant!.tenantId;
      const text = 'forbid (principal, action == Weaver::Action::"result.read", resource)\nwhen { resource.level >= 2 };';
      const bad = await unary(policies.client.putPolicy({ tenantId: a, policyId: 'p', text: text.replace('level', 'levl'), description: '' }, tenantMetadata(a))).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(ValidationError);
      expect((bad as ValidationError).violations[0]).toMatchObject({ field: 'text:2:8', rule: expect.stringContaining('levl') });
      expect(await unary(policies.client.putPolicy({ tenantId: b, policyId: 'p', text, description: 'no confidential results' }, tenantMetadata(a)))).toEqual({ version: 1 });
      // The tenant is the call's (metadata), never the request's tenant_id: B has nothing.
      expect(await unary(policies.client.listPolicies({ tenantId: a }, tenantMetadata(b)))).toEqual({ version: 0, policies: [] });
      const set = await unary(runner.client.getPolicySet({ tenantId: a, knownVersion: 0 }, tenantMetadata(a)));
      expect(set).toMatchObject({ version: 1, unchanged: false, policies: [expect.objectContaining({ policyId: 'p', text, description: 'no confidential results' })] });
      expect(await unary(runner.client.getPolicySet({ tenantId: a, knownVersion: 1 }, tenantMetadata(a)))).toEqual({ version: 1, unchanged: true, policies: [] });
      // Enforcing services read sets; they never change them.
      expect(await grpcStatusOf(firstValueFrom(runner.client.deletePolicy({ tenantId: a, policyId: 'p' }, tenantMetadata(a))))).toBe(GrpcStatus.PERMISSION_DENIED);
      expect(await unary(policies.client.deletePolicy({ tenantId: a, policyId: 'p' }, tenantMetadata(a)))).toEqual({ version: 2 });
      expect((await unary(policies.client.validatePolicy({ text: 'permit (principal, action, resource) when { resource.nope };' }))).violations).toEqual([
        expect.objectContaining({ line: 1, column: 45, message: expect.stringContaining('nope') }),
      ]);
    } finally {
      policies.close();
      runner.close();
    }
  });

  it('issues keys with roles for access policies (default runner)', async () => {
    const t = await unary(client.createTenant({ name: 'Roles' }));
    const reader = await unary(client.createApiKey({ tenantId: '', name: 'dashboard', roles: ['reader'] }, tenantMetadata(t.tenant!.tenantId)));
    expect(await unary(client.resolveApiKey({ apiKey: reader.apiKey }))).toEqual({ tenantId: t.tenant!.tenantId, keyId: reader.keyId, roles: ['reader'] });
    await expect(unary(client.createApiKey({ tenantId: '', name: 'x', roles: ['Admin!'] }, tenantMetadata(t.tenant!.tenantId)))).rejects.toBeInstanceOf(ValidationError);
  });
});
