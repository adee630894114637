import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { GRPC_SERVICES, tenancy } from '@weaver/contracts';
import { DeadlineExceededError, NotFoundError } from '@weaver/errors';
import { testTlsEnv } from '@weaver/testing';
import { firstValueFrom } from 'rxjs';
import {
  type GrpcClientHandle,
  type RunningService,
  type ServiceConfig,
  apiKeyMetadata,
  grpcClient,
  mutualTlsAs,
  serviceConfigSchema,
  startServiceForTest,
  tenantMetadata,
  unary,
} from '../src';
import { STUB_TENANT, TenancyStubGrpcController, TenancyStubModule } from './fixtures/tenancy-stub.module';

const GHOST = '0e8f6c1e-4d8b-4c1e-9a51-7f6f3b7a1999';
import { TenantLookupModule, tenantLookupConfigSchema } from './fixtures/tenant-lookup.module';

describe('service-kit: a real HTTP + gRPC service in-process', () => {
  let svc: RunningService<ServiceConfig>;
  let client: GrpcClientHandle<tenancy.TenancyServiceClient>;
  let kafkaUp = true;

  beforeAll(async () => {
    svc = await startServiceForTest({
      service: 'tenancy-stub',
      identity: 'tenancy',
      module: TenancyStubModule,
      configSchema: serviceConfigSchema,
      grpc: [GRPC_SERVICES.tenancy],
      env: testTlsEnv('tenancy'),
    });
    svc.readiness.register('kafka', () => kafkaUp);
    // Over mutual TLS as the gateway, which the access rules let call TenancyService.
    client = grpcClient<tenancy.TenancyServiceClient>(GRPC_SERVICES.tenancy, svc.grpcUrl!, mutualTlsAs('gateway', testTlsEnv('gateway')));
  });

  afterAll(async () => {
    client?.close();
    await svc?.close();
  });

  it('answers /health/live', async () => {
    const res = await fetch(`${svc.httpUrl}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'live' });
  });

  it('answers /health/ready 200, then 503 naming the failing check', async () => {
    kafkaUp = true;
    const ok = await fetch(`${svc.httpUrl}/health/ready`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ready', failing: [] });

    kafkaUp = false;
    const down = await fetch(`${svc.httpUrl}/health/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'not_ready', failing: ['kafka'] });
    kafkaUp = true;
  });

  it('maps a WeaverError to HTTP 404 JSON without a stack', async () => {
    const res = await fetch(`${svc.httpUrl}/things/t-404`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'thing t-404 not found', details: { resource: 'thing', id: 't-404' }, correlationId: expect.any(String) },
    });
  });

  it('hides an unexpected error behind a 500 "internal error"', async () => {
    const res = await fetch(`${svc.httpUrl}/things/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'internal error', details: {}, correlationId: expect.any(String) } });
    expect(text).not.toContain('hunter2');
  });

  it('answers an unknown route with the same JSON error shape', async () => {
    const res = await fetch(`${svc.httpUrl}/no/such/route`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('serves a gRPC call with ts-proto types: enums as names, int64 as numbers, metadata readable', async () => {
    const res = await unary(client.client.getTenant({ tenantId: '' }, tenantMetadata(STUB_TENANT, apiKeyMetadata('k-123'))));
    expect(res.tenant).toEqual({
      tenantId: STUB_TENANT,
      name: 'called with key k-123',
      tier: tenancy.TenantTier.TENANT_TIER_ISOLATED,
      createdAtMs: 1_767_225_600_123,
      state: tenancy.TenantState.TENANT_STATE_ACTIVE,
      stateChangedAtMs: 1_767_225_600_123,
    });
  });

  it('maps a WeaverError to gRPC NOT_FOUND, and back to NotFoundError on the client', async () => {
    const raw = await firstValueFrom(client.client.getTenant({ tenantId: '' }, tenantMetadata(GHOST))).catch((e: ServiceError) => e);
    expect(raw).toMatchObject({ code: GrpcStatus.NOT_FOUND, details: `tenant ${GHOST} not found` });

    const mapped = await unary(client.client.getTenant({ tenantId: '' }, tenantMetadata(GHOST))).catch((e: unknown) => e);
    expect(mapped).toBeInstanceOf(NotFoundError);
    expect(mapped).toMatchObject({ message: `tenant ${GHOST} not found`, details: { resource: 'tenant', id: GHOST } });
  });

  it('puts a deadline on unary calls', async () => {
    const short = grpcClient<tenancy.TenancyServiceClient>(GRPC_SERVICES.tenancy, svc.grpcUrl!, mutualTlsAs('gateway', testTlsEnv('gateway')), { deadlineMs: 100 });
    try {
      const err = await unary(short.client.resolveApiKey({ apiKey: 'k' })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeadlineExceededError);
    } finally {
      short.close();
      for (const release of svc.app.get(TenancyStubGrpcController).waiting.splice(0)) release({ tenantId: '', keyId: '', roles: [] });
    }
  });

  it('exposes Prometheus metrics for HTTP routes and gRPC calls', async () => {
    const okCalls = /grpc_server_calls_total\{[^}]*method="\/weaver.tenancy.v1.TenancyService\/GetTenant",code="OK"[^}]*\} (\d+)/;
    const notFoundCalls = /grpc_server_calls_total\{[^}]*method="\/weaver.tenancy.v1.TenancyService\/GetTenant",code="NOT_FOUND"[^}]*\} (\d+)/;
    const thingRequests = /http_request_duration_seconds_count\{[^}]*method="GET",route="\/things\/:id",status="404"[^}]*\} (\d+)/;
    const before = await metricsText();

    await fetch(`${svc.httpUrl}/things/t-1`);
    await unary(client.client.getTenant({ tenantId: '' }, tenantMetadata(STUB_TENANT)));
    await unary(client.client.getTenant({ tenantId: '' }, tenantMetadata(GHOST))).catch(() => undefined);

    const res = await fetch(`${svc.httpUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const after = await res.text();
    expect(sample(after, thingRequests) - sample(before, thingRequests)).toBe(1);
    expect(sample(after, okCalls) - sample(before, okCalls)).toBe(1);
    expect(sample(after, notFoundCalls) - sample(before, notFoundCalls)).toBe(1);
    expect(after).toMatch(/grpc_server_call_duration_seconds_count\{[^}]*GetTenant",code="OK"/);
    expect(after).toContain('service="tenancy-stub"');
  });

  it('injects a typed client of another service; its error crosses gRPC and HTTP intact', async () => {
    const lookup = await startServiceForTest({
      service: 'tenant-lookup',
      identity: 'gateway',
      module: TenantLookupModule,
      configSchema: tenantLookupConfigSchema,
      env: { TENANCY_GRPC_URL: svc.grpcUrl, ...testTlsEnv('gateway') },
    });
    try {
      const found = await fetch(`${lookup.httpUrl}/tenants/${STUB_TENANT}`);
      expect(found.status).toBe(200);
      expect(await found.json()).toMatchObject({ tenantId: STUB_TENANT, name: 'called with key k-lookup' });

      const missing = await fetch(`${lookup.httpUrl}/tenants/${GHOST}`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({
        error: { code: 'NOT_FOUND', message: `tenant ${GHOST} not found`, details: { resource: 'tenant', id: GHOST }, correlationId: expect.any(String) },
      });
    } finally {
      await lookup.close();
    }
  });

  async function metricsText(): Promise<string> {
    return (await fetch(`${svc.httpUrl}/metrics`)).text();
  }
});

/** The value of the first sample matching `pattern` (its group 1), 0 when absent. */
function sample(text: string, pattern: RegExp): number {
  return Number(pattern.exec(text)?.[1] ?? 0);
}
