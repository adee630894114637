import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { tenantMetadata, unary } from '@weaver/service-kit';
import { startOpenAiRouter, type OpenAiRouterFixture } from './openai-fixture';

/** The official OpenAI SDK as the client, against the router's OpenAI-compatible API (docs/router.md). */
describe('router: OpenAI-compatible API with the openai SDK', () => {
  let f: OpenAiRouterFixture;
  beforeAll(async () => {
    f = await startOpenAiRouter();
  });
  afterAll(() => f?.close());
  const tenant = () => f.tenant();
  const ledger = (tenantId: string) => f.ledger(tenantId);
  /** ResolveApiKey calls tenancy has answered, from its own metrics. */
  const resolutions = async (): Promise<number> =>
    [...(await f.tenancy.metrics.text()).body.matchAll(/grpc_server_calls_total\{[^}]*ResolveApiKey[^}]*\} (\d+)/gi)].reduce((n, m) => n + Number(m[1]), 0);
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
    const raw = await fetch(`${f.router.httpUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${openai.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-wire', messages: question, stream: true }) });
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
    expect(ids.sort()).toEqual(['auto', 'embed-wire', 'gpt-wire', 'local-deterministic', 'onprem-wire']);
  });

  it('refuses a bad key (401), a bad parameter (400 naming it) and an unknown model (404), before billing', async () => {
    const { tenantId, openai } = await tenant();
    const stranger = new OpenAI({ apiKey: `wv_${'x'.repeat(32)}`, baseURL: `${f.router.httpUrl}/v1`, maxRetries: 0 });
    await expect(stranger.chat.completions.create({ model: 'auto', messages: question })).rejects.toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
    await expect(stranger.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(openai.chat.completions.create({ model: 'auto', messages: question, temperature: 7 })).rejects.toMatchObject({ status: 400, param: 'temperature' });
    await expect(openai.chat.completions.create({ model: 'auto', messages: [] })).rejects.toMatchObject({ status: 400, param: 'messages' });
    await expect(openai.chat.completions.create({ model: 'auto', messages: [{ role: 'tool', content: 'x' } as never] })).rejects.toMatchObject({ status: 400, param: 'messages[0].tool_call_id' });
    await expect(openai.chat.completions.create({ model: 'gpt-5-imaginary', messages: question })).rejects.toMatchObject({ status: 404, param: 'model', code: 'model_not_found' });
    // A body that is not JSON: 400 in OpenAI's shape too.
    const raw = await fetch(`${f.router.httpUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${openai.apiKey}`, 'content-type': 'application/json' }, body: '{"model": ' });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    const unknown = await fetch(`${f.router.httpUrl}/v1/assistants`, { headers: { authorization: `Bearer ${openai.apiKey}` } });
    expect([unknown.status, ((await unknown.json()) as { error: { code: string } }).error.code]).toEqual([404, 'unknown_url']);
    expect(await ledger(tenantId)).toEqual([]);
  });

  it('refuses a call the tenant\'s budget cannot cover (402 insufficient_quota), without a provider call', async () => {
    const { tenantId, openai } = await tenant();
    await unary(f.routerAdmin.client.setBudget({ tenantId, limitUsd: 0.0001, resetSpent: false }, tenantMetadata(tenantId)));
    const before = f.wire.requests.length;
    // Worst case: the prompt plus max_tokens at the output price, far above $0.0001.
    await expect(openai.chat.completions.create({ model: 'gpt-wire', messages: question, max_tokens: 200 })).rejects.toMatchObject({ status: 402, type: 'insufficient_quota', code: 'insufficient_quota' });
    await expect(openai.chat.completions.create({ model: 'gpt-wire', messages: question, max_tokens: 200, stream: true })).rejects.toMatchObject({ status: 402 });
    expect(f.wire.requests.length).toBe(before);
    expect(await ledger(tenantId)).toEqual([]);
  });

  it('answers a repeated Idempotency-Key from the record: same id and answer, one ledger row, one provider call', async () => {
    const { tenantId, openai } = await tenant();
    const headers = { 'Idempotency-Key': `order-${randomUUID()}` };
    const before = f.wire.requests.length;
    const first = await openai.chat.completions.create({ model: 'gpt-wire', messages: question }, { headers });
    const again = await openai.chat.completions.create({ model: 'gpt-wire', messages: question }, { headers });
    expect(again.id).toBe(first.id);
    expect(again.choices).toEqual(first.choices);
    expect((again as unknown as { weaver: { replayed: boolean } }).weaver.replayed).toBe(true);
    expect(f.wire.requests.length).toBe(before + 1);
    // A different request under the same key is refused, naming the header.
    await expect(openai.chat.completions.create({ model: 'gpt-wire', messages: [{ role: 'user', content: 'something else' }] }, { headers })).rejects.toMatchObject({ status: 400, param: 'Idempotency-Key' });
    const rows = await ledger(tenantId);
    expect(rows).toEqual([expect.objectContaining({ idempotency_key: `openai:${headers['Idempotency-Key']}`, operation: 'generate' })]);
  });

  it('replays a streamed call with the same Idempotency-Key as one delta of the recorded answer', async () => {
    const { tenantId, openai } = await tenant();
    const headers = { 'Idempotency-Key': `stream-${randomUUID()}` };
    const read = async (): Promise<{ id: string; text: string; deltas: number }> => {
      const stream = await openai.chat.completions.create({ model: 'gpt-wire', messages: question, stream: true }, { headers });
      let id = '';
      let text = '';
      let deltas = 0;
      for await (const c of stream) {
        id = c.id;
        const piece = c.choices[0]?.delta.content;
        if (!piece) continue;
        text += piece;
        deltas++;
      }
      return { id, text, deltas };
    };
    const first = await read();
    const again = await read();
    expect(again).toEqual({ id: first.id, text: first.text, deltas: 1 });
    expect(await ledger(tenantId)).toHaveLength(1);
  });

  it('refuses a call beyond the tenant\'s tokens_per_day with 429, Retry-After and no SDK retry', async () => {
    const { tenantId, openai } = await tenant();
    await unary(f.operator.client.setQuotas({ tenantId, set: { tokensPerDay: 50 }, reset: [] }, tenantMetadata(tenantId)));
    const refused = await openai.chat.completions.create({ model: 'gpt-wire', messages: question, max_tokens: 100 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'tokens_per_day' });
    const headers = (refused as InstanceType<typeof OpenAI.APIError>).headers!;
    expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
    // The next UTC midnight is more than a minute away except in the minute before it.
    if (Number(headers.get('retry-after')) > 60) expect(headers.get('x-should-retry')).toBe('false');
    expect(await ledger(tenantId)).toEqual([]);
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
