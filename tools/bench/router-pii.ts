/**
 * What the router's PII step (PiiGuard, libs/model-router/src/pii) costs one call: the tenant's
 * policy applied to a ~1 KB prompt (a system message and a user message) and the answer's
 * tokens put back, in process, per policy. The policy lookup is PiiPolicies' in-memory cache
 * (one map lookup; PostgreSQL once per tenant per ROUTER_PII_POLICY_CACHE_TTL_MS) and is not
 * what is measured here; the token key is a fixed key (a DataKeyCache hit in the service).
 *
 *   npx tsx tools/bench/router-pii.ts
 */
import { createHash } from 'node:crypto';
import { fixedTokenKeys, parsePiiPolicy, type PiiPolicyInput } from '@weaver/pii';
import { Metrics } from '@weaver/observability';
import { PiiGuard, RewriteMemo, RouterMetrics, type ModelCallRequest, type RoutedResult } from '@weaver/model-router';

const TENANT = '0b6d7c3e-8d7f-4a52-9d5e-2f1f7a0c9a11';
const SENTENCE = 'The order arrived late on Tuesday and the team wants a summary of what went wrong with the delivery, the warehouse and the carrier. ';
const LOWER = SENTENCE.toLowerCase().repeat(8).slice(0, 1000);
const PROSE = SENTENCE.repeat(8).slice(0, 1000);
const WITH_IDS = `${PROSE.slice(0, 860)} Customer Maria Schmidt of Acme GmbH: maria.schmidt@example.com, +49 30 1234567, IBAN DE89 3704 0044 0532 0130 00.`;
const STRUCTURED_OFF = { person: 'allow', organisation: 'allow' } as const;

const CASES: Array<{ name: string; policy: PiiPolicyInput; prompt: string }> = [
  { name: 'installation default (allow all): no scan', policy: { default: 'allow' }, prompt: WITH_IDS },
  { name: 'mask structured + address, lower-case prose (fast path)', policy: { default: 'mask', ...STRUCTURED_OFF }, prompt: LOWER },
  { name: 'mask structured + address, prose without identifiers', policy: { default: 'mask', ...STRUCTURED_OFF }, prompt: PROSE },
  { name: 'mask structured + address, prose with 3 identifiers', policy: { default: 'mask', ...STRUCTURED_OFF }, prompt: WITH_IDS },
  { name: 'tokenise structured + address, 3 identifiers (+ restore)', policy: { default: 'tokenise', ...STRUCTURED_OFF }, prompt: WITH_IDS },
  { name: 'mask every type incl. person/organisation (NLP)', policy: { default: 'mask' }, prompt: WITH_IDS },
];

const answerOf = (content: string): RoutedResult => ({ content, toolCalls: [], finishReason: 'stop', model: 'm', provider: 'p', inputTokens: 0, outputTokens: 0, costUsd: 0, replayed: false, cached: false, experiment: '', arm: '', fallbacksTried: [] });

async function main(): Promise<void> {
  const keys = fixedTokenKeys(async (t) => createHash('sha256').update(t).digest());
  const metrics = new RouterMetrics(new Metrics('bench'));
  console.log('PII step per call (system 60 B + user ~1 KB), µs p50 / mean: a text not seen before | the same text again (RewriteMemo)');
  for (const c of CASES) {
    const row: string[] = [];
    for (const memo of [new RewriteMemo(0), new RewriteMemo()]) row.push(await measure(c, memo, keys, metrics));
    console.log(`  ${c.name.padEnd(60)} ${row.join(' | ')}`);
  }
  await conversation(keys, metrics);
}

async function measure(c: (typeof CASES)[number], memo: RewriteMemo, keys: ReturnType<typeof fixedTokenKeys>, metrics: RouterMetrics): Promise<string> {
  {
    const policy = parsePiiPolicy(c.policy);
    const guard = new PiiGuard({ policyOf: async () => ({ policy, source: 'tenant', version: 1 }), keys, metrics, memo });
    const req: ModelCallRequest = {
      tenantId: TENANT, workflow: 'w', agent: 'a', runId: 'r', step: 's', classification: [], tools: [], jsonMode: false, requiredCapabilities: [],
      messages: [{ role: 'system', content: 'You are a careful assistant for the support team.' }, { role: 'user', content: c.prompt }],
    };
    const one = async (): Promise<number> => {
      const t = process.hrtime.bigint();
      const sent = await guard.protectCall(req);
      await guard.restore(TENANT, answerOf(sent.messages[1]?.content ?? ''));
      return Number(process.hrtime.bigint() - t) / 1e3;
    };
    const n = c.name.includes('NLP') ? 200 : 2000;
    for (let i = 0; i < Math.min(200, n); i++) await one();
    const times: number[] = [];
    for (let i = 0; i < n; i++) times.push(await one());
    times.sort((a, b) => a - b);
    const mean = times.reduce((s, x) => s + x, 0) / times.length;
    return `${(times[Math.floor(times.length / 2)] ?? 0).toFixed(1).padStart(7)} / ${mean.toFixed(1).padStart(7)}`;
  }
}

/** A 10-turn conversation (~10 KB): nine turns the router saw on earlier calls (RewriteMemo) and one new. */
async function conversation(keys: ReturnType<typeof fixedTokenKeys>, metrics: RouterMetrics): Promise<void> {
  console.log('10-turn conversation, 9 turns seen before + 1 new (~1 KB each), µs: p50');
  for (const input of [{ default: 'mask', ...STRUCTURED_OFF }, { default: 'mask' }] as PiiPolicyInput[]) {
    const policy = parsePiiPolicy(input);
    const guard = new PiiGuard({ policyOf: async () => ({ policy, source: 'tenant', version: 1 }), keys, metrics });
    const history = Array.from({ length: 9 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', content: `${i}: ${WITH_IDS}` }));
    const times: number[] = [];
    const n = input.person === 'allow' ? 1000 : 60;
    for (let i = 0; i < n + 20; i++) {
      const req: ModelCallRequest = {
        tenantId: TENANT, workflow: 'w', agent: 'a', runId: 'r', step: 's', classification: [], tools: [], jsonMode: false, requiredCapabilities: [],
        messages: [...history, { role: 'user', content: `turn ${i}: ${WITH_IDS}` }],
      };
      const t = process.hrtime.bigint();
      await guard.protectCall(req);
      if (i >= 20) times.push(Number(process.hrtime.bigint() - t) / 1e3);
    }
    times.sort((a, b) => a - b);
    console.log(`  ${(input.person === 'allow' ? 'mask structured + address' : 'mask every type (NLP)').padEnd(60)} ${(times[Math.floor(times.length / 2)] ?? 0).toFixed(1).padStart(8)}`);
  }
}

void main();
