import { ConnectionPools, type ModelAdapter } from '../src';
import { TgiWireServer } from '@weaver/testing';
import { adapterFor, collect, lookupTool } from './adapter-fixtures';

describe('huggingface adapter against the TGI / TEI wire format', () => {
  const server = new TgiWireServer({ apiKey: 'hf_test', contextWindow: 200 });
  const pools = new ConnectionPools();
  let adapter: ModelAdapter;

  beforeAll(async () => {
    await server.start();
    adapter = adapterFor(pools, 'huggingface', server.url, { apiKey: 'hf_test' });
  });
  afterEach(() => server.heal());
  afterAll(async () => {
    await pools.close();
    await server.stop();
  });

  it('chats through the Messages API with usage and bearer auth', async () => {
    const out = await adapter.generate({ model: 'tgi', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello there' }], maxTokens: 20 });
    expect(out).toMatchObject({ content: 'echo(tgi): hello there', finishReason: 'stop', usage: { inputTokens: 5, outputTokens: 7 } });
    const req = server.requests.at(-1)!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer hf_test');
    expect(req.body).toMatchObject({ max_tokens: 20, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello there' }] });
  });

  it('maps tool calls both ways and JSON mode', async () => {
    const first = await adapter.generate({ model: 'tgi', messages: [{ role: 'user', content: 'find x' }], tools: [lookupTool] });
    expect(first.toolCalls).toEqual([{ id: expect.stringMatching(/^call_/), name: 'lookup', arguments: '{"input":"find x"}' }]);
    const call = first.toolCalls[0]!;
    const second = await adapter.generate({
      model: 'tgi',
      messages: [{ role: 'user', content: 'find x' }, { role: 'assistant', content: '', toolCalls: [call] }, { role: 'tool', content: 'found', toolCallId: call.id }],
    });
    expect(second.content).toBe('tool said: found');
    const json = await adapter.generate({ model: 'tgi', messages: [{ role: 'user', content: 'a b c' }], jsonMode: true });
    expect(JSON.parse(json.content)).toEqual({ echo: 'a b c', words: 3 });
  });

  it('sends a JSON Schema as an instruction with JSON mode (structured output)', async () => {
    const jsonSchema = { name: 'echo', schema: { type: 'object', properties: { echo: { type: 'string' }, words: { type: 'integer' } }, required: ['echo', 'words'] } };
    const out = await adapter.generate({ model: 'tgi', messages: [{ role: 'user', content: 'a b' }], jsonSchema });
    expect(JSON.parse(out.content)).toEqual({ echo: 'a b', words: 2 });
    const body = server.requests.at(-1)!.body as { response_format: unknown; messages: unknown[] };
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages[0]).toEqual({ role: 'system', content: `Answer with JSON only, matching this JSON Schema: ${JSON.stringify(jsonSchema.schema)}` });
  });

  it('streams text and tool-call deltas', async () => {
    const text = await collect(adapter.stream({ model: 'tgi', messages: [{ role: 'user', content: 'stream me' }] }));
    expect(text.text).toBe('echo(tgi): stream me');
    expect(text.finish).toMatchObject({ finishReason: 'stop', usage: { inputTokens: 2, outputTokens: 7 } });
    const tools = await collect(adapter.stream({ model: 'tgi', messages: [{ role: 'user', content: 'find y' }], tools: [lookupTool] }));
    expect(tools.toolCalls).toEqual([{ id: expect.stringMatching(/^call_/), name: 'lookup', arguments: '{"input":"find y"}' }]);
  });

  it('embeds through TEI /embed', async () => {
    const out = await adapter.embed({ model: 'tei', texts: ['alpha', 'beta'] });
    expect(server.requests.at(-1)!.path).toBe('/embed');
    expect(out.vectors).toHaveLength(2);
    expect(out.vectors[0]).toHaveLength(8);
  });

  it('maps overloaded 429 with retry-after, generation 500 and validation 422 (context)', async () => {
    const msg = { model: 'tgi', messages: [{ role: 'user' as const, content: 'x' }] };
    server.failNext(1, { type: 'rate-limit', retryAfterS: 1 });
    await expect(adapter.generate(msg)).rejects.toMatchObject({ kind: 'rate-limit', status: 429, retryAfterMs: 1000 });
    server.failNext(1, { type: 'server-error' });
    await expect(adapter.generate(msg)).rejects.toMatchObject({ kind: 'unavailable', status: 500 });
    await expect(adapter.generate({ model: 'tgi', messages: [{ role: 'user', content: 'word '.repeat(300) }] })).rejects.toMatchObject({ kind: 'context-overflow', status: 422 });
    server.failNext(1, { type: 'slow', delayMs: 1000 });
    await expect(adapter.generate({ ...msg, signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ kind: 'timeout' });
  });
});
