import { ConnectionPools, type ModelAdapter } from '../src';
import { OllamaWireServer } from '@weaver/testing';
import { adapterFor, collect, lookupTool } from './adapter-fixtures';

describe('ollama adapter (ollama client) against Ollama’s native API (JSON and NDJSON)', () => {
  const server = new OllamaWireServer({ contextWindow: 200 });
  const pools = new ConnectionPools();
  let adapter: ModelAdapter;

  beforeAll(async () => {
    await server.start();
    adapter = adapterFor(pools, 'ollama', server.url, { apiKey: undefined });
  });
  afterEach(() => server.heal());
  afterAll(async () => {
    await pools.close();
    await server.stop();
  });

  it('chats on /api/chat with usage from prompt_eval_count / eval_count and options.num_predict', async () => {
    const out = await adapter.generate({ model: 'llama3.2', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello there' }], maxTokens: 20 });
    expect(out).toMatchObject({ content: 'echo(llama3.2): hello there', finishReason: 'stop', usage: { inputTokens: 5, outputTokens: 9 }, model: 'llama3.2' });
    expect(server.requests.at(-1)).toMatchObject({ path: '/api/chat', body: { stream: false, options: { num_predict: 20 } } });
  });

  it('maps tool calls both ways (tool results named by the tool) and JSON Schema as format', async () => {
    const first = await adapter.generate({ model: 'llama3.2', messages: [{ role: 'user', content: 'find x' }], tools: [lookupTool] });
    expect(first).toMatchObject({ finishReason: 'tool_calls', toolCalls: [{ id: 'call_1_0', name: 'lookup', arguments: '{"input":"find x"}' }] });
    const call = first.toolCalls[0]!;
    const second = await adapter.generate({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'find x' }, { role: 'assistant', content: '', toolCalls: [call] }, { role: 'tool', content: 'found', toolCallId: call.id }],
    });
    expect(second.content).toBe('tool said: found');
    expect((server.requests.at(-1)!.body as { messages: unknown[] }).messages[2]).toEqual({ role: 'tool', content: 'found', tool_name: 'lookup' });
    const schema = { type: 'object', properties: { echo: { type: 'string' } } };
    const json = await adapter.generate({ model: 'llama3.2', messages: [{ role: 'user', content: 'a b c' }], jsonSchema: { name: 'echo', schema } });
    expect(JSON.parse(json.content)).toEqual({ echo: 'a b c', words: 3 });
    expect((server.requests.at(-1)!.body as { format: unknown }).format).toEqual(schema);
  });

  it('streams NDJSON text and whole tool calls, usage from the done line', async () => {
    const text = await collect(adapter.stream({ model: 'llama3.2', messages: [{ role: 'user', content: 'stream me' }] }));
    expect(text).toMatchObject({ text: 'echo(llama3.2): stream me', finish: { finishReason: 'stop', usage: { inputTokens: 2, outputTokens: 9 } } });
    const tools = await collect(adapter.stream({ model: 'llama3.2', messages: [{ role: 'user', content: 'find y' }], tools: [lookupTool] }));
    expect(tools).toMatchObject({ toolCalls: [{ id: 'call_1_0', name: 'lookup', arguments: '{"input":"find y"}' }], finish: { finishReason: 'tool_calls' } });
  });

  it('embeds on /api/embed', async () => {
    const out = await adapter.embed({ model: 'all-minilm', texts: ['alpha', 'beta gamma'] });
    expect(out).toMatchObject({ usage: { inputTokens: 3, outputTokens: 0 }, model: 'all-minilm' });
    expect(out.vectors.map((v) => v.length)).toEqual([8, 8]);
  });

  it('maps server busy 503 (retriable), runner crash 500, context overflow, an in-stream error and a deadline', async () => {
    const msg = { model: 'llama3.2', messages: [{ role: 'user' as const, content: 'x' }] };
    server.failNext(1, { type: 'overloaded' });
    await expect(adapter.generate(msg)).rejects.toMatchObject({ kind: 'unavailable', retriable: true, status: 503 });
    server.failNext(1, { type: 'server-error' });
    await expect(adapter.generate(msg)).rejects.toMatchObject({ kind: 'unavailable', retriable: true, status: 500 });
    await expect(adapter.embed({ model: 'm', texts: ['word '.repeat(300)] })).rejects.toMatchObject({ kind: 'context-overflow', retriable: false, status: 400 });
    server.failNext(1, { type: 'mid-stream-error' });
    await expect(collect(adapter.stream({ model: 'llama3.2', messages: [{ role: 'user', content: 'one two three' }] }))).rejects.toMatchObject({ kind: 'unavailable', retriable: true });
    server.failNext(1, { type: 'slow', delayMs: 1000 });
    await expect(adapter.generate({ ...msg, signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ kind: 'timeout', retriable: true });
  });
});
