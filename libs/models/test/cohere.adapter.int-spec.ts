import { ConnectionPools, type ModelAdapter } from '../src';
import { CohereWireServer } from '@weaver/testing';
import { adapterFor, lookupTool } from './adapter-fixtures';
import { adapterContract } from './adapter-contract';

describe('cohere adapter (cohere-ai CohereClientV2) against Cohere’s v2 chat / embed wire format', () => {
  const server = new CohereWireServer({ apiKey: 'co-key', contextWindow: 200 });
  const pools = new ConnectionPools();
  let adapter: ModelAdapter;

  beforeAll(async () => {
    await server.start();
    adapter = adapterFor(pools, 'cohere', server.url, { apiKey: 'co-key', options: { input_type: 'search_query' } });
  });
  afterEach(() => server.heal());
  afterAll(async () => {
    await pools.close();
    await server.stop();
  });

  adapterContract(server, () => adapter, { model: 'command-r', retryAfter: true });

  it('sends v2 bodies: tool results by tool_call_id, JSON schema in response_format, embed input_type and float', async () => {
    const first = await adapter.generate({ model: 'command-r', messages: [{ role: 'user', content: 'q' }], tools: [lookupTool] });
    const call = first.toolCalls[0]!;
    expect(call.id).toMatch(/^lookup_/);
    await adapter.generate({ model: 'command-r', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: '', toolCalls: [call] }, { role: 'tool', content: 'r', toolCallId: call.id }], jsonSchema: { name: 'x', schema: { type: 'object' } } });
    const chat = server.requests.at(-1)!;
    expect(chat).toMatchObject({ path: '/v2/chat', headers: { authorization: 'Bearer co-key' } });
    expect(chat.body).toMatchObject({ response_format: { type: 'json_object', json_schema: { type: 'object' } }, messages: [{}, { role: 'assistant', tool_calls: [{ id: call.id }] }, { role: 'tool', tool_call_id: call.id, content: 'r' }] });
    await adapter.embed({ model: 'embed-v4.0', texts: ['a'] });
    expect(server.requests.at(-1)!.body).toEqual({ model: 'embed-v4.0', texts: ['a'], input_type: 'search_query', embedding_types: ['float'] });
  });
});
