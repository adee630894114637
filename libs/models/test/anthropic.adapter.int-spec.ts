import { ConnectionPools, type ModelAdapter } from '../src';
import { AnthropicWireServer } from '@weaver/testing';
import { adapterFor, collect, lookupTool } from './adapter-fixtures';

describe('anthropic adapter against the Messages API wire format', () => {
  const server = new AnthropicWireServer({ apiKey: 'sk-ant-test', contextWindow: 200 });
  const pools = new ConnectionPools();
  let adapter: ModelAdapter;

  beforeAll(async () => {
    await server.start();
    adapter = adapterFor(pools, 'anthropic', server.url, { apiKey: 'sk-ant-test' });
  });
  afterEach(() => server.heal());
  afterAll(async () => {
    await pools.close();
    await server.stop();
  });

  it('moves system prompts to `system`, defaults max_tokens, sends the key and API version', async () => {
    const out = await adapter.generate({ model: 'claude-wire', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello there' }] });
    expect(out).toMatchObject({ content: 'echo(claude-wire): hello there', finishReason: 'stop', usage: { inputTokens: 5, outputTokens: 9 } });
    const req = server.requests.at(-1)!;
    expect(req.body).toMatchObject({ system: 'Be brief.', max_tokens: 256, messages: [{ role: 'user', content: [{ type: 'text', text: 'hello there' }] }] });
    expect(req.headers['x-api-key'] ?? req.headers.authorization?.replace('Bearer ', '')).toBe('sk-ant-test');
    expect(req.headers['anthropic-version']).toBeDefined();
  });

  it('maps tools to input_schema, tool_use back to tool calls, and tool results to tool_result blocks', async () => {
    const first = await adapter.generate({ model: 'claude-wire', messages: [{ role: 'user', content: 'weather in Oslo' }], tools: [lookupTool] });
    expect(first.finishReason).toBe('tool_calls');
    expect(first.toolCalls).toEqual([{ id: expect.stringMatching(/^toolu_/), name: 'lookup', arguments: '{"input":"weather in Oslo"}' }]);
    expect((server.requests.at(-1)!.body as { tools: unknown }).tools).toEqual([{ name: 'lookup', description: 'Look something up', input_schema: lookupTool.parameters }]);

    const call = first.toolCalls[0]!;
    const second = await adapter.generate({
      model: 'claude-wire',
      messages: [
        { role: 'user', content: 'weather in Oslo' },
        { role: 'assistant', content: '', toolCalls: [call] },
        { role: 'tool', content: 'rain', toolCallId: call.id },
      ],
      tools: [lookupTool],
    });
    expect(second.content).toBe('tool said: rain');
    const sent = (server.requests.at(-1)!.body as { messages: unknown[] }).messages;
    expect(sent[1]).toEqual({ role: 'assistant', content: [{ type: 'tool_use', id: call.id, name: 'lookup', input: { input: 'weather in Oslo' } }] });
    expect(sent[2]).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'rain' }] });
  });

  it('gets JSON through an assistant prefill and returns the whole object', async () => {
    const out = await adapter.generate({ model: 'claude-wire', messages: [{ role: 'user', content: 'two words' }], jsonMode: true });
    expect(JSON.parse(out.content)).toEqual({ echo: 'two words', words: 2 });
    const streamed = await collect(adapter.stream({ model: 'claude-wire', messages: [{ role: 'user', content: 'two words' }], jsonMode: true }));
    expect(JSON.parse(streamed.text)).toEqual({ echo: 'two words', words: 2 });
  });

  it('has no structured-output flag: the JSON Schema goes in as an instruction, JSON through the prefill', async () => {
    const jsonSchema = { name: 'echo', schema: { type: 'object', properties: { echo: { type: 'string' }, words: { type: 'integer' } }, required: ['echo', 'words'] } };
    const out = await adapter.generate({ model: 'claude-wire', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'two words' }], jsonSchema });
    expect(JSON.parse(out.content)).toEqual({ echo: 'two words', words: 2 });
    const body = server.requests.at(-1)!.body as { system: string; messages: unknown[] };
    expect(body.system).toBe(`Be brief.\n\nAnswer with JSON only, matching this JSON Schema: ${JSON.stringify(jsonSchema.schema)}`);
    expect(body.messages.at(-1)).toEqual({ role: 'assistant', content: '{' });
  });

  it('streams text deltas and input_json_delta tool arguments with usage', async () => {
    const text = await collect(adapter.stream({ model: 'claude-wire', messages: [{ role: 'user', content: 'stream me please' }] }));
    expect(text.text).toBe('echo(claude-wire): stream me please');
    expect(text.finish).toMatchObject({ finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 10 }, model: 'claude-wire' });
    const tools = await collect(adapter.stream({ model: 'claude-wire', messages: [{ role: 'user', content: 'find x' }], tools: [lookupTool] }));
    expect(tools.toolCalls).toEqual([{ id: expect.stringMatching(/^toolu_/), name: 'lookup', arguments: '{"input":"find x"}' }]);
    expect(tools.finish?.finishReason).toBe('tool_calls');
  });

  it('maps rate_limit_error with retry-after, overloaded_error (529), api_error and prompt-too-long', async () => {
    const msg = { model: 'claude-wire', messages: [{ role: 'user' as const, content: 'x' }] };
    server.failNext(1, { type: 'rate-limit', retryAfterS: 2 });
    await expect(adapter.generate(msg)).rejects.toMatchObject({ kind: 'rate-limit', status: 429, retryAfterMs: 2000 });
    server.failNext(1, { type: 'overloaded' });
    await expect(adapter.generate(msg)).rejects.toMatchObject({ kind: 'unavailable', status: 529 });
    server.failNext(1, { type: 'server-error' });
    await expect(adapter.generate(msg)).rejects.toMatchObject({ kind: 'unavailable', status: 500 });
    await expect(adapter.generate({ model: 'claude-wire', messages: [{ role: 'user', content: 'word '.repeat(300) }] })).rejects.toMatchObject({ kind: 'context-overflow' });
  });

  it('fails a stream on an in-stream error event, and refuses embeddings as unsupported', async () => {
    server.failNext(1, { type: 'mid-stream-error' });
    await expect(collect(adapter.stream({ model: 'claude-wire', messages: [{ role: 'user', content: 'one two three four' }] }))).rejects.toMatchObject({ kind: 'unavailable' });
    await expect(adapter.embed({ model: 'claude-wire', texts: ['a'] })).rejects.toMatchObject({ kind: 'unsupported' });
  });
});
