/**
 * What the router's OpenAI-compatible edge adds to one call, in process, beside the router's own
 * path (routing, billing, provider): the warm key resolution (ApiKeyResolver: sha256 of the key +
 * ResolutionCache hit), the attribution headers, the body's zod parse and mapping to the router
 * call (chatCallOf, ~1 KB prompt, 2 tools), and the answer's OpenAI shape + JSON text. The
 * model.call decision is the policy engine's decision cache (tools/bench/policy.ts) and is not
 * measured again here.
 *
 *   npx tsx tools/bench/router-openai.ts
 */
import { of } from 'rxjs';
import type { tenancy } from '@weaver/contracts';
import { chatCallOf, chatCompletionOf, completionIdOf, openAiCallerOf, type RoutedResult } from '@weaver/model-router';
import { ApiKeyResolver } from '@weaver/tenancy-core';

const KEY = `wv_${'aB3'.repeat(10)}xy`;
const TENANT = '0b6d7c3e-8d7f-4a52-9d5e-2f1f7a0c9a11';
const tenancyClient = { resolveApiKey: () => of({ tenantId: TENANT, keyId: 'k1', roles: ['runner'] }) } as unknown as tenancy.TenancyServiceClient;
const PROMPT = 'The order arrived late on Tuesday and the team wants a summary of what went wrong. '.repeat(12).slice(0, 1000);
const BODY = {
  model: 'auto',
  messages: [{ role: 'system', content: 'You are a careful assistant for the support team.' }, { role: 'user', content: PROMPT }],
  tools: [1, 2].map((i) => ({ type: 'function', function: { name: `tool_${i}`, description: 'A tool', parameters: { type: 'object', properties: { q: { type: 'string' } } } } })),
  max_tokens: 256,
  temperature: 0.2,
};
const HEADERS = { authorization: `Bearer ${KEY}`, 'x-weaver-workflow': 'support', 'x-weaver-agent': 'triage', 'idempotency-key': 'ticket-42' };
const CATALOG = new Map([['gpt-4o-mini', {}]]);
const ANSWER: RoutedResult = { content: PROMPT.slice(0, 400), toolCalls: [], finishReason: 'stop', model: 'gpt-4o-mini', provider: 'openai', inputTokens: 260, outputTokens: 90, costUsd: 0.0001, replayed: false, cached: false, experiment: '', arm: '', fallbacksTried: [] };

async function main(): Promise<void> {
  const keys = new ApiKeyResolver(tenancyClient, { ttlMs: 60_000, defaultRoles: ['runner'] });
  const one = async (): Promise<number> => {
    const t = process.hrtime.bigint();
    const key = await keys.keyOf(KEY, '10.0.0.1');
    const { call } = chatCallOf(JSON.parse(JSON.stringify(BODY)) as unknown, openAiCallerOf(key, HEADERS), CATALOG);
    JSON.stringify(chatCompletionOf(ANSWER, completionIdOf(call.tenantId, call.idempotencyKey), 0));
    return Number(process.hrtime.bigint() - t) / 1e3;
  };
  for (let i = 0; i < 2_000; i++) await one();
  const runs: number[][] = [];
  for (let r = 0; r < 5; r++) {
    const xs: number[] = [];
    for (let i = 0; i < 10_000; i++) xs.push(await one());
    runs.push(xs.sort((a, b) => a - b));
  }
  const p50 = runs.map((xs) => xs[Math.floor(xs.length / 2)]!);
  const mean = runs.map((xs) => xs.reduce((a, b) => a + b, 0) / xs.length);
  console.log('OpenAI edge per chat call (warm key, ~1 KB prompt, 2 tools), µs, five runs of 10,000:');
  console.log(`  p50  ${p50.map((x) => x.toFixed(1)).join('  ')}`);
  console.log(`  mean ${mean.map((x) => x.toFixed(1)).join('  ')}`);
}

void main();
