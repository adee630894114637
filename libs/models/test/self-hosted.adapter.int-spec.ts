import { ConnectionPools, type ModelAdapter } from '../src';
import { OpenAIWireServer, TgiWireServer } from '@weaver/testing';
import { adapterFor } from './adapter-fixtures';
import { adapterContract } from './adapter-contract';

// vLLM and the plan's `provider: "self-hosted"` are OpenAI-compatible servers: the same adapter
// under their own names, against a server that renders errors as vLLM does.
describe.each(['vllm', 'self-hosted'])('%s adapter against a vLLM OpenAI-compatible server', (provider) => {
  const server = new OpenAIWireServer({ flavour: 'vllm', contextWindow: 200 });
  const pools = new ConnectionPools();
  let adapter: ModelAdapter;

  beforeAll(async () => {
    await server.start();
    adapter = adapterFor(pools, provider, `${server.url}/v1`, { apiKey: undefined });
  });
  afterEach(() => server.heal());
  afterAll(async () => {
    await pools.close();
    await server.stop();
  });

  adapterContract(server, () => adapter, { model: 'Qwen/Qwen2.5-7B-Instruct', retryAfter: true });

  it(`names itself ${provider} in errors and sends the older max_tokens field without a key`, async () => {
    expect(adapter.provider).toBe(provider);
    await adapter.generate({ model: 'm', messages: [{ role: 'user', content: 'q' }], maxTokens: 9 });
    expect(server.requests.at(-1)).toMatchObject({ path: '/v1/chat/completions', headers: { authorization: 'Bearer none' }, body: { max_tokens: 9 } });
    server.failNext(1, { type: 'server-error' });
    await expect(adapter.generate({ model: 'm', messages: [{ role: 'user', content: 'q' }] })).rejects.toThrow(new RegExp(`^${provider}: `));
  });
});

describe('tei adapter (Text Embeddings Inference) against TEI’s /embed', () => {
  const server = new TgiWireServer({ apiKey: 'hf_tei' });
  const pools = new ConnectionPools();
  let adapter: ModelAdapter;

  beforeAll(async () => {
    await server.start();
    adapter = adapterFor(pools, 'tei', server.url, { apiKey: 'hf_tei' });
  });
  afterEach(() => server.heal());
  afterAll(async () => {
    await pools.close();
    await server.stop();
  });

  it('embeds on /embed with bearer auth, billing the estimate (TEI reports no usage)', async () => {
    const out = await adapter.embed({ model: 'BAAI/bge-small-en-v1.5', texts: ['alpha', 'beta gamma'] });
    expect(out.vectors.map((v) => v.length)).toEqual([8, 8]);
    expect(out.usage).toEqual({ inputTokens: 5, outputTokens: 0 });
    expect(server.requests.at(-1)).toMatchObject({ path: '/embed', headers: { authorization: 'Bearer hf_tei' }, body: { inputs: ['alpha', 'beta gamma'] } });
  });

  it('refuses chat as unsupported (not retriable) and maps overloaded 429 as retriable under its own name', async () => {
    await expect(adapter.generate({ model: 'm', messages: [{ role: 'user', content: 'q' }] })).rejects.toMatchObject({ kind: 'unsupported', retriable: false });
    server.failNext(1, { type: 'rate-limit', retryAfterS: 1 });
    await expect(adapter.embed({ model: 'm', texts: ['a'] })).rejects.toMatchObject({ kind: 'rate-limit', retriable: true, retryAfterMs: 1000, provider: 'tei' });
  });
});
