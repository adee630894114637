import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as GrpcStatus, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GRPC_SERVICES, publisher, type tenancy } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import { freePort, grpcClient, mutualTlsAs, startServiceForTest, tenantMetadata, unary, type GrpcClientHandle, type RunningService } from '@weaver/service-kit';
import { createTestDatabase, testTlsEnv, type TestDatabase } from '@weaver/testing';
import { DATABASE_SCHEMAS } from '@weaver/migrate';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { generateCapabilityKey } from '@weaver/publisher-core';
import { Client } from 'pg';
import { firstValueFrom } from 'rxjs';

// eslint-disable-next-line @nx/enforce-module-boundaries -- the S3Proxy launcher is a dev tool (tools/), like the global setup's
import { startS3Proxy, type RunningS3Proxy } from '../../../tools/s3proxy/src/s3proxy';
import { publisherConfigSchema, type PublisherConfig } from '../src/publisher.config';
import { PublisherModule } from '../src/publisher.module';
// The real tenancy service: the publisher reads tenants' stored_bytes quota from it (GetQuotas over mutual TLS).
// eslint-disable-next-line @nx/enforce-module-boundaries -- another app's module, started as that service for this test
import { tenancyConfigSchema, type TenancyConfig } from '../../tenancy/src/tenancy.config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { TenancyModule } from '../../tenancy/src/tenancy.module';

const KEY = generateCapabilityKey('int-1');
const KEY_ENV = { CAPABILITY_SIGNING_KEY: JSON.stringify(KEY.signing), CAPABILITY_VERIFY_KEYS: JSON.stringify({ keys: [KEY.public] }) };

const grpcStatusOf = async (call: Promise<unknown>): Promise<number> => {
  try {
    await call;
  } catch (error) {
    return (error as ServiceError).code;
  }
  throw new Error('expected the call to fail');
};

interface Harness {
  db: TestDatabase & ServiceUrls;
  svc: RunningService<PublisherConfig>;
  grpc: GrpcClientHandle<publisher.PublisherServiceClient>;
  tenancySvc: RunningService<TenancyConfig>;
  /** Tenancy as an operator (tenants, quotas). */
  tenancy: GrpcClientHandle<tenancy.TenancyServiceClient>;
  /** A tenant that exists in tenancy (GetQuotas answers NOT_FOUND for others, and so does a put). */
  newTenant(): Promise<string>;
}

async function startPublisher(env: Record<string, string>): Promise<Harness> {
  // Every schema, keys included (the data keys the objects are sealed with).
  const db = await migrateTestDatabase(await createTestDatabase(), DATABASE_SCHEMAS);
  const keyring = join(mkdtempSync(join(tmpdir(), 'weaver-publisher-keys-')), 'keyring.json');
  const tenancySvc = await startServiceForTest({
    service: 'tenancy',
    module: TenancyModule,
    configSchema: tenancyConfigSchema,
    grpc: [GRPC_SERVICES.tenancy],
    env: { DATABASE_URL: db.urlOf('tenancy'), DATABASE_POOL_SIZE: '2', ...testTlsEnv('tenancy') },
  });
  const tenancyClient = grpcClient<tenancy.TenancyServiceClient>(GRPC_SERVICES.tenancy, tenancySvc.grpcUrl!, mutualTlsAs('operator', testTlsEnv('operator')));
  const svc = await startServiceForTest({
    service: 'publisher',
    module: PublisherModule,
    configSchema: publisherConfigSchema,
    grpc: [GRPC_SERVICES.publisher],
    env: {
      DATABASE_URL: db.urlOf('publisher'),
      DATABASE_POOL_SIZE: '3',
      ...KEY_ENV,
      WEAVER_KMS_KEYRING_FILE: keyring,
      TENANCY_URL: tenancySvc.grpcUrl!,
      QUOTA_CACHE_TTL_MS: '0',
      ...testTlsEnv('publisher'),
      ...env,
    },
  });
  const runner = mutualTlsAs('agent-runner', testTlsEnv('agent-runner'));
  const newTenant = async () => (await unary(tenancyClient.client.createTenant({ name: `t-${randomUUID().slice(0, 8)}` }))).tenant!.tenantId;
  return { db, svc, grpc: forRequestTenant(grpcClient<publisher.PublisherServiceClient>(GRPC_SERVICES.publisher, svc.grpcUrl!, runner)), tenancySvc, tenancy: tenancyClient, newTenant };
}

/**
 * The client as the agent runner uses it: each call acts for the tenant its request names,
 * sent as the call's tenant context (metadata, which the server trusts; the field it ignores).
 */
function forRequestTenant<T extends object>(handle: GrpcClientHandle<T>): GrpcClientHandle<T> {
  const client = new Proxy(handle.client, {
    get: (target, prop) => {
      const f: unknown = Reflect.get(target, prop);
      if (typeof f !== 'function') return f;
      return (req: { tenantId?: string }, md?: Metadata) => f.call(target, req, md ?? tenantMetadata(req.tenantId ?? ''));
    },
  });
  return { client, close: handle.close };
}


async function stopPublisher(h: Harness | undefined): Promise<void> {
  h?.grpc.close();
  await h?.svc.close();
  h?.tenancy.close();
  await h?.tenancySvc.close();
  await h?.db.drop();
}

/** Rows as the superuser sees them: the count RLS cannot hide. */
async function resultRows(db: TestDatabase & ServiceUrls): Promise<number> {
  const client = new Client({ connectionString: db.ownerUrl });
  await client.connect();
  try {
    return Number((await client.query('SELECT count(*)::int AS n FROM publisher.results')).rows[0].n);
  } finally {
    await client.end();
  }
}

describe('publisher service over real gRPC, filesystem store', () => {
  const root = mkdtempSync(join(tmpdir(), 'weaver-publisher-app-'));
  let h: Harness;
  let tenant: string;

  beforeAll(async () => {
    h = await startPublisher({ RESULT_STORE: 'filesystem', RESULT_STORE_ROOT: root });
    tenant = await h.newTenant();
  });
  afterAll(async () => {
    await stopPublisher(h);
    rmSync(root, { recursive: true, force: true });
  });

  it('puts and gets a result end to end, idempotently', async () => {
    const c = h.grpc.client;
    const put = { tenantId: tenant, runId: 'run-1', step: 'summary', contentType: 'application/json', data: Buffer.from('{"ok":true}'), classification: ['internal'], subjectId: '' };
    const first = await unary(c.putResult(put));
    expect(first.created).toBe(true);
    expect(first.ref).toMatchObject({ uri: `weaver://results/${tenant}/run-1/summary`, sizeBytes: 11, contentType: 'application/json' });
    const second = await unary(c.putResult({ ...put, data: Buffer.from('{"ok":"retry"}') }));
    expect(second.created).toBe(false);
    expect(second.ref!.sha256).toBe(first.ref!.sha256);
    // The repeated put gets the stored result's metadata, never a (new) token for it.
    expect(second.ref!.capabilityToken).toBe('');
    await expect(unary(c.getResult({ tenantId: tenant, uri: first.ref!.uri, capabilityToken: second.ref!.capabilityToken }))).rejects.toThrow('capability token is missing or malformed');
    expect(readdirSync(join(root, `tenants/${tenant}/runs/run-1`))).toEqual(['summary']);
    // On disk the object is sealed (encryption is on by default); the row's sha256/size describe the plaintext.
    expect(readFileSync(join(root, `tenants/${tenant}/runs/run-1/summary`)).includes('"ok":true')).toBe(false);
    expect(await resultRows(h.db)).toBe(1);

    const got = await unary(c.getResult({ tenantId: tenant, uri: first.ref!.uri, capabilityToken: first.ref!.capabilityToken }));
    expect(Buffer.from(got.data).toString()).toBe('{"ok":true}');
    expect(got.contentType).toBe('application/json');
  });

  it('refuses a put past the tenant\'s stored_bytes quota (from tenancy) with RESOURCE_EXHAUSTED naming it', async () => {
    const small = await h.newTenant();
    await unary(h.tenancy.client.setQuotas({ tenantId: small, set: { storedBytes: 20 }, reset: [] }, tenantMetadata(small)));
    const put = (step: string) => unary(h.grpc.client.putResult({ tenantId: small, runId: 'run-q', step, contentType: 'application/json', data: Buffer.from('{"ok":true}'), classification: [], subjectId: '' }));
    await expect(put('a')).resolves.toMatchObject({ created: true });
    const refused = await put('b').catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'RESOURCE_EXHAUSTED', message: expect.stringMatching(/^quota stored_bytes exceeded: .* stores 11 bytes of results, this one has 11 \(limit 20\)/), details: expect.objectContaining({ quota: 'stored_bytes', limit: 20 }) });
    expect(readdirSync(join(root, `tenants/${small}/runs/run-q`))).toEqual(['a']);
    // An unknown tenant cannot store anything.
    await expect(unary(h.grpc.client.putResult({ tenantId: randomUUID(), runId: 'r', step: 's', contentType: 'text/plain', data: Buffer.from('x'), classification: [], subjectId: '' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers PERMISSION_DENIED for another tenant or a forged token, INVALID_ARGUMENT for bad input', async () => {
    const c = h.grpc.client;
    const { ref } = await unary(c.putResult({ tenantId: tenant, runId: 'run-2', step: 's', contentType: 'text/plain', data: Buffer.from('secret'), classification: [], subjectId: '' }));
    const other = randomUUID();
    expect(await grpcStatusOf(firstValueFrom(c.getResult({ tenantId: other, uri: ref!.uri, capabilityToken: ref!.capabilityToken })))).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(await grpcStatusOf(firstValueFrom(c.getResult({ tenantId: tenant, uri: ref!.uri, capabilityToken: 'v1.99999999999.forged' })))).toBe(GrpcStatus.PERMISSION_DENIED);
    const bad = unary(c.putResult({ tenantId: tenant, runId: 'run 3', step: 's', contentType: 'text/plain', data: Buffer.from('x'), classification: [], subjectId: '' }));
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    await expect(bad).rejects.toThrow(/run_id: must be 1-128 characters/);
  });
});

describe('publisher service over real gRPC, S3 store on a real S3-compatible server (S3Proxy)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'weaver-s3proxy-'));
  const bucket = `weaver-test-${randomUUID().slice(0, 8)}`;
  let proxy: RunningS3Proxy | undefined;
  let s3: { endpoint: string; accessKeyId: string; secretAccessKey: string };
  let h: Harness;
  let tenant: string;

  beforeAll(async () => {
    // A shared proxy from the global setup if there is one, else our own for this file.
    const shared = process.env['WEAVER_TEST_S3_ENDPOINT'];
    if (shared !== undefined && shared !== '') {
      s3 = { endpoint: shared, accessKeyId: process.env['WEAVER_TEST_S3_ACCESS_KEY_ID'] ?? 'weaver', secretAccessKey: process.env['WEAVER_TEST_S3_SECRET_ACCESS_KEY'] ?? 'weaver-secret' };
    } else {
      proxy = await startS3Proxy({ port: await freePort(), dataDir, backend: 'filesystem' });
      s3 = proxy;
    }
    h = await startPublisher({
      RESULT_STORE: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_CREATE_BUCKET: 'true',
    });
    tenant = await h.newTenant();
  });
  afterAll(async () => {
    await stopPublisher(h);
    await proxy?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores one object per (tenant, run, step) under tenants/<t>/runs/<r>/<s> and reads it back', async () => {
    const c = h.grpc.client;
    const data = Buffer.from('x'.repeat(100_000));
    const put = { tenantId: tenant, runId: 'run-s3', step: 'report', contentType: 'text/plain', data, classification: [], subjectId: '' };
    const first = await unary(c.putResult(put));
    const again = await unary(c.putResult({ ...put, data: Buffer.from('different') }));
    expect([first.created, again.created]).toEqual([true, false]);

    const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3 });
    try {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `tenants/${tenant}/` }));
      expect((listed.Contents ?? []).map((o) => o.Key)).toEqual([`tenants/${tenant}/runs/run-s3/report`]);
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `tenants/${tenant}/runs/run-s3/report` }));
      // Sealed under the tenant's data key (deflated first: it is large), never the plaintext.
      const stored = Buffer.from(await object.Body!.transformToByteArray());
      expect(stored.subarray(0, 2).toString()).toBe('WV');
      expect(stored.includes(Buffer.from('x'.repeat(64)))).toBe(false);
      expect(stored.length).toBeLessThan(data.length);
    } finally {
      client.destroy();
    }
    expect(await resultRows(h.db)).toBe(1);

    const got = await unary(c.getResult({ tenantId: tenant, uri: first.ref!.uri, capabilityToken: first.ref!.capabilityToken }));
    expect(Buffer.from(got.data).equals(data)).toBe(true);
    expect((await fetch(`${h.svc.httpUrl}/health/ready`)).status).toBe(200);
  });
});
