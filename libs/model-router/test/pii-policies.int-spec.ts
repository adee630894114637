import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createLogger } from '@weaver/observability';
import { fixedTokenKeys, parsePiiPolicy, PiiRefusedError } from '@weaver/pii';
import { OpenAIWireServer } from '@weaver/testing';
import { MemoryResponseCache, ModelRouter, parseModelsFile, type RouterChunk } from '../src';
import { call, startRouterFixture, type RouterFixture } from './router-fixture';

const MODELS = (openai: string) => `
version: 1
models:
  - name: gpt-wire
    provider: openai
    endpoint: ${openai}
    api_key_env: OPENAI_KEY
    capabilities: [text, tools, json, streaming, embeddings]
    max_context: 4000
    max_output_tokens: 200
    cost: { input_per_token: 0.000001, output_per_token: 0.000001 }
`;
const VALUES = { email: 'ada.lovelace@example.com', phone: '+44 20 7946 0958', card: '4111 1111 1111 1111', iban: 'DE89 3704 0044 0532 0130 00' };
const PROMPT = `Reply to ${VALUES.email} or call ${VALUES.phone}; card ${VALUES.card}, IBAN ${VALUES.iban}.`;
/** What a provider request must not hold: each value, also without its spaces. */
const leaked = (body: unknown): string[] => {
  const text = JSON.stringify(body);
  return Object.entries(VALUES).filter(([, v]) => text.includes(v) || text.includes(v.replace(/ /g, ''))).map(([k]) => k);
};
/** A key per tenant (tokens under real data keys: apps/router/test/pii-policy.int-spec.ts and libs/crypto's spec). */
const tokenKeys = fixedTokenKeys(async (tenantId) => createHash('sha256').update(`test-key/${tenantId}`).digest());

/**
 * Per-tenant PII policies on real PostgreSQL (router.pii_policies, RLS, as weaver_router) with a
 * local OpenAI wire server that echoes the last user message: what the provider received, what
 * the agent got back, and what the router recorded.
 */
describe('PII policies per tenant in the router', () => {
  let fx: RouterFixture;
  let server: OpenAIWireServer;
  let router: ModelRouter;
  let replica: ModelRouter;
  const chatRequests = () => server.requests.filter((r) => r.path.endsWith('/chat/completions'));

  beforeAll(async () => {
    fx = await startRouterFixture();
    server = await new OpenAIWireServer({ apiKey: 'sk-openai' }).start();
    const make = (cacheTtlMs: number) =>
      new ModelRouter({
        file: parseModelsFile(MODELS(`${server.url}/v1`), 'pii-models.yaml'),
        env: { OPENAI_KEY: 'sk-openai' },
        dataSource: fx.ds,
        metrics: fx.metrics,
        logger: createLogger('router-test', { level: 'silent' }),
        cache: new MemoryResponseCache(),
        pii: { installationDefault: parsePiiPolicy({ default: 'allow' }), cacheTtlMs, keys: tokenKeys },
      });
    router = make(60_000);
    replica = make(0); // reads the table on every call: what another replica sees after its TTL
  });
  afterAll(async () => {
    await router?.close();
    await replica?.close();
    await server?.stop();
    await fx?.close();
  });

  it('mask: the provider receives no email, phone, card or IBAN, and the answer comes back', async () => {
    const tenant = randomUUID();
    await router.setPiiPolicy(tenant, { default: 'mask', person: 'allow', organisation: 'allow' });
    const before = chatRequests().length;
    const res = await router.generate(call(tenant, { messages: [{ role: 'system', content: `Escalate to ${VALUES.email}` }, { role: 'user', content: PROMPT }] }));
    const sent = chatRequests().slice(before);
    expect(sent).toHaveLength(1);
    expect(leaked(sent[0]?.body)).toEqual([]);
    expect(res.content).toBe('echo(gpt-wire): Reply to [EMAIL] or call [PHONE]; card [CREDIT_CARD], IBAN [IBAN].');
    const embedBefore = server.requests.length;
    const out = await router.embed({ tenantId: tenant, workflow: 'w', agent: 'a', runId: 'r', step: 's', classification: [], texts: [PROMPT] });
    expect(out.vectors).toHaveLength(1);
    expect(leaked(server.requests.slice(embedBefore).map((r) => r.body))).toEqual([]);
  });

  it('tokenise: the provider sees tokens, the agent gets its values back (generate, stream, tool calls, cache and replay)', async () => {
    const tenant = randomUUID();
    await router.setPiiPolicy(tenant, { default: 'tokenise', person: 'allow', organisation: 'allow' });
    const before = chatRequests().length;
    const res = await router.generate(call(tenant, { messages: [{ role: 'user', content: PROMPT }], idempotencyKey: `${tenant}/run/step/1`, noCache: false }));
    expect(res.content).toBe(`echo(gpt-wire): ${PROMPT}`);
    const body = chatRequests()[before]?.body;
    expect(leaked(body)).toEqual([]);
    expect(JSON.stringify(body)).toMatch(/⟦pii:email:[A-Za-z0-9_-]+⟧/);

    // The recorded answer and the cache hold tokens, never the values; both answer restored.
    expect(await recordedLeaks(tenant)).toEqual([]);
    const replay = await router.generate(call(tenant, { messages: [{ role: 'user', content: PROMPT }], idempotencyKey: `${tenant}/run/step/1` }));
    expect(replay).toMatchObject({ replayed: true, content: `echo(gpt-wire): ${PROMPT}` });
    const cached = await router.generate(call(tenant, { messages: [{ role: 'user', content: PROMPT }], noCache: false }));
    expect(cached).toMatchObject({ cached: true, content: `echo(gpt-wire): ${PROMPT}` });
    expect(chatRequests().length - before).toBe(1);

    // Streamed: the wire server sends the answer word by word; tokens come back whole values.
    const chunks: RouterChunk[] = [];
    for await (const c of router.generateStream(call(tenant, { messages: [{ role: 'user', content: PROMPT }] }))) chunks.push(c);
    const text = chunks.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('');
    expect(text).toBe(`echo(gpt-wire): ${PROMPT}`);
    const done = chunks.at(-1);
    expect(done?.type === 'done' ? done.result.content : undefined).toBe(text);
    expect(leaked(chatRequests().at(-1)?.body)).toEqual([]);

    // A tool call proposed with a token in its JSON arguments comes back with the value, JSON intact.
    const tool = await router.generate(call(tenant, { messages: [{ role: 'user', content: `mail ${VALUES.email}` }], tools: [{ name: 'send_mail', description: 'send', parameters: { type: 'object' } }] }));
    expect(JSON.parse(tool.toolCalls[0]?.arguments ?? '{}')).toEqual({ input: `mail ${VALUES.email}` });
    expect(leaked(chatRequests().at(-1)?.body)).toEqual([]);
  });

  it('refuse: the call fails naming the types, and the provider saw nothing (no ledger row, no record)', async () => {
    const tenant = randomUUID();
    await router.setPiiPolicy(tenant, { default: 'mask', credit_card: 'refuse', iban: 'refuse', person: 'allow', organisation: 'allow' });
    const before = server.requests.length;
    const err = await router.generate(call(tenant, { messages: [{ role: 'user', content: PROMPT }], idempotencyKey: 'k1' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PiiRefusedError);
    expect(err).toMatchObject({ code: 'FAILED_PRECONDITION', refused: [{ type: 'credit_card', count: 1 }, { type: 'iban', count: 1 }] });
    expect((err as Error).message).not.toMatch(/4111|DE89/);
    await expect(router.embed({ tenantId: tenant, workflow: 'w', agent: 'a', runId: 'r', step: 's', classification: [], texts: [VALUES.iban] })).rejects.toBeInstanceOf(PiiRefusedError);
    const stream = router.generateStream(call(tenant, { messages: [{ role: 'user', content: PROMPT }] }));
    await expect((async () => { for await (const _ of stream) void _; })()).rejects.toBeInstanceOf(PiiRefusedError);
    expect(server.requests.length).toBe(before);
    expect((await router.getUsage(tenant, {})).rows).toEqual([]);
  });

  it('keeps tenants apart: A’s policy does not apply to B, B’s keys do not open A’s tokens; versions guard concurrent edits', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await router.setPiiPolicy(a, { default: 'refuse' });
    expect(await router.getPiiPolicy(b)).toMatchObject({ source: 'installation', version: 0 });
    const before = chatRequests().length;
    const resB = await router.generate(call(b, { messages: [{ role: 'user', content: `mail ${VALUES.email}` }] }));
    expect(resB.content).toBe(`echo(gpt-wire): mail ${VALUES.email}`); // installation default: allow
    expect(leaked(chatRequests()[before]?.body)).toEqual(['email']);

    await router.setPiiPolicy(a, { default: 'tokenise', person: 'allow', organisation: 'allow' }, 1);
    await router.setPiiPolicy(b, { default: 'tokenise', person: 'allow', organisation: 'allow' }, 0);
    await router.generate(call(a, { messages: [{ role: 'user', content: `mail ${VALUES.email}` }] }));
    const tokenOfA = /⟦pii:email:[^⟧]+⟧/.exec(JSON.stringify(chatRequests().at(-1)?.body))?.[0] ?? '';
    expect(tokenOfA).not.toBe('');
    const resBWithA = await router.generate(call(b, { messages: [{ role: 'user', content: `relay ${tokenOfA}` }] }));
    expect(resBWithA.content).toBe(`echo(gpt-wire): relay ${tokenOfA}`); // never opened under B's key

    await expect(router.setPiiPolicy(a, { default: 'mask' }, 1)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION', details: expect.objectContaining({ currentVersion: 2 }) });
    await expect(router.setPiiPolicy(a, { default: 'hide', emial: 'mask' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('policy.emial: unknown entity type') });
    // Another replica reads the table after its TTL (0 here): it applies A's current policy.
    expect(await replica.getPiiPolicy(a)).toMatchObject({ source: 'tenant', version: 2, policy: expect.objectContaining({ email: 'tokenise', person: 'allow' }) });
  });

  async function recordedLeaks(tenant: string): Promise<string[]> {
    const pg = new Client({ connectionString: fx.db.ownerUrl });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ response: unknown }>(`SELECT response FROM router.idempotency_records WHERE tenant_id = $1`, [tenant]);
      expect(rows).toHaveLength(1);
      return leaked(rows);
    } finally {
      await pg.end();
    }
  }
});
