import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { GRPC_SERVICES, type gateway } from '@weaver/contracts';
import { capabilityKeyring, capabilitySigningKey, capabilityVerifyKeys, CAPABILITY_AUDIENCES, CapabilityTokens } from '@weaver/publisher-core';
import { apiKeyMetadata, grpcClient } from '@weaver/service-kit';
import { type RunningStack, startTestStack } from '@weaver/stack';
import { firstValueFrom } from 'rxjs';

/**
 * Quotas, abuse limits and capability tokens through the real gateway over HTTP and gRPC, with
 * tenancy on PostgreSQL behind it: each quota trips with 429 / RESOURCE_EXHAUSTED naming it,
 * the admin API sets a quota that then applies, bad-key throttling trips and recovers, and the
 * result endpoint accepts a capability token for exactly the run's result; the router (reading the
 * quota from tenancy) fails a run whose model call exceeds tokens_per_day.
 */
describe('tenant limits end to end', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'weaver-limits-'));
  let stack: RunningStack & { namespace: string };
  let acme: { tenantId: string; apiKey: string };

  beforeAll(async () => {
    stack = await startTestStack('tenant-limits', {
      dataDir,
      // Small failure limits so the throttle trips and recovers within the test; quotas re-read at once.
      env: { gateway: { AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW_MS: '60000', AUTH_BLOCK_MS: '2000', QUOTA_CACHE_TTL_MS: '0' } },
    });
    acme = await stack.createTenant('acme');
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const http = (path: string, init: RequestInit & { key?: string; admin?: boolean } = {}) =>
    fetch(`${stack.gatewayUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.admin ? { 'x-admin-token': stack.adminToken } : {}), ...init.headers },
    });
  const start = (key: string) => http('/v1/runs', { method: 'POST', key, body: JSON.stringify({ workflow: 'content-pipeline', input: { topic: 'quotas' } }) });
  const setQuotas = (tenantId: string, quotas: Record<string, number | null>) => http(`/v1/admin/tenants/${tenantId}/quotas`, { method: 'PUT', admin: true, body: JSON.stringify(quotas) });

  it('shows default quotas, sets one over the admin API, and names bad fields', async () => {
    const got = await http(`/v1/admin/tenants/${acme.tenantId}/quotas`, { admin: true });
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual({ quotas: { runs_per_second: 50, run_burst: 100, concurrent_runs: 1000, tokens_per_day: 10_000_000, stored_bytes: 10 * 1024 ** 3, budget_usd: 100 }, overrides: {} });
    const bad = await setQuotas(acme.tenantId, { concurrent_runs: -1, nope: 1 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe(
      'PUT /v1/admin/tenants/{tenantId}/quotas is invalid: concurrent_runs: must be an integer from 0 to 10000000; nope: is not a quota (one of runs_per_second, run_burst, concurrent_runs, tokens_per_day, stored_bytes, budget_usd)',
    );
    expect((await http(`/v1/admin/tenants/${acme.tenantId}/quotas`, { method: 'PUT', body: '{}', headers: { 'x-admin-token': 'wrong-token-wrong-token' } })).status).toBe(403);
  });

  it('refuses a run over the concurrent-runs quota with 429, Retry-After and the quota named (REST and gRPC)', async () => {
    const set = await setQuotas(acme.tenantId, { concurrent_runs: 0 });
    expect(((await set.json()) as { overrides: unknown }).overrides).toEqual({ concurrent_runs: 0 });
    const res = await start(acme.apiKey);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ error: { code: 'RESOURCE_EXHAUSTED', details: { quota: 'concurrent_runs', limit: 0 } } });
    const grpc = grpcClient<gateway.GatewayServiceClient>(GRPC_SERVICES.gateway, stack.gatewayGrpcUrl, stack.operatorSecurity(), { deadlineMs: 30_000 });
    try {
      const error = (await firstValueFrom(grpc.client.startRun({ workflow: 'content-pipeline', inputJson: '{"topic":"q"}', classification: [] }, apiKeyMetadata(acme.apiKey))).catch((e: unknown) => e)) as ServiceError;
      expect(error.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
      expect(error.details).toMatch(/quota concurrent_runs exceeded/);
    } finally {
      grpc.close();
    }
    expect((await setQuotas(acme.tenantId, { concurrent_runs: null })).status).toBe(200); // back to the default
  });

  it('refuses the second run of a burst of 1 at 0 runs/s, naming runs_per_second', async () => {
    const tenant = await stack.createTenant('bursty');
    await setQuotas(tenant.tenantId, { runs_per_second: 0, run_burst: 1 });
    expect((await start(tenant.apiKey)).status).toBe(202);
    const res = await start(tenant.apiKey);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await res.json()).toMatchObject({ error: { code: 'RESOURCE_EXHAUSTED', details: { quota: 'runs_per_second' } } });
    expect((await start(acme.apiKey)).status).toBe(202); // another tenant is not affected
  });

  it('throttles a source after 3 bad keys (429 even for a good key), then lets it in again', async () => {
    for (let i = 0; i < 3; i++) expect((await http('/v1/runs', { key: `wv_bad${i}xxxxxxxxxxxxxxxxxxxxxxxxxxxx` })).status).toBe(401);
    const blocked = await http('/v1/runs', { key: acme.apiKey });
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toMatchObject({ error: { details: { quota: 'api-key_failures' } } });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Recovers once the block (2 s here) is over; successes never count.
    const deadline = Date.now() + 30_000;
    let status = 429;
    while (status === 429 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await http('/v1/runs', { key: acme.apiKey })).status;
    }
    expect(status).toBe(200);
  });

  it('fails a run whose model call does not fit the tenant\'s tokens_per_day, naming the quota (enforced by the router)', async () => {
    const limited = await stack.createTenant('limited');
    expect((await setQuotas(limited.tenantId, { tokens_per_day: 1 })).status).toBe(200);
    const res = await start(limited.apiKey);
    expect(res.status).toBe(202);
    const { run } = (await res.json()) as { run: { runId: string } };
    let view: { status: string; error: string | null; failedStep: string | null } = { status: 'pending', error: null, failedStep: null };
    const deadline = Date.now() + 60_000;
    while (view.status !== 'completed' && view.status !== 'failed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      view = ((await (await http(`/v1/runs/${run.runId}`, { key: limited.apiKey })).json()) as { run: typeof view }).run;
    }
    expect(view).toMatchObject({ status: 'failed', failedStep: 'researcher' });
    expect(view.error).toMatch(/quota tokens_per_day exceeded: tenant .* this call needs up to \d+ \(limit 1\)/);
  });

  it('serves a run result to a capability token for exactly that result (the same verify as the publisher)', async () => {
    const res = await start(acme.apiKey);
    expect(res.status).toBe(202);
    const { run } = (await res.json()) as { run: { runId: string } };
    let view: { status: string; result: unknown } = { status: 'pending', result: null };
    const deadline = Date.now() + 60_000;
    while (view.status !== 'completed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      view = ((await (await http(`/v1/runs/${run.runId}`, { key: acme.apiKey })).json()) as { run: typeof view }).run;
    }
    expect(view.status).toBe('completed');
    // The test plays the publisher: it holds the stack's signing key.
    const env = JSON.parse(readFileSync(join(dataDir, 'capability-keys.json'), 'utf8')) as { CAPABILITY_SIGNING_KEY: string; CAPABILITY_VERIFY_KEYS: string };
    const keyring = capabilityKeyring(capabilityVerifyKeys.parse(env.CAPABILITY_VERIFY_KEYS), capabilitySigningKey.parse(env.CAPABILITY_SIGNING_KEY));
    const issuer = (audience: string[]) => new CapabilityTokens(keyring, { ttlSeconds: 60, audience });
    const grant = { tenantId: acme.tenantId, runId: run.runId, step: 'reviewer' };
    const read = (token: string, runId = run.runId) => http(`/v1/runs/${runId}/result`, { headers: { authorization: `Capability ${token}` } });

    const ok = await read(await issuer([CAPABILITY_AUDIENCES.gateway]).issue(grant));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { result: unknown }).result).toEqual(view.result);
    const publisherOnly = await read(await issuer([CAPABILITY_AUDIENCES.publisher]).issue(grant));
    expect(publisherOnly.status).toBe(403);
    expect(((await publisherOnly.json()) as { error: { message: string } }).error.message).toBe('capability token is not meant for this endpoint (audience)');
    expect((await read(await issuer([CAPABILITY_AUDIENCES.gateway]).issue({ ...grant, step: 'writer' }))).status).toBe(403); // not the run's result
    expect((await read(await issuer([CAPABILITY_AUDIENCES.gateway]).issue(grant), '00000000-0000-4000-8000-000000000000')).status).toBe(403);
    expect((await read('not-a-token')).status).toBe(403);
  });
});
