import { randomUUID } from 'node:crypto';
import { createLogger } from '@weaver/observability';
import { OpenAIWireServer } from '@weaver/testing';
import { startRouterFixture, type RouterFixture } from './router-fixture';
import { ModelRouter, NoCapableModelError, parseModelsFile, type EmbedCallRequest } from '../src';

const PER_TOKEN = 0.0000001;
const EMBEDDERS = (openai: string) => `
version: 1
models:
  - name: embed-wire
    provider: openai
    endpoint: ${openai}
    api_key_env: OPENAI_KEY
    capabilities: [embeddings]
    max_context: 8000
    cost: { input_per_token: ${PER_TOKEN}, output_per_token: 0 }
  - name: chat-only
    provider: anthropic
    endpoint: http://127.0.0.1:9
    api_key_env: OPENAI_KEY
    capabilities: [text]
    max_context: 8000
    cost: { input_per_token: 0.000001, output_per_token: 0.000001 }
`;

const embedCall = (tenantId: string, texts: string[], over: Partial<EmbedCallRequest> = {}): EmbedCallRequest => ({
  tenantId,
  workflow: 'memory',
  agent: 'librarian',
  runId: 'run-1',
  step: 'remember',
  classification: [],
  texts,
  ...over,
});

/** Wire tokens of a text as the OpenAI wire server counts them (words and punctuation marks). */
const wireTokens = (t: string): number => t.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0;

describe('embeddings through the router: idempotent, coalesced per model, billed per caller', () => {
  let fx: RouterFixture;
  let server: OpenAIWireServer;
  let router: ModelRouter;
  const embedRequests = () => server.requests.filter((r) => r.path.endsWith('/embeddings'));

  beforeAll(async () => {
    fx = await startRouterFixture();
    server = await new OpenAIWireServer({ apiKey: 'sk-openai' }).start();
    router = new ModelRouter({
      file: parseModelsFile(EMBEDDERS(`${server.url}/v1`), 'embedders.yaml'),
      env: { OPENAI_KEY: 'sk-openai' },
      dataSource: fx.ds,
      metrics: fx.metrics,
      logger: createLogger('router-test', { level: 'silent' }),
      // One provider request per model in flight: calls arriving meanwhile form the next one.
      embedBatching: { lingerMs: 3, maxInFlightPerModel: 1 },
    });
  });
  afterAll(async () => {
    await router?.close();
    await server?.stop();
    await fx?.close();
  });

  it('coalesces concurrent calls of two tenants into one provider request, each gets its own vectors and pays its share', async () => {
    const [acme, globex] = [randomUUID(), randomUUID()];
    const alone = await router.embed(embedCall(acme, ['warm up the connection']));
    const before = embedRequests().length;
    // Hold the first request at the provider, so every other call queues behind it (no timing).
    const held = server.holdNext('/embeddings');
    const first = router.embed(embedCall(acme, ['first call goes alone']));
    await held.reached;
    const texts = Array.from({ length: 10 }, (_, i) => [`text ${i} about kafka partitions`, ...(i % 2 ? [`and a second text, number ${i}, with more words in it`] : [])]);
    const calls = texts.map((t, i) => router.embed(embedCall(i % 2 ? globex : acme, t, { runId: `run-${i}` })));
    while (router.embedStats().queued < calls.length) await new Promise((r) => setTimeout(r, 5));
    held.release();
    const results = await Promise.all([first, ...calls]);

    expect(embedRequests().length - before).toBe(2); // 11 calls, 2 provider requests
    // Every text of the ten queued calls in the second request (in the order their claims settled).
    expect([...(embedRequests().at(-1)!.body as { input: string[] }).input].sort()).toEqual(texts.flat().sort());
    // Each caller gets the vectors of its own texts, in order: what it would get alone.
    for (const [i, t] of texts.entries()) {
      const own = await router.embed(embedCall(acme, t, { runId: `check-${i}` }));
      expect(results[i + 1]!.vectors).toEqual(own.vectors);
    }
    // Shares add up to what the provider reported for the coalesced request, and each is billed at the model's price.
    const total = texts.flat().reduce((n, t) => n + wireTokens(t), 0);
    expect(results.slice(1).reduce((n, r) => n + r.inputTokens, 0)).toBe(total);
    for (const r of results) expect(r.costUsd).toBeCloseTo(r.inputTokens * PER_TOKEN, 12);
    const globexRows = (await router.getUsage(globex, {})).rows;
    const globexTokens = results.slice(1).filter((_, i) => i % 2).reduce((n, r) => n + r.inputTokens, 0);
    expect(globexRows).toEqual([expect.objectContaining({ model: 'embed-wire', requests: 5, inputTokens: globexTokens, outputTokens: 0 })]);
    expect(alone.replayed).toBe(false);
  });

  it('answers a repeated idempotency key from its record, without a provider request or a second bill', async () => {
    const tenant = randomUUID();
    const req = embedCall(tenant, ['remember this fact', 'and this one'], { idempotencyKey: `${tenant}/run-9/remember/1` });
    const once = await router.embed(req);
    const sent = embedRequests().length;
    const again = await router.embed(req);
    expect(embedRequests().length).toBe(sent);
    expect(again).toEqual({ ...once, replayed: true });
    expect((await router.getUsage(tenant, {})).rows).toEqual([expect.objectContaining({ requests: 1, inputTokens: once.inputTokens })]);
    // The same key for different texts is a caller bug, refused naming the field.
    await expect(router.embed({ ...req, texts: ['something else'] })).rejects.toMatchObject({ message: expect.stringContaining('idempotency_key: was already used for a different request') });
  });

  it('never routes embeddings to a model without the capability (Anthropic has none): refused, naming it', async () => {
    // A hint naming a model that cannot embed is passed over for one that can...
    await expect(router.embed(embedCall(randomUUID(), ['x'], { modelHint: 'chat-only' }))).resolves.toMatchObject({ model: 'embed-wire' });
    // ...and with none that can, the call is refused, naming the missing capability.
    const only = new ModelRouter({
      file: parseModelsFile(EMBEDDERS(`${server.url}/v1`).replace(/  - name: embed-wire[\s\S]*?(?=  - name: chat-only)/, ''), 'chat-only.yaml'),
      env: { OPENAI_KEY: 'sk-openai' },
      dataSource: fx.ds,
      metrics: fx.metrics,
      logger: createLogger('router-test', { level: 'silent' }),
    });
    try {
      const refused = await only.embed(embedCall(randomUUID(), ['x'])).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(NoCapableModelError);
      expect((refused as Error).message).toContain('embeddings');
    } finally {
      await only.close();
    }
  });
});
