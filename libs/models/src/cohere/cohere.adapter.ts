import { CohereClientV2, CohereError, type Cohere } from 'cohere-ai';
import type { AdapterContext, AdapterSpec } from '../adapter-spec';
import type { ModelAdapter } from '../model-adapter';
import type { ChatMessage, EmbedRequest, EmbedResult, FinishReason, GenerateRequest, GenerateResult, ModelCapabilities, StreamDelta } from '../model-types';
import { parseRetryAfter, type ProviderError } from '../provider-error';
import { finishOf, providerError, transportError, usageOf } from '../provider-mapping';

const FINISH: Record<string, FinishReason> = { COMPLETE: 'stop', STOP_SEQUENCE: 'stop', MAX_TOKENS: 'length', TOOL_CALL: 'tool_calls', ERROR: 'error', TIMEOUT: 'error' };

function toCohereMessages(messages: ChatMessage[]): Cohere.ChatMessageV2[] {
  return messages.map((m): Cohere.ChatMessageV2 => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content };
      case 'user':
        return { role: 'user', content: m.content };
      case 'tool':
        return { role: 'tool', toolCallId: m.toolCallId ?? '', content: m.content };
      case 'assistant':
        return m.toolCalls?.length
          ? { role: 'assistant', toolCalls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })), ...(m.content ? { toolPlan: m.content } : {}) }
          : { role: 'assistant', content: m.content };
    }
  });
}

/** Billed units are what Cohere charges (its `tokens` add the preamble it inserts); the ledger follows the bill. */
const usageOfCohere = (u: Cohere.Usage | undefined) => usageOf(u?.billedUnits?.inputTokens ?? u?.tokens?.inputTokens, u?.billedUnits?.outputTokens ?? u?.tokens?.outputTokens);

/**
 * Cohere's v2 API through the official `cohere-ai` SDK (`CohereClientV2`): `chat`, `chatStream`
 * (SSE events `content-delta`, `tool-call-start|delta`, `message-end` with usage) and `embed`
 * (`embedding_types: [float]`, `input_type` from models.yaml `options.input_type`, default
 * `search_document`). Structured output is `response_format: json_object` with the schema.
 */
export class CohereAdapter implements ModelAdapter {
  readonly provider = 'cohere';
  private readonly client: CohereClientV2;

  constructor(
    private readonly spec: AdapterSpec,
    ctx: AdapterContext,
  ) {
    this.client = new CohereClientV2({ token: spec.apiKey ?? '', ...(spec.endpoint ? { baseUrl: spec.endpoint } : {}), fetch: ctx.fetch, maxRetries: 0, timeoutInSeconds: spec.timeoutMs / 1000 });
  }

  capabilities(): ModelCapabilities {
    return this.spec.capabilities;
  }

  private body(req: GenerateRequest): Cohere.V2ChatRequest {
    return {
      model: req.model,
      messages: toCohereMessages(req.messages),
      ...(req.tools?.length ? { tools: req.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })) } : {}),
      ...(req.jsonSchema || req.jsonMode ? { responseFormat: { type: 'json_object' as const, ...(req.jsonSchema ? { jsonSchema: req.jsonSchema.schema } : {}) } } : {}),
      ...(req.maxTokens !== undefined ? { maxTokens: req.maxTokens } : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    };
  }

  private options(signal?: AbortSignal) {
    return { maxRetries: 0, timeoutInSeconds: this.spec.timeoutMs / 1000, ...(signal ? { abortSignal: signal } : {}) };
  }

  private error(err: unknown, signal?: AbortSignal): ProviderError {
    if (err instanceof CohereError && err.statusCode !== undefined) {
      const body = err.body as { message?: unknown } | string | undefined;
      const message = typeof body === 'object' && body && typeof body.message === 'string' ? body.message : String(body ?? err.message);
      return providerError(this.provider, { status: err.statusCode, message, retryAfterMs: parseRetryAfter(err.rawResponse?.headers) }, err);
    }
    return transportError(this.provider, err, signal);
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    try {
      const out = await this.client.chat(this.body(req), this.options(req.signal));
      const content = (out.message.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('');
      const toolCalls = (out.message.toolCalls ?? []).map((c, i) => ({ id: c.id ?? `call_${i}`, name: c.function?.name ?? '', arguments: c.function?.arguments ?? '{}' }));
      return { content, toolCalls, finishReason: finishOf(FINISH, out.finishReason), usage: usageOfCohere(out.usage), model: req.model };
    } catch (err) {
      throw this.error(err, req.signal);
    }
  }

  async *stream(req: GenerateRequest): AsyncIterable<StreamDelta> {
    let finish: string | undefined;
    let usage = usageOf(0, 0);
    try {
      const events = await this.client.chatStream(this.body(req), this.options(req.signal));
      for await (const ev of events) {
        if (ev.type === 'content-delta' && ev.delta?.message?.content?.text) yield { type: 'text', text: ev.delta.message.content.text };
        else if (ev.type === 'tool-call-start') {
          const call = ev.delta?.message?.toolCalls;
          yield { type: 'tool-call', index: ev.index ?? 0, id: call?.id, name: call?.function?.name, argumentsDelta: call?.function?.arguments ?? '' };
        } else if (ev.type === 'tool-call-delta') yield { type: 'tool-call', index: ev.index ?? 0, argumentsDelta: ev.delta?.message?.toolCalls?.function?.arguments ?? '' };
        else if (ev.type === 'message-end') {
          if (ev.delta?.error) throw providerError(this.provider, { message: ev.delta.error, status: 500 });
          finish = ev.delta?.finishReason;
          usage = usageOfCohere(ev.delta?.usage);
        }
      }
    } catch (err) {
      throw this.error(err, req.signal);
    }
    yield { type: 'finish', finishReason: finishOf(FINISH, finish), usage, model: req.model };
  }

  async embed(req: EmbedRequest): Promise<EmbedResult> {
    const inputType = String(this.spec.options['input_type'] ?? 'search_document') as Cohere.EmbedInputType;
    try {
      const out = await this.client.embed({ model: req.model, texts: req.texts, inputType, embeddingTypes: ['float'] }, this.options(req.signal));
      return { vectors: out.embeddings.float ?? [], usage: usageOf(out.meta?.billedUnits?.inputTokens, 0), model: req.model };
    } catch (err) {
      throw this.error(err, req.signal);
    }
  }

  async close(): Promise<void> {
    // Connections belong to the shared pool.
  }
}
