import { Metrics } from '@weaver/observability';
import { parsePiiPolicy, type PiiPolicyInput } from '@weaver/pii';
import { RouterMetrics } from '../router-metrics';
import { PiiGuard } from './pii-guard';
import { RewriteMemo } from './rewrite-memo';

const TENANT = '0b6d7c3e-8d7f-4a52-9d5e-2f1f7a0c9a11';
const LONG = `${'Earlier turn about the delivery and the warehouse. '.repeat(6)}Mail ada@example.com.`;

describe('RewriteMemo', () => {
  it('keeps an outcome for its TTL, drops the oldest past its bound, and keys by tenant, policy version and text', () => {
    let now = 0;
    const memo = new RewriteMemo(1_000, 2, () => now);
    const k = (v: string, t = 'x') => memo.keyOf(TENANT, v, t);
    expect(k('tenant:1')).not.toBe(k('tenant:2'));
    expect(k('tenant:1')).not.toBe(memo.keyOf('1b6d7c3e-8d7f-4a52-9d5e-2f1f7a0c9a11', 'tenant:1', 'x'));
    expect(k('tenant:1')).not.toContain('x');
    memo.set(k('a'), { text: 'A', findings: [], refused: false });
    now = 999;
    expect(memo.get(k('a'))?.text).toBe('A');
    now = 1_000;
    expect(memo.get(k('a'))).toBeUndefined();
    for (const v of ['1', '2', '3']) memo.set(k(v), { text: v, findings: [], refused: false });
    expect([memo.get(k('1')), memo.get(k('2'))?.text, memo.get(k('3'))?.text]).toEqual([undefined, '2', '3']);
  });
});

describe('PiiGuard with its memo', () => {
  it('answers a text seen before from the memo (same rewrite, counted again) and never across policy versions', async () => {
    let current: { input: PiiPolicyInput; version: number } = { input: { default: 'mask' }, version: 1 };
    const metrics = new Metrics('memo-test');
    const guard = new PiiGuard({
      policyOf: async () => ({ policy: parsePiiPolicy(current.input), source: 'tenant', version: current.version }),
      metrics: new RouterMetrics(metrics),
    });
    const req = { tenantId: TENANT, workflow: 'w', agent: 'a', runId: 'r', step: 's', classification: [], tools: [], jsonMode: false, requiredCapabilities: [], messages: [{ role: 'user' as const, content: LONG }] };
    const first = await guard.protectCall(req);
    const again = await guard.protectCall(req);
    expect(first.messages[0]?.content).toContain('Mail [EMAIL].');
    expect(again.messages[0]?.content).toBe(first.messages[0]?.content);
    expect((await metrics.text()).body).toMatch(/weaver_router_pii_entities_total\{[^}]*type="email",action="mask"[^}]*\} 2/);
    current = { input: { default: 'mask', email: 'refuse' }, version: 2 };
    await expect(guard.protectCall(req)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION', refused: [{ type: 'email', count: 1 }] });
  });
});
