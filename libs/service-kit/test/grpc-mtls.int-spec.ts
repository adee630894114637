import { type ChannelCredentials, type Client, credentials, loadPackageDefinition, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { GRPC_SERVICES, PROTO_ROOT, type tenancy } from '@weaver/contracts';
import { PermissionDeniedError, UnavailableError, ValidationError } from '@weaver/errors';
import { foreignCertificates, testTlsEnv } from '@weaver/testing';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GRPC_LOADER_OPTIONS,
  type GrpcSecurity,
  type RunningService,
  type ServiceConfig,
  grpcClient,
  mutualTlsAs,
  serviceConfigSchema,
  startServiceForTest,
  tenantMetadata,
  unary,
} from '../src';
import { STUB_TENANT, TenancyStubModule } from './fixtures/tenancy-stub.module';

const OTHER_TENANT = '0e8f6c1e-4d8b-4c1e-9a51-7f6f3b7a1002';
type RawTenancy = Client & { getTenant(req: object, md: Metadata, cb: (err: ServiceError | null, res?: tenancy.GetTenantResponse) => void): void };

/**
 * Mutual TLS and the access rules against a real gRPC server (the tenancy stub, serving as
 * `tenancy`): who gets in, who is refused with which status, and where the tenant comes from.
 */
describe('gRPC service identity: mutual TLS and per-method access rules', () => {
  let svc: RunningService<ServiceConfig>;
  const foreign = foreignCertificates(mkdtempSync(join(tmpdir(), 'weaver-foreign-ca-')));
  const clients: Array<{ close(): void }> = [];

  beforeAll(async () => {
    svc = await startTenancyStub(testTlsEnv('tenancy'));
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await svc?.close();
  });

  const clientAs = (security: GrpcSecurity, url = svc.grpcUrl!) => {
    const handle = grpcClient<tenancy.TenancyServiceClient>(GRPC_SERVICES.tenancy, url, security, { deadlineMs: 5_000 });
    clients.push(handle);
    return handle.client;
  };
  const getTenantAs = (security: GrpcSecurity, requestTenant = '') =>
    unary(clientAs(security).getTenant({ tenantId: requestTenant }, tenantMetadata(STUB_TENANT)));

  it('lets an allowed service call (the gateway may call GetTenant)', async () => {
    const res = await getTenantAs(mutualTlsAs('gateway', testTlsEnv('gateway')));
    expect(res.tenant?.tenantId).toBe(STUB_TENANT);
  });

  it('takes the tenant from the authenticated call context: a request field naming another tenant has no effect', async () => {
    const res = await getTenantAs(mutualTlsAs('operator', testTlsEnv('operator')), OTHER_TENANT);
    expect(res.tenant?.tenantId).toBe(STUB_TENANT);
  });

  it('refuses a service the rule does not list with PERMISSION_DENIED naming caller and method', async () => {
    const err = await getTenantAs(mutualTlsAs('router', testTlsEnv('router'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err).toMatchObject({ message: 'router may not call /weaver.tenancy.v1.TenancyService/GetTenant' });
  });

  it('refuses a tenant-scoped call without a tenant in the metadata (INVALID_ARGUMENT naming the entry)', async () => {
    const err = await unary(clientAs(mutualTlsAs('gateway', testTlsEnv('gateway'))).getTenant({ tenantId: STUB_TENANT })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).violations).toEqual([{ field: 'metadata.weaver-tenant-id', rule: 'must be one tenant id (UUID), set by the calling service' }]);
  });

  it('answers a TLS client without a certificate with UNAUTHENTICATED', async () => {
    const err = await rawGetTenant(credentials.createSsl(readFileSync(testTlsEnv('gateway').GRPC_TLS_CA_FILE)));
    expect(err).toMatchObject({ code: status.UNAUTHENTICATED, details: expect.stringContaining('needs a client certificate signed by the Weaver CA') });
  });

  it('answers a client certificate from another CA with UNAUTHENTICATED (same identity name, wrong issuer)', async () => {
    const impostor = foreign.env('gateway');
    const creds = credentials.createSsl(readFileSync(testTlsEnv('gateway').GRPC_TLS_CA_FILE), readFileSync(impostor.GRPC_TLS_KEY_FILE), readFileSync(impostor.GRPC_TLS_CERT_FILE));
    expect(await rawGetTenant(creds)).toMatchObject({ code: status.UNAUTHENTICATED });
  });

  it('never speaks plaintext: an insecure client cannot connect (UNAVAILABLE)', async () => {
    expect(await rawGetTenant(credentials.createInsecure())).toMatchObject({ code: status.UNAVAILABLE });
  });

  it('refuses a server whose certificate is from another CA (the client fails the handshake)', async () => {
    const fake = await startTenancyStub(foreign.env('tenancy'), 'tenancy');
    try {
      const err = await unary(clientAs(mutualTlsAs('gateway', testTlsEnv('gateway')), fake.grpcUrl!).getTenant({ tenantId: '' }, tenantMetadata(STUB_TENANT))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnavailableError);
    } finally {
      await fake.close();
    }
  });

  it('refuses a server that is another service of the same CA (router posing as tenancy)', async () => {
    const fake = await startTenancyStub(testTlsEnv('router'), 'router');
    try {
      const err = await unary(clientAs(mutualTlsAs('gateway', testTlsEnv('gateway')), fake.grpcUrl!).getTenant({ tenantId: '' }, tenantMetadata(STUB_TENANT))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnavailableError);
      expect((err as Error).message).toContain('expected the server spiffe://weaver/tenancy, it presented spiffe://weaver/router');
    } finally {
      await fake.close();
    }
  });

  it('counts refused calls by method and status', async () => {
    await getTenantAs(mutualTlsAs('publisher', testTlsEnv('publisher'))).catch(() => undefined);
    const text = await (await fetch(`${svc.httpUrl}/metrics`)).text();
    expect(text).toMatch(/grpc_server_denied_total\{[^}]*method="\/weaver.tenancy.v1.TenancyService\/GetTenant",code="PERMISSION_DENIED"[^}]*\} [1-9]/);
  });

  /** A call through a raw grpc-js client with hand-made credentials (what a stranger would use). */
  function rawGetTenant(creds: ChannelCredentials): Promise<ServiceError | undefined> {
    const definition = loadSync(join(PROTO_ROOT, GRPC_SERVICES.tenancy.protoFile), GRPC_LOADER_OPTIONS);
    const pkg = loadPackageDefinition(definition) as unknown as { weaver: { tenancy: { v1: { TenancyService: new (url: string, c: ChannelCredentials, o: object) => RawTenancy } } } };
    const client = new pkg.weaver.tenancy.v1.TenancyService(svc.grpcUrl!, creds, { 'grpc.ssl_target_name_override': 'tenancy' });
    clients.push(client);
    return new Promise((resolve) => {
      client.getTenant({ tenantId: '' }, tenantMetadata(STUB_TENANT), (err) => resolve(err ?? undefined));
    });
  }
});

function startTenancyStub(tls: Record<string, string>, identity: 'tenancy' | 'router' = 'tenancy'): Promise<RunningService<ServiceConfig>> {
  return startServiceForTest({ service: 'tenancy-stub', identity, module: TenancyStubModule, configSchema: serviceConfigSchema, grpc: [GRPC_SERVICES.tenancy], env: tls });
}
