import { Metrics } from '@weaver/observability';
import { fixedTokenKeys, parsePiiPolicy, PiiRefusedError, type PiiPolicyInput } from '@weaver/pii';
import type { RoutedResult } from '../routed-result';
import type { ModelCallRequest } from '../routing/route-request';
import { RouterMetrics } from '../router-metrics';
import type { RouterChunk } from '../stream-session';
import { PiiGuard } from './pii-guard';

const A = '0b6d7c3e-8d7f-4a52-9d5e-2f1f7a0c9a11';
const EMAIL = 'ada.lovelace@example.com';
const CARD = '4111 1111 1111 1111';
const keys = fixedTokenKeys(async (tenantId) => Buffer.alloc(32, tenantId.charCodeAt(0)));

function guard(input: PiiPolicyInput) {
  const metrics = new Metrics('pii-guard-test');
  const policy = parsePiiPolicy(input);
  return { metrics, guard: new PiiGuard({ policyOf: async () => ({ policy, source: 'tenant', version: 1 }), keys, metrics: new RouterMetrics(metrics) }) };
}
const call = (content: string, extra: Partial<ModelCallRequest> = {}): ModelCallRequest => ({
  tenantId: A, workflow: 'w', agent: 'a', runId: 'r', step: 's', classification: [], tools: [], jsonMode: false, requiredCapabilities: [],
  messages: [{ role: 'system', content: 'You help.' }, { role: 'user', content }],
  ...extra,
});
const answer = (content: string, args = '{}'): RoutedResult => ({
  content, toolCalls: [{ id: 'c', name: 'send', arguments: args }], finishReason: 'stop', model: 'm', provider: 'p',
  inputTokens: 1, outputTokens: 1, costUsd: 0, replayed: false, cached: false, experiment: '', arm: '', fallbacksTried: [],
});

describe('PiiGuard', () => {
  it('masks each type the policy masks and counts them per tenant, type and action', async () => {
    const { guard: g, metrics } = guard({ default: 'allow', email: 'mask', credit_card: 'mask' });
    const out = await g.protectCall(call(`Mail ${EMAIL}, card ${CARD}.`));
    expect(out.messages[1]?.content).toBe('Mail [EMAIL], card [CREDIT_CARD].');
    const text = (await metrics.text()).body;
    expect(text).toContain(`weaver_router_pii_entities_total{tenant="${A}",type="email",action="mask",service="pii-guard-test"} 1`);
    expect(text).toContain(`type="credit_card",action="mask"`);
  });

  it('tokenises, and puts the values back in the answer: content and JSON tool-call arguments', async () => {
    const { guard: g } = guard({ default: 'tokenise' });
    const sent = (await g.protectCall(call(`Mail ${EMAIL} now`))).messages[1]?.content ?? '';
    expect(sent).not.toContain(EMAIL);
    const token = /⟦pii:email:[^⟧]+⟧/.exec(sent)?.[0] ?? '';
    expect(token).not.toBe('');
    const back = await g.restore(A, answer(`echo: ${sent}`, JSON.stringify({ to: token })));
    expect(back.content).toBe(`echo: Mail ${EMAIL} now`);
    expect(JSON.parse(back.toolCalls[0]?.arguments ?? '')).toEqual({ to: EMAIL });
    // Another tenant's keys do not open it.
    expect((await g.restore('1b6d7c3e-8d7f-4a52-9d5e-2f1f7a0c9a11', answer(sent))).content).toBe(sent);
  });

  it('refuses naming every refused type of the whole request, never a value', async () => {
    const { guard: g } = guard({ default: 'mask', credit_card: 'refuse', iban: 'refuse' });
    const req = call(`card ${CARD}`, { messages: [{ role: 'user', content: `card ${CARD}` }, { role: 'tool', content: 'IBAN DE89 3704 0044 0532 0130 00', toolCallId: 't' }] });
    const err = await g.protectCall(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PiiRefusedError);
    expect((err as PiiRefusedError).code).toBe('FAILED_PRECONDITION');
    expect((err as PiiRefusedError).refused).toEqual([{ type: 'credit_card', count: 1 }, { type: 'iban', count: 1 }]);
    expect((err as Error).message).not.toContain('4111');
  });

  it('scans nothing and returns the request itself when the policy allows every type', async () => {
    const { guard: g } = guard({ default: 'allow' });
    const req = call(`Mail ${EMAIL}`);
    expect(await g.protectCall(req)).toBe(req);
  });

  it('masks embedding inputs', async () => {
    const { guard: g } = guard({ default: 'mask' });
    const out = await g.protectEmbed({ tenantId: A, workflow: 'w', agent: 'a', runId: 'r', step: 's', classification: [], texts: [`a ${EMAIL}`, 'plain'] });
    expect(out.texts).toEqual(['a [EMAIL]', 'plain']);
  });

  it('restores a stream whose token arrives in pieces, and its done result', async () => {
    const { guard: g } = guard({ default: 'tokenise' });
    const sent = (await g.protectCall(call(`to ${EMAIL}`))).messages[1]?.content ?? '';
    const pieces = sent.match(/.{1,5}/gsu) ?? [];
    async function* provider(): AsyncIterable<RouterChunk> {
      for (const p of pieces) yield { type: 'text', text: p };
      yield { type: 'tool-call', index: 0, id: 'c', name: 'send', argumentsDelta: '{"to":"' + sent.slice(3, 20) };
      yield { type: 'tool-call', index: 0, argumentsDelta: sent.slice(20) + '"}' };
      yield { type: 'done', result: answer(sent, `{"to":"${sent.slice(3)}"}`) };
    }
    const chunks: RouterChunk[] = [];
    for await (const c of g.restoreStream(A, provider())) chunks.push(c);
    const text = chunks.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('');
    const args = chunks.flatMap((c) => (c.type === 'tool-call' ? [c.argumentsDelta] : [])).join('');
    expect(text).toBe(`to ${EMAIL}`);
    expect(JSON.parse(args)).toEqual({ to: EMAIL });
    const done = chunks.at(-1);
    expect(done?.type === 'done' && done.result.content).toBe(`to ${EMAIL}`);
  });
});
