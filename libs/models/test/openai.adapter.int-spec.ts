import { ConnectionPools, ProviderError, type ModelAdapter } from '../src';
import { OpenAIWireServer } from '@weaver/testing';
import { adapterFor, collect, lookupTool } from './adapter-fixtures';

describe.each([
  ['openai', 'openai'],
  ['openai-compatible', 'vllm'],
] as const)('%s adapter against the OpenAI wire format', (provider, flavour) => {
  const server = new OpenAIWireServer({ apiKey: 'sk-test', contextWindow: 200, flavour });
  const pools = new ConnectionPools();
  let adapter: ModelAdapter;

  beforeAll(async () => {
    await server.start();
    adapter = adapterFor(pools, provider, `${server.url}/v1`);
  });
  afterEach(() => server.heal());
  afterAll(async () => {
    await pools.close();
    await server.stop();
  });

  it('generates text and maps system prompt, max tokens and usage', async () => {
    const out = await adapter.generate({ model: 'wire-model', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello there' }], maxTokens: 50 });
    expect(out).toMatchObject({ content: 'echo(wire-model): hello there', finishReason: 'stop', toolCalls: [], model: 'wire-model' });
    // wire tokens: words and punctuation marks
    expect(out.usage).toEqual({ inputTokens: 5, outputTokens: 9 });
    const body = server.requests.at(-1)!.body as Record<string, unknown>;
    expect(body['messages']).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello there' }]);
    expect(body[provider === 'openai' ? 'max_completion_tokens' : 'max_tokens']).toBe(50);
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer sk-test');
  });

  it('maps tool definitions out and tool calls back, and tool results in the next turn', async () => {
    const first = await adapter.generate({ model: 'wire-model', messages: [{ role: 'user', content: 'weather in Oslo' }], tools: [lookupTool] });
    expect(first.finishReason).toBe('tool_calls');
    expect(first.toolCalls).toEqual([{ id: expect.stringMatching(/^call_/), name: 'lookup', arguments: '{"input":"weather in Oslo"}' }]);
    expect((server.requests.at(-1)!.body as { tools: unknown }).tools).toEqual([{ type: 'function', function: lookupTool }]);

    const call = first.toolCalls[0]!;
    const second = await adapter.generate({
      model: 'wire-model',
      messages: [
        { role: 'user', content: 'weather in Oslo' },
        { role: 'assistant', content: '', toolCalls: [call] },
        { role: 'tool', content: 'rain, 7°C', toolCallId: call.id },
      ],
      tools: [lookupTool],
    });
    expect(second.content).toBe('tool said: rain, 7°C');
    const sent = (server.requests.at(-1)!.body as { messages: unknown[] }).messages;
    expect(sent[1]).toEqual({ role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: 'lookup', arguments: call.arguments } }] });
    expect(sent[2]).toEqual({ role: 'tool', content: 'rain, 7°C', tool_call_id: call.id });
  });

  it('asks for JSON output in JSON mode', async () => {
    const out = await adapter.generate({ model: 'wire-model', messages: [{ role: 'user', content: 'two words' }], jsonMode: true });
    expect(JSON.parse(out.content)).toEqual({ echo: 'two words', words: 2 });
    expect((server.requests.at(-1)!.body as { response_format: unknown }).response_format).toEqual({ type: 'json_object' });
  });

  it('sends a JSON Schema natively as response_format json_schema (structured output), streamed too', async () => {
    const jsonSchema = { name: 'echo', schema: { type: 'object', properties: { echo: { type: 'string' }, words: { type: 'integer' } }, required: ['echo', 'words'] } };
    const out = await adapter.generate({ model: 'wire-model', messages: [{ role: 'user', content: 'three small words' }], jsonSchema });
    expect(JSON.parse(out.content)).toEqual({ echo: 'three small words', words: 3 });
    const body = server.requests.at(-1)!.body as { response_format: unknown; messages: unknown[] };
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { ...jsonSchema, strict: false } });
    expect(body.messages).toEqual([{ role: 'user', content: 'three small words' }]); // no instruction needed
    const streamed = await collect(adapter.stream({ model: 'wire-model', messages: [{ role: 'user', content: 'three small words' }], jsonSchema }));
    expect(JSON.parse(streamed.text)).toEqual({ echo: 'three small words', words: 3 });
  });

  it('streams text and tool-call deltas with usage', async () => {
    const text = await collect(adapter.stream({ model: 'wire-model', messages: [{ role: 'user', content: 'stream me please' }] }));
    expect(text.text).toBe('echo(wire-model): stream me please');
    expect(text.finish).toMatchObject({ finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 10 } });
    const tools = await collect(adapter.stream({ model: 'wire-model', messages: [{ role: 'user', content: 'find x' }], tools: [lookupTool] }));
    expect(tools.toolCalls).toEqual([{ id: expect.stringMatching(/^call_/), name: 'lookup', arguments: '{"input":"find x"}' }]);
    expect(tools.finish?.finishReason).toBe('tool_calls');
  });

  it('embeds texts in order', async () => {
    const out = await adapter.embed({ model: 'wire-embed', texts: ['a', 'b b'] });
    expect(out.vectors).toHaveLength(2);
    expect(out.vectors[0]).toHaveLength(8);
    expect(out.vectors[0]).not.toEqual(out.vectors[1]);
    expect(out.usage.inputTokens).toBe(3);
  });

  it('reports 429 as rate-limit with Retry-After, 500 as unavailable, auth failures as auth', async () => {
    server.failNext(1, { type: 'rate-limit', retryAfterS: 3 });
    const limited = await adapter.generate({ model: 'wire-model', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ProviderError);
    expect(limited).toMatchObject({ kind: 'rate-limit', status: 429, retryAfterMs: 3000, retriable: true });

    server.failNext(1, { type: 'server-error' });
    await expect(adapter.generate({ model: 'wire-model', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ kind: 'unavailable', status: 500 });

    const wrongKey = adapterFor(pools, provider, `${server.url}/v1`, { apiKey: 'sk-wrong' });
    await expect(wrongKey.generate({ model: 'wire-model', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });

  it('reports a prompt beyond the context window as context-overflow', async () => {
    const long = 'word '.repeat(300);
    await expect(adapter.generate({ model: 'wire-model', messages: [{ role: 'user', content: long }] })).rejects.toMatchObject({ kind: 'context-overflow', status: 400, retriable: false });
  });

  it('times out a slow response and fails a stream broken midway', async () => {
    // The answer would come after 2 s and succeed: 'timeout' shows the 150 ms signal ended the call first (no clock check needed).
    server.failNext(1, { type: 'slow', delayMs: 2000 });
    await expect(adapter.generate({ model: 'wire-model', messages: [{ role: 'user', content: 'x' }], signal: AbortSignal.timeout(150) })).rejects.toMatchObject({ kind: 'timeout' });

    server.failNext(1, { type: 'mid-stream-error' });
    await expect(collect(adapter.stream({ model: 'wire-model', messages: [{ role: 'user', content: 'one two three four' }] }))).rejects.toMatchObject({ kind: 'unavailable' });
  });
});
