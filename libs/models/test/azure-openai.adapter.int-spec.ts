import { ConnectionPools, type ModelAdapter } from '../src';
import { AzureOpenAIWireServer } from '@weaver/testing';
import { adapterFor, collect, lookupTool } from './adapter-fixtures';

describe('azure-openai adapter (AzureOpenAI client) against the Azure OpenAI wire format', () => {
  const server = new AzureOpenAIWireServer({ apiKey: 'azure-key', contextWindow: 200 });
  const pools = new ConnectionPools();
  let adapter: ModelAdapter;

  beforeAll(async () => {
    await server.start();
    adapter = adapterFor(pools, 'azure-openai', server.url, { apiKey: 'azure-key', model: 'gpt4o-prod', options: { api_version: '2024-10-21' } });
  });
  afterEach(() => server.heal());
  afterAll(async () => {
    await pools.close();
    await server.stop();
  });

  it('chats on the deployment route with api-version and the api-key header, usage mapped', async () => {
    const out = await adapter.generate({ model: 'gpt4o-prod', messages: [{ role: 'user', content: 'hello azure' }], maxTokens: 20 });
    expect(out).toMatchObject({ content: 'echo(gpt4o-prod): hello azure', finishReason: 'stop', usage: { inputTokens: 2, outputTokens: 9 } });
    const req = server.requests.at(-1)!;
    expect(req.path).toBe('/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21');
    expect(req.headers['api-key']).toBe('azure-key');
    expect(req.body).toMatchObject({ max_completion_tokens: 20 });
  });

  it('streams text and tool-call deltas with usage', async () => {
    const text = await collect(adapter.stream({ model: 'gpt4o-prod', messages: [{ role: 'user', content: 'stream me' }] }));
    expect(text).toMatchObject({ text: 'echo(gpt4o-prod): stream me', finish: { finishReason: 'stop', usage: { inputTokens: 2, outputTokens: 9 } } });
    const tools = await collect(adapter.stream({ model: 'gpt4o-prod', messages: [{ role: 'user', content: 'find y' }], tools: [lookupTool] }));
    expect(tools.toolCalls).toEqual([{ id: expect.stringMatching(/^call_/), name: 'lookup', arguments: '{"input":"find y"}' }]);
  });

  it('embeds on the deployment embeddings route', async () => {
    const out = await adapter.embed({ model: 'gpt4o-prod', texts: ['a', 'b c'] });
    expect(out.vectors).toHaveLength(2);
    expect(out.usage).toEqual({ inputTokens: 3, outputTokens: 0 });
    expect(server.requests.at(-1)!.path).toBe('/openai/deployments/gpt4o-prod/embeddings?api-version=2024-10-21');
  });

  it('maps 429 (retriable, retry-after), 500, a wrong key and context overflow', async () => {
    const msg = { model: 'gpt4o-prod', messages: [{ role: 'user' as const, content: 'x' }] };
    server.failNext(1, { type: 'rate-limit', retryAfterS: 2 });
    await expect(adapter.generate(msg)).rejects.toMatchObject({ kind: 'rate-limit', retriable: true, retryAfterMs: 2000 });
    server.failNext(1, { type: 'server-error' });
    await expect(adapter.generate(msg)).rejects.toMatchObject({ kind: 'unavailable', retriable: true, status: 500 });
    server.failNext(1, { type: 'unauthorized' });
    await expect(adapter.generate(msg)).rejects.toMatchObject({ kind: 'auth', retriable: false });
    await expect(adapter.generate({ ...msg, messages: [{ role: 'user', content: 'word '.repeat(300) }] })).rejects.toMatchObject({ kind: 'context-overflow', retriable: false });
  });
});
