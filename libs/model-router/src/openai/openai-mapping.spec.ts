import { ResourceExhaustedError, UnauthenticatedError, UnavailableError, ValidationError, quotaExceeded } from '@weaver/errors';
import { BreakerOpenError } from '@weaver/resilience';
import { BudgetExhaustedError, NoCapableModelError } from '../router-errors';
import type { RoutedResult } from '../routed-result';
import { openAiCallerOf } from './openai-caller';
import { openAiErrorOf } from './openai-error';
import { chatCallOf, embedCallOf } from './openai-request';
import { ChatChunks, chatCompletionOf, completionIdOf } from './openai-response';

const T = '00000000-0000-4000-8000-000000000001';
const caller = openAiCallerOf({ tenantId: T, keyId: 'k1' }, {});
const catalog = new Map([['gpt-wire', {}]]);
const paramOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return openAiErrorOf(e, 'c').body.error.param;
  }
  return 'no error';
};
const result = (over: Partial<RoutedResult> = {}): RoutedResult => ({ content: 'hi', toolCalls: [], finishReason: 'stop', model: 'gpt-wire', provider: 'openai', inputTokens: 3, outputTokens: 2, costUsd: 0.1, replayed: false, cached: false, experiment: '', arm: '', fallbacksTried: [], ...over });

describe('OpenAI request mapping', () => {
  it('takes attribution from the headers, with documented defaults', () => {
    expect(caller).toEqual({ tenantId: T, workflow: 'openai', agent: 'key-k1', runId: '', step: '', idempotencyKey: undefined, classification: [] });
    const tagged = openAiCallerOf({ tenantId: T, keyId: 'k1' }, { 'x-weaver-workflow': 'bot', 'x-weaver-agent': 'triage', 'x-weaver-run-id': 'r1', 'idempotency-key': 'abc', 'x-weaver-classification': 'confidential, pii' });
    expect(tagged).toMatchObject({ workflow: 'bot', agent: 'triage', runId: 'r1', idempotencyKey: 'openai:abc', classification: ['confidential', 'pii'] });
    expect(paramOf(() => openAiCallerOf({ tenantId: T, keyId: 'k1' }, { 'x-weaver-agent': 'a b' }))).toBe('x-weaver-agent');
  });

  it('maps messages, tools, formats and limits to the router call', () => {
    const { call } = chatCallOf(
      {
        model: 'gpt-wire',
        messages: [
          { role: 'developer', content: [{ type: 'text', text: 'be brief' }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'c1', content: 'ok' },
        ],
        tools: [{ type: 'function', function: { name: 'f' } }],
        response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' } } },
        max_completion_tokens: 50,
        user: 'ignored',
      },
      caller,
      catalog,
    );
    expect(call.messages).toEqual([{ role: 'system', content: 'be brief' }, { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }] }, { role: 'tool', content: 'ok', toolCallId: 'c1' }]);
    expect(call).toMatchObject({ modelHint: 'gpt-wire', maxTokens: 50, jsonMode: false, jsonSchema: { name: 'out', schema: { type: 'object' } }, tools: [{ name: 'f', parameters: { type: 'object', properties: {} } }] });
    expect(chatCallOf({ model: 'auto', messages: [{ role: 'user', content: 'x' }] }, caller, catalog).call.modelHint).toBeUndefined();
  });

  it('names the parameter of every refusal in OpenAI\'s form', () => {
    expect(paramOf(() => chatCallOf({ model: 'auto', messages: [{ role: 'user', content: 'x' }, { role: 'robot' }] }, caller, catalog))).toBe('messages[1].role');
    expect(paramOf(() => chatCallOf({ model: 'auto', messages: [{ role: 'user', content: 'x' }], n: 2 }, caller, catalog))).toBe('n');
    expect(paramOf(() => chatCallOf({ messages: [] }, caller, catalog))).toBe('model');
    expect(paramOf(() => embedCallOf({ model: 'auto', input: [] }, caller, catalog))).toBe('input');
    expect(paramOf(() => embedCallOf({ model: 'auto', input: 'x', dimensions: 8 }, caller, catalog))).toBe('dimensions');
    expect(paramOf(() => chatCallOf({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }, caller, catalog))).toBe('model');
  });
});

describe('OpenAI error mapping', () => {
  const of = (e: unknown) => openAiErrorOf(e, 'corr-1');
  it('gives OpenAI statuses, types and codes', () => {
    expect(of(new UnauthenticatedError())).toMatchObject({ status: 401, body: { error: { type: 'invalid_request_error', code: 'invalid_api_key', param: null } } });
    expect(of(new ValidationError([{ field: 'idempotency_key', rule: 'was already used for a different request' }], 'request')).body.error.param).toBe('Idempotency-Key');
    expect(of(new ValidationError([{ field: 'tools[2].json_schema', rule: 'x' }], 'request')).body.error.param).toBe('tools[2].function.parameters');
    expect(of(new ValidationError([{ field: 'classification[0]', rule: 'unknown level' }], 'request')).body.error.param).toBe('x-weaver-classification[0]');
    expect(of(new BudgetExhaustedError(T, 1, 1, 0, 0.5))).toMatchObject({ status: 402, body: { error: { type: 'insufficient_quota', code: 'insufficient_quota' } } });
    expect(of(new NoCapableModelError('lacks capability embeddings', {}))).toMatchObject({ status: 400, body: { error: { param: 'model', code: 'model_not_capable' } } });
    expect(of(new BreakerOpenError('openai@api'))).toMatchObject({ status: 503, internal: false, body: { error: { type: 'server_error', code: 'breaker_open' } } });
    expect(of(new UnavailableError('a call with idempotency key k is in progress'))).toMatchObject({ status: 503 });
  });

  it('says when to retry, and not to when that is far off', () => {
    expect(of(quotaExceeded('tokens_per_day', 1000, 5_000, 'used'))).toMatchObject({ status: 429, headers: { 'retry-after': '5' }, body: { error: { type: 'rate_limit_error', code: 'tokens_per_day' } } });
    expect(of(quotaExceeded('tokens_per_day', 1000, 3_600_000, 'used')).headers).toEqual({ 'retry-after': '3600', 'x-should-retry': 'false' });
    expect(of(new ResourceExhaustedError('too many failed api-key attempts', { retryAfterSeconds: 30 })).status).toBe(429);
  });

  it('hides a server-side failure behind its correlation id', () => {
    const r = of(new Error('connection to 10.0.0.7 refused'));
    expect(r).toMatchObject({ status: 500, internal: true, body: { error: { type: 'server_error' } } });
    expect(r.body.error.message).not.toContain('10.0.0.7');
    expect(r.body.error.message).toContain('corr-1');
  });
});

describe('OpenAI answers', () => {
  it('ids follow the idempotency key, so a replay has the first call\'s id', () => {
    expect(completionIdOf(T, 'openai:a')).toBe(completionIdOf(T, 'openai:a'));
    expect(completionIdOf(T, 'openai:a')).not.toBe(completionIdOf(T, 'openai:b'));
    expect(completionIdOf(T, undefined)).not.toBe(completionIdOf(T, undefined));
  });

  it('renders tool calls with null content, and the router\'s error finish as stop', () => {
    const c = chatCompletionOf(result({ content: '', toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }], finishReason: 'tool_calls' }), 'id', 1);
    expect(c.choices[0]).toEqual({ index: 0, message: { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls', logprobs: null });
    expect(chatCompletionOf(result({ finishReason: 'error' }), 'id', 1).choices[0]?.finish_reason).toBe('stop');
  });

  it('streams role, deltas, finish, then usage when asked', () => {
    const chunks = new ChatChunks('id', 1, 'auto', true);
    const all = [chunks.first(), ...chunks.of({ type: 'text', text: 'he' }), ...chunks.of({ type: 'text', text: '' }), ...chunks.of({ type: 'done', result: result() })];
    expect(all.map((c) => [c.model, c.choices[0]?.delta ?? null, c.choices[0]?.finish_reason ?? null, c.usage ?? null])).toEqual([
      ['auto', { role: 'assistant', content: '' }, null, null],
      ['auto', { content: 'he' }, null, null],
      ['gpt-wire', {}, 'stop', null],
      ['gpt-wire', null, null, { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }],
    ]);
    const plain = new ChatChunks('id', 1, 'gpt-wire', false);
    expect(plain.of({ type: 'done', result: result() }).map((c) => 'usage' in c)).toEqual([false]);
  });
});
