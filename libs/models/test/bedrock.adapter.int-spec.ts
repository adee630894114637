import { ConnectionPools, type ModelAdapter } from '../src';
import { BedrockWireServer } from '@weaver/testing';
import { adapterFor, lookupTool } from './adapter-fixtures';
import { adapterContract } from './adapter-contract';

describe('bedrock adapter (@aws-sdk/client-bedrock-runtime Converse) against Bedrock’s wire format, SigV4-verified', () => {
  const server = new BedrockWireServer({ accessKeyId: 'AKIDWIRETEST', secretAccessKey: 'wire/secret+key', contextWindow: 200 });
  const pools = new ConnectionPools();
  let adapter: ModelAdapter;

  beforeAll(async () => {
    await server.start();
    adapter = adapterFor(pools, 'bedrock', server.url, { apiKey: 'AKIDWIRETEST:wire/secret+key', options: { region: 'eu-west-1' } });
  });
  afterEach(() => server.heal());
  afterAll(async () => {
    await adapter.close();
    await pools.close();
    await server.stop();
  });

  adapterContract(server, () => adapter, { model: 'anthropic.claude-3-5-haiku-20241022-v1:0' });

  it('signs for service bedrock in the configured region and sends Converse bodies', async () => {
    await adapter.generate({ model: 'anthropic.claude-3-5-haiku-20241022-v1:0', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'q' }], tools: [lookupTool], maxTokens: 30 });
    expect(server.lastSignature).toEqual({ region: 'eu-west-1', service: 'bedrock' });
    const req = server.requests.at(-1)!;
    expect(req.path).toBe('/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse');
    expect(req.body).toMatchObject({
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'q' }] }],
      toolConfig: { tools: [{ toolSpec: { name: 'lookup', inputSchema: { json: lookupTool.parameters } } }] },
      inferenceConfig: { maxTokens: 30 },
    });
  });

  it('refuses a wrong secret as auth (the signature does not match), not retriable', async () => {
    const wrong = adapterFor(pools, 'bedrock', server.url, { apiKey: 'AKIDWIRETEST:not-the-secret' });
    await expect(wrong.generate({ model: 'm', messages: [{ role: 'user', content: 'q' }] })).rejects.toMatchObject({ kind: 'auth', retriable: false, status: 403 });
    await wrong.close();
  });
});
