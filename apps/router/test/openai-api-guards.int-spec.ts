import OpenAI from 'openai';
import { tenantMetadata, unary } from '@weaver/service-kit';
import { startOpenAiRouter, type OpenAiRouterFixture } from './openai-fixture';

/** Tools, JSON mode, the tenant's PII policy, key roles and breakers on the OpenAI-compatible API: the gRPC path's guards, met through the openai SDK. */
describe('router: OpenAI-compatible API — tools, PII, roles, breakers', () => {
  let f: OpenAiRouterFixture;
  beforeAll(async () => {
    f = await startOpenAiRouter();
  });
  afterAll(() => f?.close());

  const weather: OpenAI.Chat.Completions.ChatCompletionTool = { type: 'function', function: { name: 'lookup_weather', description: 'Weather by city', parameters: { type: 'object', properties: { input: { type: 'string' } } } } };

  it('proposes a tool call and answers from the tool result (plain and streamed)', async () => {
    const { openai } = await f.tenant();
    const ask: OpenAI.Chat.Completions.ChatCompletionMessageParam = { role: 'user', content: 'Weather in Lyon?' };
    const proposal = await openai.chat.completions.create({ model: 'gpt-wire', messages: [ask], tools: [weather] });
    expect(proposal.choices[0]?.finish_reason).toBe('tool_calls');
    const call = proposal.choices[0]!.message.tool_calls![0]!;
    expect(call).toMatchObject({ type: 'function', function: { name: 'lookup_weather' } });
    expect(JSON.parse((call as { function: { arguments: string } }).function.arguments)).toEqual({ input: 'Weather in Lyon?' });
    const answer = await openai.chat.completions.create({ model: 'gpt-wire', tools: [weather], messages: [ask, proposal.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'sunny, 24 C' }] });
    expect(answer.choices[0]?.message.content).toContain('tool said: sunny, 24 C');
    // Streamed: the tool call arrives as deltas the client assembles.
    const stream = await openai.chat.completions.create({ model: 'gpt-wire', messages: [ask], tools: [weather], stream: true });
    let name = '';
    let args = '';
    let finish: string | null = null;
    for await (const c of stream) {
      const d = c.choices[0];
      for (const t of d?.delta.tool_calls ?? []) {
        name += t.function?.name ?? '';
        args += t.function?.arguments ?? '';
      }
      finish = d?.finish_reason ?? finish;
    }
    expect({ name, args: JSON.parse(args) as unknown, finish }).toEqual({ name: 'lookup_weather', args: { input: 'Weather in Lyon?' }, finish: 'tool_calls' });
  });

  it('routes response_format json_object to a model with json', async () => {
    const { openai } = await f.tenant();
    const res = await openai.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'Summarise: Kafka orders per partition.' }], response_format: { type: 'json_object' } });
    expect(res.model).toBe('local-deterministic');
    expect(() => JSON.parse(res.choices[0]!.message.content!) as unknown).not.toThrow();
  });

  it('applies the tenant\'s PII policy before the provider sees the text', async () => {
    const { tenantId, openai } = await f.tenant();
    await unary(f.routerAdmin.client.setPiiPolicy({ tenantId, policyJson: JSON.stringify({ default: 'allow', email: 'mask' }) }, tenantMetadata(tenantId)));
    const before = f.wire.requests.length;
    await openai.chat.completions.create({ model: 'gpt-wire', messages: [{ role: 'user', content: 'Write to jane.doe@example.com about the invoice.' }] });
    const sent = JSON.stringify(f.wire.requests.slice(before).map((r) => r.body));
    expect(sent).toContain('[EMAIL]');
    expect(sent).not.toContain('jane.doe@example.com');
  });

  it('refuses a reader key (403: model.call is the runner role\'s)', async () => {
    const { tenantId, openai } = await f.tenant();
    const reader = await unary(f.operator.client.createApiKey({ tenantId, name: 'dashboards', roles: ['reader'] }, tenantMetadata(tenantId)));
    await expect(f.clientFor(reader.apiKey).chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    await expect(openai.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] })).resolves.toMatchObject({ object: 'chat.completion' });
    expect(await f.ledger(tenantId)).toHaveLength(1);
  });

  it('ends a stream that broke after its first delta with an error event the SDK raises', async () => {
    const { openai } = await f.tenant();
    f.flaky.failNext(1, { type: 'mid-stream-error' });
    const stream = await openai.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'Kafka orders per partition. Transactions are atomic.' }], stream: true }, { headers: { 'x-weaver-workflow': 'vault' } });
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const c of stream) seen.push(c.choices[0]?.delta.content ?? '');
    })().then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(seen.join('').length).toBeGreaterThan(0); // deltas came before the failure
  });

  it('answers 503 breaker_open once the only allowed model\'s provider keeps failing', async () => {
    const { openai } = await f.tenant();
    f.flaky.failAlways({ type: 'server-error' });
    const vault = { headers: { 'x-weaver-workflow': 'vault' } };
    const codes: Array<string | null | undefined> = [];
    // Failures open the breaker after volume_threshold (2) calls; bounded so a regression fails rather than hangs.
    for (let i = 0; i < 6 && codes.at(-1) !== 'breaker_open'; i++) {
      const err = await openai.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }, vault).then(() => undefined, (e: unknown) => e);
      codes.push(err instanceof OpenAI.APIError ? err.code : undefined);
    }
    expect(codes.at(-1)).toBe('breaker_open');
    const open = await openai.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }, vault).catch((e: unknown) => e);
    expect(open).toBeInstanceOf(OpenAI.InternalServerError);
    expect(open).toMatchObject({ status: 503, type: 'server_error', code: 'breaker_open' });
  });
});
