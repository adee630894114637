import { HTTPClient, Mistral } from '@mistralai/mistralai';
import type { AdapterContext, AdapterSpec } from '../adapter-spec';
import type { ModelAdapter } from '../model-adapter';
import type { ChatMessage, EmbedRequest, EmbedResult, FinishReason, GenerateRequest, GenerateResult, ModelCapabilities, StreamDelta, ToolCall } from '../model-types';
import type { ProviderError } from '../provider-error';
import { parseRetryAfter } from '../provider-error';
import { finishOf, providerError, transportError, usageOf } from '../provider-mapping';

// The SDK's model types live behind subpath exports this repository's module resolution cannot
// see; they are taken from the method signatures instead.
type ChatRequest = Parameters<Mistral['chat']['complete']>[0];
type Messages = ChatRequest['messages'];
type ContentChunk = Extract<NonNullable<Messages[number]['content']>, unknown[]>[number];
/** The SDK's MistralError (an HTTP answer other than 2xx), recognised by its shape. */
interface MistralHttpError extends Error {
  statusCode: number;
  body: string;
  headers: Headers;
}
const isMistralHttpError = (err: unknown): err is MistralHttpError =>
  err instanceof Error && typeof (err as Partial<MistralHttpError>).statusCode === 'number' && typeof (err as Partial<MistralHttpError>).body === 'string';
const FINISH: Record<string, FinishReason> = { stop: 'stop', length: 'length', model_length: 'length', tool_calls: 'tool_calls', error: 'error' };

const textOf = (c: string | Array<ContentChunk> | null | undefined): string =>
  typeof c === 'string' ? c : (c ?? []).map((p) => (p.type === 'text' ? p.text : '')).join('');
const argsText = (a: string | Record<string, unknown>): string => (typeof a === 'string' ? a : JSON.stringify(a));

function toMistralMessages(messages: ChatMessage[]): Messages {
  return messages.map((m): Messages[number] => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content };
      case 'user':
        return { role: 'user', content: m.content };
      case 'tool':
        return { role: 'tool', content: m.content, toolCallId: m.toolCallId ?? '' };
      case 'assistant':
        return { role: 'assistant', content: m.content, toolCalls: m.toolCalls?.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) };
    }
  });
}

/**
 * Mistral's La Plateforme through the official `@mistralai/mistralai` SDK: `chat.complete`,
 * `chat.stream` (SSE; usage arrives on the last chunk) and `embeddings.create`. Structured
 * output is native (`response_format: json_schema`). The SDK's retries are off.
 */
export class MistralAdapter implements ModelAdapter {
  readonly provider = 'mistral';
  private readonly client: Mistral;

  constructor(
    private readonly spec: AdapterSpec,
    ctx: AdapterContext,
  ) {
    this.client = new Mistral({
      apiKey: spec.apiKey ?? '',
      ...(spec.endpoint ? { serverURL: spec.endpoint } : {}),
      timeoutMs: spec.timeoutMs,
      retryConfig: { strategy: 'none' },
      httpClient: new HTTPClient({ fetcher: (input, init) => ctx.fetch(input, init) }),
    });
  }

  capabilities(): ModelCapabilities {
    return this.spec.capabilities;
  }

  private body(req: GenerateRequest): ChatRequest {
    return {
      model: req.model,
      messages: toMistralMessages(req.messages),
      ...(req.tools?.length ? { tools: req.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })) } : {}),
      ...(req.jsonSchema
        ? { responseFormat: { type: 'json_schema' as const, jsonSchema: { name: req.jsonSchema.name, schemaDefinition: req.jsonSchema.schema, strict: false } } }
        : req.jsonMode
          ? { responseFormat: { type: 'json_object' as const } }
          : {}),
      ...(req.maxTokens !== undefined ? { maxTokens: req.maxTokens } : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    };
  }

  private error(err: unknown, signal?: AbortSignal): ProviderError {
    if (isMistralHttpError(err)) {
      let message = err.body;
      try {
        const b = JSON.parse(err.body) as { message?: unknown; detail?: unknown };
        message = typeof b.message === 'string' ? b.message : JSON.stringify(b.detail ?? b.message ?? b);
      } catch {
        // not JSON: the body as it came
      }
      return providerError(this.provider, { status: err.statusCode, message, retryAfterMs: parseRetryAfter(err.headers) }, err);
    }
    return transportError(this.provider, err, signal);
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    try {
      const out = await this.client.chat.complete(this.body(req), { fetchOptions: { signal: req.signal } });
      const choice = out.choices[0];
      const toolCalls: ToolCall[] = (choice?.message?.toolCalls ?? []).map((c, i) => ({ id: c.id ?? `call_${i}`, name: c.function.name, arguments: argsText(c.function.arguments) }));
      return {
        content: textOf(choice?.message?.content),
        toolCalls,
        finishReason: finishOf(FINISH, choice?.finishReason),
        usage: usageOf(out.usage.promptTokens, out.usage.completionTokens),
        model: out.model || req.model,
      };
    } catch (err) {
      throw this.error(err, req.signal);
    }
  }

  async *stream(req: GenerateRequest): AsyncIterable<StreamDelta> {
    let finish: string | undefined;
    let usage = usageOf(0, 0);
    let model = req.model;
    try {
      const events = await this.client.chat.stream(this.body(req), { fetchOptions: { signal: req.signal } });
      for await (const { data } of events) {
        model = data.model || model;
        if (data.usage) usage = usageOf(data.usage.promptTokens, data.usage.completionTokens);
        const choice = data.choices[0];
        if (!choice) continue;
        const text = textOf(choice.delta.content);
        if (text) yield { type: 'text', text };
        for (const [i, c] of (choice.delta.toolCalls ?? []).entries()) {
          yield { type: 'tool-call', index: c.index ?? i, id: c.id, name: c.function.name || undefined, argumentsDelta: argsText(c.function.arguments) };
        }
        if (choice.finishReason) finish = choice.finishReason;
      }
    } catch (err) {
      throw this.error(err, req.signal);
    }
    yield { type: 'finish', finishReason: finishOf(FINISH, finish), usage, model };
  }

  async embed(req: EmbedRequest): Promise<EmbedResult> {
    try {
      const out = await this.client.embeddings.create({ model: req.model, inputs: req.texts }, { fetchOptions: { signal: req.signal } });
      const vectors = [...out.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => d.embedding ?? []);
      return { vectors, usage: usageOf(out.usage.promptTokens, 0), model: out.model || req.model };
    } catch (err) {
      throw this.error(err, req.signal);
    }
  }

  async close(): Promise<void> {
    // Connections belong to the shared pool.
  }
}
