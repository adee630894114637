import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AgentHost, noTools, TenantGate, WorkflowCatalogue, agentGroup } from '@weaver/agent-runtime';
import { Metadata } from '@grpc/grpc-js';
import { gateway as gatewayProto, GRPC_SERVICES, runAdmin } from '@weaver/contracts';
import { cryptoConfigSchema, payloadCipherFromConfig } from '@weaver/crypto';
import { createKafka, decodeEnvelope, EnvelopeSealer, readTopicsUntil, TopicNames, type KafkaConnection } from '@weaver/messaging';
import { createLogger, Metrics } from '@weaver/observability';
import { createDataSource } from '@weaver/persistence';
import { RunStore, RUNS_SCHEMA } from '@weaver/runs';
import { Agent, agent, Workflow } from '@weaver/sdk';
import { llmClientFrom } from '@weaver/sdk/testing';
import { grpcClient, mutualTlsAs, startServiceForTest, unary, type RunningService } from '@weaver/service-kit';
import { AgentMemoryService } from '@weaver/agent-runtime';
import { createTestDatabase, everyTenantExists, testTlsEnv, type TestDatabase } from '@weaver/testing';
import { DATABASE_SCHEMAS } from '@weaver/migrate';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { UnavailableError } from '@weaver/errors';
import { gatewayConfigSchema, type GatewayConfig } from '../src/gateway.config';
import { GatewayModule } from '../src/gateway.module';
// eslint-disable-next-line @nx/enforce-module-boundaries -- another app's module, started as that service for this test
import { tenancyConfigSchema, type TenancyConfig } from '../../tenancy/src/tenancy.config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { TenancyModule } from '../../tenancy/src/tenancy.module';

const ADMIN_TOKEN = 'runs-admin-token-0123456789';
/** Texts whose step waits (the test cancels meanwhile) or fails (retriable) while listed. */
const held = new Map<string, () => void>();
const failing = new Set<string>();

@agent({ name: 'gw-work', requires: ['gw.started'], publishes: ['gw.worked'] })
class Work extends Agent<{ text: string }> {
  async process(d: { text: string }) {
    if (held.has(d.text)) await new Promise<void>((r) => held.set(d.text, r));
    if (failing.has(d.text)) throw new UnavailableError(`work is down for ${d.text}`);
    return { text: `${d.text}!` };
  }
}

@agent({ name: 'gw-finish', requires: ['gw.worked'], publishes: ['gw.done'] })
class Finish extends Agent<{ text: string }> {
  async process(d: { text: string }) {
    return { done: d.text };
  }
}

/**
 * The runs-admin REST routes on the real gateway (guard, policies, schema validation, its role
 * on PostgreSQL) and tenancy, with an agent host in this process on the same broker namespace.
 */
describe('runs admin and dead letters over REST (gateway)', () => {
  let db: TestDatabase & ServiceUrls;
  let dir: string;
  let tenancySvc: RunningService<TenancyConfig>;
  let gateway: RunningService<GatewayConfig>;
  let host: AgentHost;
  let kafka: KafkaConnection;
  let runnerDs: DataSource;
  const names = new TopicNames(`ra-${randomUUID().slice(0, 8)}`);
  const progress: Array<{ runId: string; kind: string }> = [];

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), DATABASE_SCHEMAS);
    dir = mkdtempSync(join(tmpdir(), 'runs-admin-'));
    const keyring = join(dir, 'keyring.json');
    kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'runs-admin-test' });
    runnerDs = await createDataSource({ url: db.urlOf('agent-runner'), schema: RUNS_SCHEMA, poolSize: 4 }).initialize();
    const cipher = payloadCipherFromConfig(runnerDs, cryptoConfigSchema.parse({ WEAVER_KMS_KEYRING_FILE: keyring }));
    const store = new RunStore(runnerDs, { cipher });
    host = new AgentHost({
      kafka, names, catalogue: new WorkflowCatalogue([new Workflow('gw-flow').addAgents(Work, Finish)]), ledger: store,
      results: { put: async (r) => ({ uri: `test://${r.runId}` }) }, llm: () => llmClientFrom({ generate: async () => ({ text: '', toolCalls: [], model: 'x', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, replayed: false }) }),
      memory: new AgentMemoryService({ ds: runnerDs, metrics: new Metrics('t'), sweepIntervalMs: 0 }), tools: noTools(), logger: createLogger('runs-admin-test', { level: 'warn' }), metrics: new Metrics('t'),
      retry: { maxAttempts: 2, baseMs: 10, maxMs: 20 }, tenants: new TenantGate(everyTenantExists), sealer: new EnvelopeSealer(cipher),
    });
    host.onProgress((n) => progress.push({ runId: n.runId, kind: n.kind }));
    await host.provision(2);
    await host.start();
    tenancySvc = await startServiceForTest({
      service: 'tenancy', module: TenancyModule, configSchema: tenancyConfigSchema, grpc: [GRPC_SERVICES.tenancy, GRPC_SERVICES.policy],
      env: { DATABASE_URL: db.urlOf('tenancy'), DATABASE_POOL_SIZE: '2', WEAVER_KMS_KEYRING_FILE: keyring, ...testTlsEnv('tenancy') },
    });
    gateway = await startServiceForTest({
      service: 'gateway', module: GatewayModule, configSchema: gatewayConfigSchema, grpc: [GRPC_SERVICES.gateway, GRPC_SERVICES.runAdmin], clientFacingGrpc: true,
      env: {
        DATABASE_URL: db.urlOf('gateway'), KAFKA_BROKERS: process.env['WEAVER_TEST_KAFKA_BROKERS'], KAFKA_NAMESPACE: names.namespace, TENANCY_URL: tenancySvc.grpcUrl!,
        REGISTRY_URL: '127.0.0.1:9', ROUTER_URL: '127.0.0.1:9', GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN, WEAVER_KMS_KEYRING_FILE: keyring, ...testTlsEnv('gateway'),
      },
    });
  });
  afterAll(async () => {
    for (const release of held.values()) release();
    await gateway?.close();
    await tenancySvc?.close();
    await host?.stop();
    await runnerDs?.destroy();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  type Body = Record<string, unknown> & { error?: { code: string; message: string; details?: { violations?: Array<{ field: string; rule: string }> } } };
  const http = async (method: string, path: string, opts: { body?: unknown; key?: string; admin?: boolean } = {}) => {
    const headers: Record<string, string> = { ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }), ...(opts.key ? { 'x-api-key': opts.key } : {}), ...(opts.admin ? { 'x-admin-token': ADMIN_TOKEN } : {}) };
    const res = await fetch(`${gateway.httpUrl}${path}`, { method, headers, ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }) });
    return { status: res.status, body: (await res.json().catch(() => null)) as Body };
  };
  const newTenant = async (): Promise<{ tenantId: string; key: string }> => {
    const res = await http('POST', '/v1/tenants', { body: { name: `ra-${randomUUID().slice(0, 8)}` }, admin: true });
    return { tenantId: (res.body['tenant'] as { tenantId: string }).tenantId, key: res.body['apiKey'] as string };
  };
  const start = async (key: string, text: string): Promise<string> => {
    const res = await http('POST', '/v1/runs', { body: { workflow: 'gw-flow', input: { text } }, key });
    expect(res.status).toBe(202);
    return (res.body['run'] as { runId: string }).runId;
  };
  const until = async (what: string, check: () => boolean | Promise<boolean>): Promise<void> => {
    const deadline = Date.now() + 60_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const ended = (runId: string, kind: string) => progress.some((p) => p.runId === runId && p.kind === kind);

  it('cancels a running run with the tenant key (idempotent, one run.cancelled), lists it by status, refuses a retry with 409', async () => {
    const { tenantId, key } = await newTenant();
    held.set('slow', () => undefined);
    const runId = await start(key, 'slow');
    await until('the step is in flight', () => held.get('slow')?.toString() !== '() => undefined');
    const first = await http('POST', `/v1/runs/${runId}/cancel`, { key });
    expect(first).toMatchObject({ status: 200, body: { run: { runId, status: 'cancelled' } } });
    held.get('slow')!();
    expect((await http('POST', `/v1/runs/${runId}/cancel`, { key })).body).toMatchObject({ run: { status: 'cancelled' } });
    await until('run.cancelled', () => ended(runId, 'run.cancelled'));
    const events = await readTopicsUntil(kafka, [names.runs], (rs) => rs.some((r) => decodeEnvelope(r).runId === runId && decodeEnvelope(r).type === 'run.cancelled'));
    expect(events.map(decodeEnvelope).filter((e) => e.runId === runId && e.type === 'run.cancelled')).toHaveLength(1);
    expect(events.map(decodeEnvelope).filter((e) => e.runId === runId && e.type === 'run.completed')).toHaveLength(0);

    const listed = await http('GET', '/v1/runs?status=cancelled&limit=10', { key });
    expect((listed.body['runs'] as Array<{ runId: string }>).map((r) => r.runId)).toEqual([runId]);
    const retry = await http('POST', `/v1/runs/${runId}/retry`, { key });
    expect(retry).toMatchObject({ status: 409, body: { error: { code: 'ABORTED', message: `run ${runId} is cancelled: only a failed run can be retried` } } });
    const bad = await http('GET', '/v1/runs?limit=0&status=done', { key });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.details?.violations).toEqual(expect.arrayContaining([{ field: 'limit', rule: 'must be at least 1' }, { field: 'status', rule: expect.stringContaining('must be one of') }]));
    // The admin list: every tenant's runs with the admin token; a runner key may not call it.
    const all = await http('GET', `/v1/admin/runs?tenantId=${tenantId}&limit=5`, { admin: true });
    expect(all.body).toMatchObject({ runs: [{ runId, tenantId, status: 'cancelled' }] });
    expect((await http('GET', '/v1/admin/runs', { key })).status).toBe(403);
  });

  it('retries a failed run from its failed step; lists, inspects, replays once and discards dead letters', async () => {
    const { tenantId, key } = await newTenant();
    failing.add('flaky').add('doomed');
    const [flaky, doomed] = [await start(key, 'flaky'), await start(key, 'doomed')];
    await until('both runs failed', () => ended(flaky, 'run.failed') && ended(doomed, 'run.failed'));
    failing.delete('flaky');
    const retried = await http('POST', `/v1/runs/${flaky}/retry`, { key });
    expect(retried).toMatchObject({ status: 200, body: { run: { runId: flaky, status: 'running' } } });
    await until('the retried run completed', () => ended(flaky, 'run.completed'));

    const group = agentGroup(names, 'gw-work');
    const list = await http('GET', `/v1/admin/dead-letters?group=${group}&tenantId=${tenantId}`, { admin: true });
    const letters = list.body['deadLetters'] as Array<{ id: string; runId: string; state: string; error: { code: string; message: string } }>;
    // In dead-lettering order (the two runs' steps ran on their own partitions).
    expect(new Map(letters.map((l) => [l.runId, l.state]))).toEqual(new Map([[flaky, 'replayed'], [doomed, 'dead']]));
    const flakyLetter = letters.find((l) => l.runId === flaky)!.id;
    const doomedLetter = letters.find((l) => l.runId === doomed)!.id;
    expect(letters.find((l) => l.runId === doomed)!.error).toMatchObject({ code: 'UNAVAILABLE' });
    expect((await http('GET', `/v1/admin/dead-letters/${doomedLetter}`, { admin: true })).body).toMatchObject({ deadLetter: { id: doomedLetter, payload: { text: 'doomed' } } });
    expect((await http('DELETE', `/v1/admin/dead-letters/${doomedLetter}`, { admin: true })).body).toMatchObject({ deadLetter: { state: 'discarded' } });
    expect((await http('POST', `/v1/admin/dead-letters/${doomedLetter}/replay`, { admin: true })).status).toBe(409);
    expect((await http('POST', `/v1/admin/dead-letters/${flakyLetter}/replay`, { admin: true })).body).toMatchObject({ replayed: 0, deadLetter: { state: 'replayed' } });
    expect((await http('POST', '/v1/admin/dead-letters:replay', { body: { ids: [doomedLetter, flakyLetter] }, admin: true })).body).toEqual({ replayed: 0 });
    const bad = await http('POST', '/v1/admin/dead-letters:replay', { body: { fromOffset: '1' }, admin: true });
    expect(bad).toMatchObject({ status: 400, body: { error: { details: { violations: [{ field: 'group', rule: 'is required with fromOffset/toOffset (offsets are per DLQ topic)' }] } } } });
    expect((await http('GET', `/v1/admin/dead-letters?group=${group}`, { key })).status).toBe(403); // a runner key is no admin
  });

  it('serves the same over gRPC (RunAdminService): cancel with the key, ABORTED naming the state, admin methods need the admin role', async () => {
    const { key } = await newTenant();
    const grpc = grpcClient<runAdmin.RunAdminServiceClient>(GRPC_SERVICES.runAdmin, gateway.grpcUrl!, mutualTlsAs('operator', testTlsEnv('operator')), { deadlineMs: 30_000 });
    const md = new Metadata();
    md.set('x-api-key', key);
    try {
      held.set('grpc-slow', () => undefined);
      const running = await start(key, 'grpc-slow');
      await until('the step is in flight', () => held.get('grpc-slow')?.toString() !== '() => undefined');
      const cancelled = await unary(grpc.client.cancelRun({ runId: running }, md));
      expect(cancelled.run).toMatchObject({ runId: running, status: gatewayProto.RunStatus.RUN_STATUS_CANCELLED });
      held.get('grpc-slow')!();
      const done = await start(key, 'grpc-quick');
      await until('the quick run completed', () => ended(done, 'run.completed'));
      await expect(unary(grpc.client.cancelRun({ runId: done }, md))).rejects.toMatchObject({ code: 'ABORTED', message: expect.stringContaining(`run ${done} is completed`) });
      await expect(unary(grpc.client.listRuns({ workflow: '', status: '', from: '', to: '', subjectId: '', cursor: '', limit: 0 }, md))).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    } finally {
      grpc.close();
    }
  });
});
