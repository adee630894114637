import OpenAI from 'openai';
import { type RunningStack, startTestStack } from '@weaver/stack';

/**
 * The OpenAI-compatible API of the router process of a whole stack (its own ports:
 * TEST_STACK_PORTS['openai-router']), with the official openai SDK: a key the gateway's admin API
 * created works on the router, and what it spent is in the ledger the gateway's usage API serves.
 */
describe('OpenAI-compatible router in the stack', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startTestStack('openai-router');
  }, 240_000);
  afterAll(() => stack?.stop());

  it('serves the SDK with a tenant key, and bills what it spent to the tenant\'s ledger', async () => {
    const acme = await stack.createTenant('acme-openai');
    const openai = new OpenAI({ apiKey: acme.apiKey, baseURL: `${stack.services.router.httpUrl}/v1`, maxRetries: 0 });
    const answer = await openai.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'Kafka orders per partition.' }] }, { headers: { 'x-weaver-workflow': 'support-bot', 'x-weaver-agent': 'triage' } });
    expect(answer.model).toBe('local-deterministic');
    expect(answer.choices[0]?.message.content).toContain('Kafka orders per partition.');
    let streamed = '';
    for await (const c of await openai.chat.completions.create({ model: 'local-deterministic', messages: [{ role: 'user', content: 'Streams too.' }], stream: true })) streamed += c.choices[0]?.delta.content ?? '';
    expect(streamed).toContain('Streams too.');
    const vectors = await openai.embeddings.create({ model: 'auto', input: ['one', 'two'] });
    expect(vectors.data).toHaveLength(2);
    const models: string[] = [];
    for await (const m of openai.models.list()) models.push(m.id);
    expect(models).toEqual(expect.arrayContaining(['auto', 'local-deterministic']));
    const stranger = new OpenAI({ apiKey: `wv_${'0'.repeat(32)}`, baseURL: `${stack.services.router.httpUrl}/v1`, maxRetries: 0 });
    await expect(stranger.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);

    const res = await fetch(`${stack.gatewayUrl}/v1/admin/tenants/${acme.tenantId}/usage?groupBy=workflow,agent`, { headers: { 'x-admin-token': stack.adminToken } });
    const usage = (await res.json()) as { groups: Array<{ workflow: string; agent: string; requests: number }> };
    // Without x-weaver headers a call is the key's: workflow `openai`, agent `key-<key id>` (the stream and the embeddings).
    const keyAgent = usage.groups.find((g) => g.workflow === 'openai')?.agent ?? '';
    expect(keyAgent).toMatch(/^key-[0-9a-f-]{36}$/);
    expect(usage.groups.map((g) => `${g.workflow}/${g.agent}:${g.requests}`).sort()).toEqual([`openai/${keyAgent}:2`, 'support-bot/triage:1']);
  });
});
