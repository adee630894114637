import { ConnectionPools, type ModelAdapter } from '../src';
import { MistralWireServer } from '@weaver/testing';
import { adapterFor, lookupTool } from './adapter-fixtures';
import { adapterContract } from './adapter-contract';

describe('mistral adapter (@mistralai/mistralai) against the Mistral API wire format', () => {
  const server = new MistralWireServer({ apiKey: 'mistral-key', contextWindow: 200 });
  const pools = new ConnectionPools();
  let adapter: ModelAdapter;

  beforeAll(async () => {
    await server.start();
    adapter = adapterFor(pools, 'mistral', server.url, { apiKey: 'mistral-key' });
  });
  afterEach(() => server.heal());
  afterAll(async () => {
    await pools.close();
    await server.stop();
  });

  adapterContract(server, () => adapter, { model: 'mistral-small-latest', retryAfter: true });

  it('sends snake_case bodies with bearer auth, native JSON Schema and tool_call_id', async () => {
    await adapter.generate({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'a b' }], maxTokens: 30, jsonSchema: { name: 'echo', schema: { type: 'object' } } });
    const req = server.requests.at(-1)!;
    expect(req).toMatchObject({ path: '/v1/chat/completions', headers: { authorization: 'Bearer mistral-key' } });
    expect(req.body).toMatchObject({ max_tokens: 30, response_format: { type: 'json_schema', json_schema: { name: 'echo', schema: { type: 'object' }, strict: false } } });
    const first = await adapter.generate({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'q' }], tools: [lookupTool] });
    expect(first.toolCalls[0]!.id).toMatch(/^[A-Za-z0-9]{9}$/);
    const call = first.toolCalls[0]!;
    await adapter.generate({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: '', toolCalls: [call] }, { role: 'tool', content: 'r', toolCallId: call.id }] });
    expect((server.requests.at(-1)!.body as { messages: unknown[] }).messages[2]).toMatchObject({ role: 'tool', content: 'r', tool_call_id: call.id });
  });
});
