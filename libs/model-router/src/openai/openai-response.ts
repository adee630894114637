import { createHash, randomUUID } from 'node:crypto';
import type { ChatCompletion, ChatCompletionChunk, EmbeddingList, ModelList } from '@weaver/api-schema';
import type { FinishReason } from '@weaver/models';
import type { CatalogModel } from '../catalog/model-catalog';
import type { EmbedOutcome } from '../model-router';
import type { RoutedResult } from '../routed-result';
import type { RouterChunk } from '../stream-session';
import { AUTO_MODEL } from './openai-request';

type OpenAiFinish = ChatCompletion['choices'][number]['finish_reason'];
// The router's 'error' (a provider that ended abnormally but answered) has no OpenAI name: it stopped.
const finishOf = (f: FinishReason): OpenAiFinish => (f === 'error' ? 'stop' : f);

/**
 * The completion's id: derived from the idempotency key when there is one, so a replay answers
 * with the same id as the first call (and the same content, from the router's record).
 */
export function completionIdOf(tenantId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return `chatcmpl-${randomUUID().replaceAll('-', '')}`;
  return `chatcmpl-${createHash('sha256').update(`${tenantId}\n${idempotencyKey}`).digest('hex').slice(0, 32)}`;
}

const usageOf = (r: RoutedResult) => ({ prompt_tokens: r.inputTokens, completion_tokens: r.outputTokens, total_tokens: r.inputTokens + r.outputTokens });
const weaverOf = (r: RoutedResult) => ({ provider: r.provider, cost_usd: r.costUsd, replayed: r.replayed, cached: r.cached, fallbacks_tried: r.fallbacksTried });
const toolCallsOf = (r: RoutedResult) => r.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } }));

export function chatCompletionOf(r: RoutedResult, id: string, created: number): ChatCompletion {
  const calls = toolCallsOf(r);
  return {
    id,
    object: 'chat.completion',
    created,
    model: r.model,
    choices: [{ index: 0, message: { role: 'assistant', content: calls.length && !r.content ? null : r.content, refusal: null, ...(calls.length ? { tool_calls: calls } : {}) }, finish_reason: finishOf(r.finishReason), logprobs: null }],
    usage: usageOf(r),
    weaver: weaverOf(r),
  };
}

/**
 * A router stream as OpenAI's `chat.completion.chunk`s: a first chunk with the role, one per
 * text or tool-call delta, one with the finish reason, then (with `stream_options.include_usage`)
 * one with no choices and the usage. Deltas name the requested model (the answering one is
 * known only at the end); the last chunks name the model that answered.
 */
export class ChatChunks {
  private model: string;

  constructor(
    private readonly id: string,
    private readonly created: number,
    requested: string,
    private readonly includeUsage: boolean,
  ) {
    this.model = requested === AUTO_MODEL ? AUTO_MODEL : requested;
  }

  private chunk(delta: ChatCompletionChunk['choices'][number]['delta'], finish: OpenAiFinish | null = null): ChatCompletionChunk {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...(this.includeUsage ? { usage: null } : {}) };
  }

  first(): ChatCompletionChunk {
    return this.chunk({ role: 'assistant', content: '' });
  }

  of(c: RouterChunk): ChatCompletionChunk[] {
    switch (c.type) {
      case 'text':
        return c.text ? [this.chunk({ content: c.text })] : [];
      case 'tool-call':
        return [this.chunk({ tool_calls: [{ index: c.index, ...(c.id ? { id: c.id, type: 'function' as const } : {}), function: { ...(c.name ? { name: c.name } : {}), arguments: c.argumentsDelta } }] })];
      case 'done': {
        this.model = c.result.model;
        const last = this.chunk({}, finishOf(c.result.finishReason));
        if (!this.includeUsage) return [{ ...last, weaver: weaverOf(c.result) }];
        return [last, { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage: usageOf(c.result), weaver: weaverOf(c.result) }];
      }
    }
  }
}

export function embeddingListOf(out: EmbedOutcome, format: 'float' | 'base64' | undefined): EmbeddingList {
  return {
    object: 'list',
    data: out.vectors.map((v, index) => ({ object: 'embedding', index, embedding: format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v })),
    model: out.model,
    usage: { prompt_tokens: out.inputTokens, total_tokens: out.inputTokens },
    weaver: { cost_usd: out.costUsd, replayed: out.replayed },
  };
}

/** The catalogue's available models (a model whose key variable is unset is not listed) and `auto`. */
export function modelListOf(models: Iterable<CatalogModel>, created: number): ModelList {
  const data = [{ id: AUTO_MODEL, object: 'model' as const, created, owned_by: 'weaver' }];
  for (const m of models) if (m.available) data.push({ id: m.name, object: 'model', created, owned_by: m.provider });
  return { object: 'list', data };
}
