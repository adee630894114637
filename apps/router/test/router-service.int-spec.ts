import type { Metadata } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { Client } from 'pg';
import { z } from 'zod';
import { GRPC_SERVICES, router, type policy, type tenancy } from '@weaver/contracts';
import { grpcClient, mutualTlsAs, startServiceForTest, tenantMetadata, unary, asWeaverErrors, type GrpcClientHandle, type RunningService } from '@weaver/service-kit';
import { createTestDatabase, OpenAIWireServer, testTlsEnv, type TestDatabase } from '@weaver/testing';
import { DATABASE_SCHEMAS } from '@weaver/migrate';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { routerConfigSchema, type RouterConfig } from '../src/router.config';
import { RouterModule } from '../src/router.module';
// The real tenancy service: the router reads tenants' quotas from it (GetQuotas over mutual TLS).
// eslint-disable-next-line @nx/enforce-module-boundaries -- another app's module, started as that service for this test
import { tenancyConfigSchema, type TenancyConfig } from '../../tenancy/src/tenancy.config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { TenancyModule } from '../../tenancy/src/tenancy.module';
// The agent runner's `this.llm` (its router client), against this router: what a step's calls do.
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { routerLlm } from '../../agent-runner/src/router-llm.client';

const user = (content: string): router.Message => ({ role: router.Role.ROLE_USER, content, toolCalls: [], toolCallId: '' });
const request = (tenantId: string, over: Partial<router.GenerateRequest> = {}): router.GenerateRequest => ({
  tenantId,
  workflow: 'content-pipeline',
  agent: 'writer',
  runId: 'run-1',
  step: 'write',
  idempotencyKey: '',
  messages: [user('Kafka gives ordering per partition. Transactions make consume-process-produce atomic.')],
  tools: [],
  jsonMode: false,
  requiredCapabilities: [],
  classification: [],
  modelHint: '',
  noCache: true,
  jsonSchema: '',
  jsonSchemaName: '',
  ...over,
});

describe('router service over gRPC', () => {
  let db: TestDatabase & ServiceUrls;
  let dir: string;
  let modelsFile: string;
  let openai: OpenAIWireServer;
  let svc: RunningService<RouterConfig>;
  let tenancySvc: RunningService<TenancyConfig>;
  /** As an operator, on tenancy (quotas). */
  let quotas: GrpcClientHandle<tenancy.TenancyServiceClient>;
  /** As the agent runner (model calls). */
  let client: GrpcClientHandle<router.RouterServiceClient>;
  /** As an operator (usage, budgets). */
  let admin: GrpcClientHandle<router.RouterServiceClient>;

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), DATABASE_SCHEMAS);
    openai = await new OpenAIWireServer().start();
    dir = mkdtempSync(join(tmpdir(), 'router-models-'));
    modelsFile = join(dir, 'models.yaml');
    writeFileSync(modelsFile, readFileSync(join(__dirname, '../../../config/models.yaml'), 'utf8'));
    tenancySvc = await startServiceForTest({
      service: 'tenancy',
      module: TenancyModule,
      configSchema: tenancyConfigSchema,
      grpc: [GRPC_SERVICES.tenancy, GRPC_SERVICES.policy],
      env: { DATABASE_URL: db.urlOf('tenancy'), DATABASE_POOL_SIZE: '2', ...testTlsEnv('tenancy') },
    });
    quotas = grpcClient<tenancy.TenancyServiceClient>(GRPC_SERVICES.tenancy, tenancySvc.grpcUrl!, mutualTlsAs('operator', testTlsEnv('operator')));
    svc = await startServiceForTest({
      service: 'router',
      module: RouterModule,
      configSchema: routerConfigSchema,
      grpc: [GRPC_SERVICES.router],
      env: { DATABASE_URL: db.urlOf('router'), ROUTER_MODELS_FILE: modelsFile, WEAVER_KMS_KEYRING_FILE: join(dir, 'keyring.json'), TENANCY_URL: tenancySvc.grpcUrl!, QUOTA_CACHE_TTL_MS: '0', POLICY_CACHE_TTL_MS: '0', KAFKA_BROKERS: process.env['WEAVER_TEST_KAFKA_BROKERS']!, ...testTlsEnv('router') },
    });
    client = forRequestTenant(grpcClient<router.RouterServiceClient>(GRPC_SERVICES.router, svc.grpcUrl!, mutualTlsAs('agent-runner', testTlsEnv('agent-runner'))));
    admin = forRequestTenant(grpcClient<router.RouterServiceClient>(GRPC_SERVICES.router, svc.grpcUrl!, mutualTlsAs('operator', testTlsEnv('operator'))));
  });
  /** A tenant that exists in tenancy: the router bills only those (GetQuotas answers NOT_FOUND for others). */
  const newTenant = async (): Promise<string> => (await unary(quotas.client.createTenant({ name: `t-${randomUUID().slice(0, 8)}` }))).tenant!.tenantId;

  afterAll(async () => {
    client?.close();
    admin?.close();
    await svc?.close();
    quotas?.close();
    await tenancySvc?.close();
    await openai?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers with the local-deterministic stand-in from the shipped models.yaml and bills it', async () => {
    const tenant = await newTenant();
    const res = await unary(client.client.generate(request(tenant)));
    expect(res.model).toBe('local-deterministic');
    expect(res.content).toContain('[local-deterministic stand-in for an LLM');
    expect(res.content).toContain('- Kafka gives ordering per partition.');
    expect(res.usage?.inputTokens).toBeGreaterThan(0);
    const usage = await unary(admin.client.getUsage({ tenantId: tenant, workflow: '', agent: '', model: '', sinceMs: 0, untilMs: 0 }));
    expect(usage.rows).toEqual([expect.objectContaining({ workflow: 'content-pipeline', agent: 'writer', model: 'local-deterministic', requests: 1 })]);
  });

  it("lists one run's model calls from the ledger, oldest first, for the call's tenant only", async () => {
    const tenant = await newTenant();
    const runId = randomUUID();
    await unary(client.client.generate(request(tenant, { runId, step: 'researcher', agent: 'researcher' })));
    await unary(client.client.generate(request(tenant, { runId, step: 'writer', agent: 'writer' })));
    await unary(client.client.generate(request(tenant, { runId: randomUUID() }))); // another run
    const { calls } = await unary(admin.client.listModelCalls({ tenantId: tenant, runId, limit: 0 }));
    expect(calls.map((c) => `${c.step}/${c.agent}/${c.model}/${c.operation}`)).toEqual(['researcher/researcher/local-deterministic/generate', 'writer/writer/local-deterministic/generate']);
    expect(calls[0]).toMatchObject({ provider: expect.any(String), cached: false, inputTokens: expect.any(Number), costUsd: expect.any(Number) });
    expect(calls[0]!.inputTokens).toBeGreaterThan(0);
    expect(calls[0]!.atMs).toBeLessThanOrEqual(calls[1]!.atMs);
    expect((await unary(admin.client.listModelCalls({ tenantId: tenant, runId, limit: 1 }))).calls).toHaveLength(1);
    // Another tenant sees none of them (RLS and the tenant taken from the call's context).
    expect((await unary(admin.client.listModelCalls({ tenantId: await newTenant(), runId, limit: 0 }))).calls).toEqual([]);
    await expect(unary(admin.client.listModelCalls({ tenantId: tenant, runId: '', limit: 0 }))).rejects.toMatchObject({ message: expect.stringContaining('run_id') });
  });

  it('streams chunks ending with the billed response, and replays an idempotent step', async () => {
    const tenant = await newTenant();
    const chunks = await lastValueFrom(client.client.generateStream(request(tenant, { idempotencyKey: 'run-1/write/1' })).pipe(asWeaverErrors(), toArray()));
    const text = chunks.map((c) => c.text ?? '').join('');
    const done = chunks.at(-1)?.done;
    expect(done?.content).toBe(text);
    expect(done?.replayed).toBe(false);
    const again = await unary(client.client.generate(request(tenant, { idempotencyKey: 'run-1/write/1' })));
    expect(again).toMatchObject({ content: text, replayed: true });
    // The recorded answer (the full LLM output) is stored sealed under the tenant's data key.
    const pg = new Client({ connectionString: db.ownerUrl });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ response: unknown }>(`SELECT response FROM router.idempotency_records WHERE tenant_id = $1`, [tenant]);
      expect(rows).toEqual([{ response: { $enc: expect.any(String) } }]);
      expect(JSON.stringify(rows)).not.toContain('Kafka gives ordering');
    } finally {
      await pg.end();
    }
  });

  it("decides model.call by the tenant's policies before routing, naming the forbidding policy", async () => {
    const tenant = await newTenant();
    const policies = grpcClient<policy.PolicyServiceClient>(GRPC_SERVICES.policy, tenancySvc.grpcUrl!, mutualTlsAs('operator', testTlsEnv('operator')));
    try {
      const text = 'forbid (principal == Weaver::Agent::"content-pipeline/writer", action == Weaver::Action::"model.call", resource)\nwhen { resource.level >= 2 };';
      await unary(policies.client.putPolicy({ tenantId: tenant, policyId: 'writer-no-confidential', text, description: '' }, tenantMetadata(tenant)));
      // The tenant's first model call comes after the put: the router loads version 1 before deciding.
      await expect(unary(client.client.generate(request(tenant, { classification: ['confidential'] })))).rejects.toMatchObject({
        code: 'PERMISSION_DENIED',
        message: expect.stringContaining('model.call on Model denied: forbidden by policy writer-no-confidential'),
      });
      // The same agent with internal data, and another agent with confidential data, are served.
      expect((await unary(client.client.generate(request(tenant, { classification: ['internal'] })))).model).toBe('local-deterministic');
      expect((await unary(client.client.generate(request(tenant, { agent: 'reviewer', classification: ['confidential'] })))).model).toBe('local-deterministic');
      // Streams are refused before the first chunk.
      await expect(lastValueFrom(client.client.generateStream(request(tenant, { classification: ['confidential'] })).pipe(asWeaverErrors(), toArray()))).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    } finally {
      policies.close();
    }
  });

  it('maps errors to gRPC statuses naming the field, and refuses calls over budget', async () => {
    const tenant = await newTenant();
    // The tenant is the call context's (metadata), checked before the router runs.
    await expect(unary(client.client.generate(request('not-a-uuid')))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('metadata.weaver-tenant-id: must be one tenant id (UUID)') });
    await expect(unary(client.client.generate(request(tenant, { requiredCapabilities: ['vision'] })))).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    const set = await unary(admin.client.setBudget({ tenantId: tenant, limitUsd: 0, resetSpent: false }));
    expect(set.budget).toEqual({ limitUsd: 0, spentUsd: 0, reservedUsd: 0 });
  });

  it('enforces the tenant\'s quotas from tenancy: tokens_per_day and, without a budget of its own, budget_usd', async () => {
    const tenant = await newTenant();
    const setQuotas = (set: tenancy.QuotaOverrides) => unary(quotas.client.setQuotas({ tenantId: tenant, set, reset: [] }, tenantMetadata(tenant)));
    await setQuotas({ tokensPerDay: 5 });
    const tokens = await unary(client.client.generate(request(tenant))).catch((e: unknown) => e);
    expect(tokens).toMatchObject({ code: 'RESOURCE_EXHAUSTED', message: expect.stringMatching(/^quota tokens_per_day exceeded: .*\(limit 5\); retry after \d+ s$/), details: expect.objectContaining({ quota: 'tokens_per_day', limit: 5 }) });
    // A budget_usd of 0 and no router budget: nothing may be spent (the stand-in costs nothing, a metered model would).
    await setQuotas({ tokensPerDay: 1_000_000, budgetUsd: 0 });
    const answered = await unary(client.client.generate(request(tenant)));
    expect(answered.model).toBe('local-deterministic');
    const usage = await unary(admin.client.getUsage({ tenantId: tenant, workflow: '', agent: '', model: '', sinceMs: 0, untilMs: 0 }));
    expect(usage.budget).toEqual({ limitUsd: 0, spentUsd: 0, reservedUsd: 0 });
  });

  it('this.llm through the router: a redelivered step\'s calls (tools, stream, embed, structured) answer from their records, one ledger row per call', async () => {
    const tenant = await newTenant();
    const scope = { tenantId: tenant, runId: 'run-redelivered', workflow: 'content-pipeline', agent: 'writer', step: 'write', classification: [] };
    const lookup = { name: 'lookup', description: 'Look a fact up', parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } };
    const Summary = z.object({ wordCount: z.number().int(), keyPoints: z.array(z.string()).min(1) });
    // One execution of the step: the same calls in the same order, as a redelivered step makes them.
    const runStep = async () => {
      const llm = routerLlm(client.client)(scope);
      const proposed = await llm.generate({ prompt: 'Kafka orders records per partition.', tools: [lookup] });
      const call = proposed.toolCalls[0]!;
      const answered = await llm.generate({
        messages: [
          { role: 'user', content: 'Kafka orders records per partition.' },
          { role: 'assistant', content: '', toolCalls: [call] },
          { role: 'tool', content: 'Ordering holds within one partition only.', toolCallId: call.id },
        ],
      });
      const stream = llm.stream({ prompt: 'Transactions make consume-process-produce atomic.' });
      const deltas: string[] = [];
      for await (const c of stream) deltas.push(c.delta);
      const streamed = await stream.response;
      const embedded = await llm.embed({ input: ['kafka partitions', 'exactly-once steps'] });
      const structured = await llm.structured(Summary, { prompt: 'Budgets are checked before every call. The ledger records every token.' });
      return { proposed, answered, deltas, streamed, embedded, structured };
    };
    const first = await runStep();
    expect(first.proposed.toolCalls).toEqual([{ id: expect.stringMatching(/^call_/), name: 'lookup', arguments: JSON.stringify({ query: 'Kafka orders records per partition.' }) }]);
    expect(first.answered.text).toContain('Ordering holds within one partition only.');
    expect(first.deltas.length).toBeGreaterThan(1); // token by token, not one chunk
    expect(first.deltas.join('')).toBe(first.streamed.text);
    expect(first.embedded.vectors).toHaveLength(2);
    expect(first.structured.value).toEqual({ wordCount: 11, keyPoints: ['Budgets are checked before every call.', 'The ledger records every token.'] });
    for (const r of [first.proposed, first.answered, first.streamed, first.embedded, first.structured.response]) expect(r.replayed).toBe(false);

    const again = await runStep();
    for (const r of [again.proposed, again.answered, again.streamed, again.embedded, again.structured.response]) expect(r.replayed).toBe(true);
    expect(again.deltas).toEqual([first.streamed.text]); // the recorded answer, as one chunk
    expect(again.structured.value).toEqual(first.structured.value);
    expect(again.embedded.vectors).toEqual(first.embedded.vectors);

    const pg = new Client({ connectionString: db.ownerUrl });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ idempotency_key: string; operation: string }>(`SELECT idempotency_key, operation FROM router.usage_ledger WHERE tenant_id = $1 ORDER BY id`, [tenant]);
      const key = (n: number) => `${tenant}/run-redelivered/write/${n}`;
      expect(rows).toEqual([
        { idempotency_key: key(1), operation: 'generate' },
        { idempotency_key: key(2), operation: 'generate' },
        { idempotency_key: key(3), operation: 'stream' },
        { idempotency_key: key(4), operation: 'embed' },
        { idempotency_key: key(5), operation: 'generate' },
      ]);
    } finally {
      await pg.end();
    }
  });

  it('structured output: a bad answer is sent back once (billed), then fails naming the field and rule', async () => {
    const tenant = await newTenant();
    const llm = routerLlm(client.client)({ tenantId: tenant, runId: 'run-bad', workflow: 'content-pipeline', agent: 'writer', step: 'write', classification: [] });
    // The stand-in answers { wordCount: <number>, ... }: a schema wanting a string there cannot be met.
    const err = await llm.structured(z.object({ wordCount: z.string() }), { prompt: 'two words' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', violations: [{ field: 'wordCount', rule: expect.stringContaining('expected string') }] });
    const usage = await unary(admin.client.getUsage({ tenantId: tenant, workflow: '', agent: '', model: '', sinceMs: 0, untilMs: 0 }));
    expect(usage.rows).toEqual([expect.objectContaining({ requests: 2 })]); // the answer and its one repair
  });

  it('embeds through the router, and refuses an empty text naming the field', async () => {
    const tenant = await newTenant();
    await expect(unary(client.client.embed({ tenantId: tenant, workflow: 'w', agent: 'a', runId: 'r', step: 's', texts: ['x'], modelHint: '', classification: [], idempotencyKey: '' }))).resolves.toMatchObject({ model: 'local-deterministic' });
    await expect(unary(client.client.embed({ tenantId: tenant, workflow: 'w', agent: 'a', runId: 'r', step: 's', texts: [''], modelHint: '', classification: [], idempotencyKey: '' }))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('texts[0]: must be a non-empty string') });
  });

  it('reloads models.yaml on change, and keeps the old catalogue when the new one is invalid', async () => {
    const tenant = await newTenant();
    const withOpenAI = `${readFileSync(modelsFile, 'utf8').replace('models:\n', `models:
  - name: gpt-wire
    provider: openai-compatible
    endpoint: ${openai.url}/v1
    capabilities: [text, vision]
    max_context: 4096
    cost: { input_per_token: 0.000001, output_per_token: 0.000001 }
`)}`;
    writeFileSync(modelsFile, withOpenAI);
    await waitFor(async () => (await unary(client.client.generate(request(tenant, { requiredCapabilities: ['vision'] }))).catch(() => undefined))?.model === 'gpt-wire');

    writeFileSync(modelsFile, withOpenAI.replace('max_context: 4096', 'max_context: lots'));
    await waitFor(async () => (await svc.metrics.text()).body.includes('weaver_router_catalog_reloads_total{result="invalid",service="router"}'));
    const still = await unary(client.client.generate(request(tenant, { requiredCapabilities: ['vision'] })));
    expect(still.model).toBe('gpt-wire');
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A client that acts for the tenant each request names, sent as the call's tenant context
 * (metadata, which the router trusts; the field it ignores), as the agent runner does.
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
