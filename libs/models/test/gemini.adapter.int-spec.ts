import { ConnectionPools, type ModelAdapter } from '../src';
import { GeminiWireServer } from '@weaver/testing';
import { adapterFor, lookupTool } from './adapter-fixtures';
import { adapterContract } from './adapter-contract';

describe('gemini adapter (@google/genai) against the Gemini API wire format', () => {
  const server = new GeminiWireServer({ apiKey: 'goog-key', contextWindow: 200 });
  const pools = new ConnectionPools();
  let adapter: ModelAdapter;

  beforeAll(async () => {
    await server.start();
    adapter = adapterFor(pools, 'gemini', server.url, { apiKey: 'goog-key' });
  });
  afterEach(() => server.heal());
  afterAll(async () => {
    await pools.close();
    await server.stop();
  });

  // 'alpha' and 'beta gamma' estimated at 2 + 3 tokens: the Gemini API reports none for embeddings.
  adapterContract(server, () => adapter, { model: 'gemini-2.0-flash', retryAfter: true, embedTokens: 5 });

  it('sends systemInstruction, functionDeclarations, responseJsonSchema; streams over alt=sse; embeds in one batch', async () => {
    await adapter.generate({
      model: 'gemini-2.0-flash',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'q' }],
      tools: [lookupTool],
      jsonSchema: { name: 'x', schema: { type: 'object' } },
      maxTokens: 40,
    });
    const req = server.requests.at(-1)!;
    expect(req).toMatchObject({ path: '/v1beta/models/gemini-2.0-flash:generateContent', headers: { 'x-goog-api-key': 'goog-key' } });
    expect(req.body).toMatchObject({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      tools: [{ functionDeclarations: [{ name: 'lookup', parametersJsonSchema: lookupTool.parameters }] }],
      generationConfig: { maxOutputTokens: 40, responseMimeType: 'application/json', responseJsonSchema: { type: 'object' } },
    });
    for await (const _ of adapter.stream({ model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'q' }] })) void _;
    expect(server.requests.at(-1)!.path).toBe('/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');
    await adapter.embed({ model: 'text-embedding-004', texts: ['a', 'b'] });
    expect(server.requests.at(-1)).toMatchObject({ path: '/v1beta/models/text-embedding-004:batchEmbedContents', body: { requests: [{ content: { parts: [{ text: 'a' }] } }, { content: { parts: [{ text: 'b' }] } }] } });
  });
});
