import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { Client } from 'pg';
import { GRPC_SERVICES, type router, type tenancy } from '@weaver/contracts';
import { grpcClient, mutualTlsAs, startServiceForTest, tenantMetadata, unary, type GrpcClientHandle, type RunningService } from '@weaver/service-kit';
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

/** The official OpenAI SDK as the client, against the router's OpenAI-compatible API (docs/router.md). */
describe('router: OpenAI-compatible API with the openai SDK', () => {
  let db: TestDatabase & ServiceUrls;
  let dir: string;
  let wire: OpenAIWireServer;
  let svc: RunningService<RouterConfig>;
  let tenancySvc: RunningService<TenancyConfig>;
  let operator: GrpcClientHandle<tenancy.TenancyServiceClient>;
  let routerAdmin: GrpcClientHandle<router.RouterServiceClient>;
  let pg: Client;

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), DATABASE_SCHEMAS);
    wire = await new OpenAIWireServer().start();
    dir = mkdtempSync(join(tmpdir(), 'router-openai-'));
    // One chat model and one embedding model behind the OpenAI wire server (priced, so budgets bite),
    // and the free stand-in for json (the only model with it: a request that asks for json goes there).
    writeFileSync(join(dir, 'models.yaml'), `version: 1
models:
  - name: gpt-wire
    provider: openai-compatible
    model: gpt-4o-mini
    endpoint: ${wire.url}/v1
    capabilities: [text, tools, streaming]
    max_context: 16000
    max_output_tokens: 256
    cost: { input_per_token: 0.000001, output_per_token: 0.000002 }
  - name: embed-wire
    provider: openai-compatible
    model: text-embedding-3-small
    endpoint: ${wire.url}/v1
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
`);
    tenancySvc = await startServiceForTest({
      service: 'tenancy',
      module: TenancyModule,
      configSchema: tenancyConfigSchema,
      grpc: [GRPC_SERVICES.tenancy, GRPC_SERVICES.policy],
      env: { DATABASE_URL: db.urlOf('tenancy'), DATABASE_POOL_SIZE: '2', ...testTlsEnv('tenancy') },
    });
    operator = grpcClient<tenancy.TenancyServiceClient>(GRPC_SERVICES.tenancy, tenancySvc.grpcUrl!, mutualTlsAs('operator', testTlsEnv('operator')));
    svc = await startServiceForTest({
      service: 'router',
      module: RouterModule,
      configSchema: routerConfigSchema,
      grpc: [GRPC_SERVICES.router],
      env: { DATABASE_URL: db.urlOf('router'), ROUTER_MODELS_FILE: join(dir, 'models.yaml'), WEAVER_KMS_KEYRING_FILE: join(dir, 'keyring.json'), TENANCY_URL: tenancySvc.grpcUrl!, AUDIT_RECORDER: 'log', ...testTlsEnv('router') },
    });
    routerAdmin = grpcClient<router.RouterServiceClient>(GRPC_SERVICES.router, svc.grpcUrl!, mutualTlsAs('operator', testTlsEnv('operator')));
    pg = new Client({ connectionString: db.ownerUrl });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    routerAdmin?.close();
    await svc?.close();
    operator?.close();
    await tenancySvc?.close();
    await wire?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh tenant and an OpenAI client holding its key. */
  const tenant = async (): Promise<{ tenantId: string; keyId: string; openai: OpenAI }> => {
    const created = await unary(operator.client.createTenant({ name: `t-${randomUUID().slice(0, 8)}` }));
    return { tenantId: created.tenant!.tenantId, keyId: created.keyId, openai: new OpenAI({ apiKey: created.apiKey, baseURL: `${svc.httpUrl}/v1`, maxRetries: 0 }) };
  };
  const ledger = async (tenantId: string) =>
    (await pg.query<{ workflow: string; agent: string; run_id: string; model: string; operation: string; idempotency_key: string | null }>('SELECT workflow, agent, run_id, model, operation, idempotency_key FROM router.usage_ledger WHERE tenant_id = $1 ORDER BY id', [tenantId])).rows;
  /** ResolveApiKey calls tenancy has answered, from its own metrics. */
  const resolutions = async (): Promise<number> =>
    [...(await tenancySvc.metrics.text()).body.matchAll(/grpc_server_calls_total\{[^}]*ResolveApiKey[^}]*\} (\d+)/gi)].reduce((n, m) => n + Number(m[1]), 0);
  const question = [{ role: 'user' as const, content: 'Kafka gives ordering per partition. Transactions make consume-process-produce atomic.' }];

  it('answers a chat completion, bills it to the key\'s tenant and attributes it from the x-weaver headers', async () => {
    const { tenantId, keyId, openai } = await tenant();
    const answer = await openai.chat.completions.create({ model: 'gpt-wire', messages: question });
    expect(answer).toMatchObject({ object: 'chat.completion', model: 'gpt-wire', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant' } }] });
    expect(answer.choices[0]?.message.content).toBeTruthy();
    expect(answer.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(answer.usage!.total_tokens).toBe(answer.usage!.prompt_tokens + answer.usage!.completion_tokens);
    const tagged = await openai.chat.completions.create({ model: 'auto', messages: question }, { headers: { 'x-weaver-workflow': 'support-bot', 'x-weaver-agent': 'triage', 'x-weaver-run-id': 'run-7' } });
    expect(tagged.model).toBe('gpt-wire'); // the cheapest capable model, by policy
    expect(await ledger(tenantId)).toEqual([
      { workflow: 'openai', agent: `key-${keyId}`, run_id: '', model: 'gpt-wire', operation: 'generate', idempotency_key: null },
      { workflow: 'support-bot', agent: 'triage', run_id: 'run-7', model: 'gpt-wire', operation: 'generate', idempotency_key: null },
    ]);
  });

  it('streams OpenAI chunks ending with [DONE], with the usage chunk when include_usage is asked', async () => {
    const { tenantId, openai } = await tenant();
    const stream = await openai.chat.completions.create({ model: 'gpt-wire', messages: question, stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text.length).toBeGreaterThan(0);
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(1); // deltas, not one block
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage!.completion_tokens).toBeGreaterThan(0);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    const plain = await openai.chat.completions.create({ model: 'gpt-wire', messages: question, stream: true });
    const plainChunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of plain) plainChunks.push(c);
    expect(plainChunks.some((c) => c.usage)).toBe(false);
    // On the wire: server-sent events, the last one `data: [DONE]`.
    const raw = await fetch(`${svc.httpUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${openai.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-wire', messages: question, stream: true }) });
    expect(raw.headers.get('content-type')).toContain('text/event-stream');
    const events = (await raw.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(events.slice(0, -1).every((e) => e.startsWith('data: {'))).toBe(true);
    expect((await ledger(tenantId)).map((r) => r.operation)).toEqual(['stream', 'stream', 'stream']);
  });

  it('embeds (base64 as the SDK asks by default, and float), and lists the catalogue and auto', async () => {
    const { tenantId, openai } = await tenant();
    const byDefault = await openai.embeddings.create({ model: 'embed-wire', input: ['first text', 'second text'] });
    const floats = await openai.embeddings.create({ model: 'auto', input: 'first text', encoding_format: 'float' });
    expect(byDefault.data.map((d) => d.index)).toEqual([0, 1]);
    expect(byDefault.data[0]!.embedding.length).toBeGreaterThan(0);
    expect(floats.model).toBe('embed-wire');
    // A named model is the router's first choice, as on gRPC: one that cannot embed is replaced by one that can, and the answer names it.
    expect((await openai.embeddings.create({ model: 'gpt-wire', input: 'x', encoding_format: 'float' })).model).toBe('embed-wire');
    expect(floats.data[0]!.embedding[0]).toBeCloseTo(byDefault.data[0]!.embedding[0]!, 5);
    expect(byDefault.usage.prompt_tokens).toBeGreaterThan(0);
    expect((await ledger(tenantId)).map((r) => [r.operation, r.model])).toEqual([['embed', 'embed-wire'], ['embed', 'embed-wire'], ['embed', 'embed-wire']]);
    const ids: string[] = [];
    for await (const m of openai.models.list()) ids.push(m.id);
    expect(ids.sort()).toEqual(['auto', 'embed-wire', 'gpt-wire', 'local-deterministic']);
  });

  it('refuses a bad key (401), a bad parameter (400 naming it) and an unknown model (404), before billing', async () => {
    const { tenantId, openai } = await tenant();
    const stranger = new OpenAI({ apiKey: `wv_${'x'.repeat(32)}`, baseURL: `${svc.httpUrl}/v1`, maxRetries: 0 });
    await expect(stranger.chat.completions.create({ model: 'auto', messages: question })).rejects.toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
    await expect(stranger.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(openai.chat.completions.create({ model: 'auto', messages: question, temperature: 7 })).rejects.toMatchObject({ status: 400, param: 'temperature' });
    await expect(openai.chat.completions.create({ model: 'auto', messages: [] })).rejects.toMatchObject({ status: 400, param: 'messages' });
    await expect(openai.chat.completions.create({ model: 'auto', messages: [{ role: 'tool', content: 'x' } as never] })).rejects.toMatchObject({ status: 400, param: 'messages[0].tool_call_id' });
    await expect(openai.chat.completions.create({ model: 'gpt-5-imaginary', messages: question })).rejects.toMatchObject({ status: 404, param: 'model', code: 'model_not_found' });
    expect(await ledger(tenantId)).toEqual([]);
  });

  it('refuses a call the tenant\'s budget cannot cover (402 insufficient_quota), without a provider call', async () => {
    const { tenantId, openai } = await tenant();
    await unary(routerAdmin.client.setBudget({ tenantId, limitUsd: 0.0001, resetSpent: false }, tenantMetadata(tenantId)));
    const before = wire.requests.length;
    // Worst case: the prompt plus max_tokens at the output price, far above $0.0001.
    await expect(openai.chat.completions.create({ model: 'gpt-wire', messages: question, max_tokens: 200 })).rejects.toMatchObject({ status: 402, type: 'insufficient_quota', code: 'insufficient_quota' });
    await expect(openai.chat.completions.create({ model: 'gpt-wire', messages: question, max_tokens: 200, stream: true })).rejects.toMatchObject({ status: 402 });
    expect(wire.requests.length).toBe(before);
    expect(await ledger(tenantId)).toEqual([]);
  });

  it('answers a repeated Idempotency-Key from the record: same id and answer, one ledger row, one provider call', async () => {
    const { tenantId, openai } = await tenant();
    const headers = { 'Idempotency-Key': `order-${randomUUID()}` };
    const before = wire.requests.length;
    const first = await openai.chat.completions.create({ model: 'gpt-wire', messages: question }, { headers });
    const again = await openai.chat.completions.create({ model: 'gpt-wire', messages: question }, { headers });
    expect(again.id).toBe(first.id);
    expect(again.choices).toEqual(first.choices);
    expect((again as unknown as { weaver: { replayed: boolean } }).weaver.replayed).toBe(true);
    expect(wire.requests.length).toBe(before + 1);
    // A different request under the same key is refused, naming the header.
    await expect(openai.chat.completions.create({ model: 'gpt-wire', messages: [{ role: 'user', content: 'something else' }] }, { headers })).rejects.toMatchObject({ status: 400, param: 'Idempotency-Key' });
    const rows = await ledger(tenantId);
    expect(rows).toEqual([expect.objectContaining({ idempotency_key: `openai:${headers['Idempotency-Key']}`, operation: 'generate' })]);
  });

  it('resolves a key through tenancy once, then from the resolution cache', async () => {
    const { openai } = await tenant();
    await openai.models.list();
    const warm = await resolutions();
    expect(warm).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) await openai.chat.completions.create({ model: 'gpt-wire', messages: question });
    expect(await resolutions()).toBe(warm);
  });
});
