import { countWireTokens, type ProviderWireServer } from '@weaver/testing';
import type { ModelAdapter, ProviderErrorKind } from '../src';
import { collect, lookupTool } from './adapter-fixtures';

export interface ContractOptions {
  /** The provider's model id the calls name. */
  model: string;
  /** How the provider reports the rate-limit fault (Ollama has no 429: "server busy" 503). */
  rateLimitKind?: ProviderErrorKind;
  /** Whether a 429's retry hint reaches the error (`retryAfterMs`). */
  retryAfter?: boolean;
  embeds?: boolean;
  /** Input tokens billed for embedding 'alpha' and 'beta gamma' (3 where the provider counts; the estimate where it reports none). */
  embedTokens?: number;
}

const tokens = (...texts: string[]): number => texts.reduce((n, t) => n + countWireTokens(t), 0);

/**
 * What every chat adapter must do against its provider's wire server (all servers answer with
 * the same deterministic reply, `wireReply`, in their own format): generate with the provider's
 * token usage, tool calls both ways, JSON, streamed text and tool calls, embeddings, and each
 * failure mapped to a kind the router decides on (retriable or not). Provider-specific request
 * shapes are asserted in each spec.
 */
export function adapterContract(server: ProviderWireServer, adapter: () => ModelAdapter, o: ContractOptions): void {
  const msg = (content: string) => ({ model: o.model, messages: [{ role: 'user' as const, content }] });

  it('generates with the provider-reported usage', async () => {
    const out = await adapter().generate({ model: o.model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello there' }], maxTokens: 20 });
    const text = `echo(${o.model}): hello there`;
    expect(out).toMatchObject({ content: text, toolCalls: [], finishReason: 'stop', usage: { inputTokens: tokens('Be brief.', 'hello there'), outputTokens: tokens(text) } });
  });

  it('maps tool calls both ways and JSON output', async () => {
    const first = await adapter().generate({ ...msg('find x'), tools: [lookupTool] });
    expect(first).toMatchObject({ finishReason: 'tool_calls', toolCalls: [{ id: expect.any(String), name: 'lookup' }] });
    expect(JSON.parse(first.toolCalls[0]!.arguments)).toEqual({ input: 'find x' });
    const call = first.toolCalls[0]!;
    const second = await adapter().generate({
      model: o.model,
      messages: [{ role: 'user', content: 'find x' }, { role: 'assistant', content: '', toolCalls: [call] }, { role: 'tool', content: 'found', toolCallId: call.id }],
      tools: [lookupTool],
    });
    expect(second.content).toBe('tool said: found');
    const json = await adapter().generate({ ...msg('a b c'), jsonMode: true });
    expect(JSON.parse(json.content)).toEqual({ echo: 'a b c', words: 3 });
  });

  it('streams text and tool calls, usage at the end', async () => {
    const text = await collect(adapter().stream(msg('stream me')));
    const answer = `echo(${o.model}): stream me`;
    expect(text).toMatchObject({ text: answer, finish: { finishReason: 'stop', usage: { inputTokens: tokens('stream me'), outputTokens: tokens(answer) } } });
    const tools = await collect(adapter().stream({ ...msg('find y'), tools: [lookupTool] }));
    expect(tools).toMatchObject({ toolCalls: [{ id: expect.any(String), name: 'lookup' }], finish: { finishReason: 'tool_calls' } });
    expect(JSON.parse(tools.toolCalls[0]!.arguments)).toEqual({ input: 'find y' });
  });

  if (o.embeds !== false) {
    it('embeds, vectors in input order', async () => {
      const out = await adapter().embed({ model: o.model, texts: ['alpha', 'beta gamma'] });
      expect(out.vectors.map((v) => v.length)).toEqual([8, 8]);
      expect(out.vectors[0]).not.toEqual(out.vectors[1]);
      expect(out.usage).toEqual({ inputTokens: o.embedTokens ?? 3, outputTokens: 0 });
    });
  }

  it('maps failures: rate limit and 5xx retriable, auth and context overflow not, deadline a timeout', async () => {
    server.failNext(1, { type: 'rate-limit', retryAfterS: 2 });
    const limited = adapter().generate(msg('x'));
    await expect(limited).rejects.toMatchObject({ kind: o.rateLimitKind ?? 'rate-limit', retriable: true, ...(o.retryAfter ? { retryAfterMs: 2000 } : {}) });
    server.failNext(1, { type: 'server-error' });
    await expect(adapter().generate(msg('x'))).rejects.toMatchObject({ kind: 'unavailable', retriable: true });
    server.failNext(1, { type: 'overloaded' });
    await expect(adapter().generate(msg('x'))).rejects.toMatchObject({ retriable: true });
    server.failNext(1, { type: 'unauthorized' });
    await expect(adapter().generate(msg('x'))).rejects.toMatchObject({ kind: 'auth', retriable: false });
    await expect(adapter().generate(msg('word '.repeat(300)))).rejects.toMatchObject({ kind: 'context-overflow', retriable: false });
    server.failNext(1, { type: 'slow', delayMs: 1000 });
    await expect(adapter().generate({ ...msg('x'), signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ kind: 'timeout', retriable: true });
  });

  it('fails a stream that breaks mid-way as retriable', async () => {
    server.failNext(1, { type: 'mid-stream-error' });
    await expect(collect(adapter().stream(msg('one two three four')))).rejects.toMatchObject({ retriable: true });
  });
}
