import OpenAI from 'openai';
import type { AdapterContext, AdapterSpec } from '../adapter-spec';
import type { ModelAdapter } from '../model-adapter';
import type { EmbedRequest, EmbedResult, GenerateRequest, GenerateResult, ModelCapabilities, StreamDelta } from '../model-types';
import { estimateTokens } from '../token-estimate';
import { fromOpenAIError } from './openai-errors';
import { finishReasonOf, fromOpenAICompletion, toOpenAIBody } from './openai-mapping';

export interface OpenAIAdapterOptions {
  provider: string;
  defaultEndpoint?: string;
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Self-hosted servers often need no key; the SDK still wants a non-empty string. */
  apiKeyOptional: boolean;
  /** A client of the SDK's own subclass (Azure OpenAI's `AzureOpenAI`) instead of `OpenAI`. */
  client?: OpenAI;
}

/**
 * OpenAI Chat Completions and Embeddings through the official `openai` SDK. The SDK's own
 * retries are off (`maxRetries: 0`): the router retries, falls back and keeps the breaker, so a
 * retry is decided in one place and counted once.
 */
export class OpenAIAdapter implements ModelAdapter {
  readonly provider: string;
  protected readonly client: OpenAI;

  constructor(
    protected readonly spec: AdapterSpec,
    ctx: AdapterContext,
    options: OpenAIAdapterOptions = { provider: 'openai', maxTokensField: 'max_completion_tokens', apiKeyOptional: false },
  ) {
    this.provider = options.provider;
    this.maxTokensField = options.maxTokensField;
    this.client = options.client ?? new OpenAI({
      apiKey: spec.apiKey ?? (options.apiKeyOptional ? 'none' : undefined),
      baseURL: spec.endpoint ?? options.defaultEndpoint,
      timeout: spec.timeoutMs,
      maxRetries: 0,
      fetch: ctx.fetch,
    });
  }

  private readonly maxTokensField: 'max_completion_tokens' | 'max_tokens';

  capabilities(): ModelCapabilities {
    return this.spec.capabilities;
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    try {
      const completion = await this.client.chat.completions.create(toOpenAIBody(req, this.maxTokensField), { signal: req.signal });
      return fromOpenAICompletion(completion);
    } catch (err) {
      throw fromOpenAIError(this.provider, err, req.signal);
    }
  }

  async *stream(req: GenerateRequest): AsyncIterable<StreamDelta> {
    let finishReason: string | null = null;
    let usage = { inputTokens: 0, outputTokens: 0 };
    let model = req.model;
    try {
      const body = { ...toOpenAIBody(req, this.maxTokensField), stream: true as const, stream_options: { include_usage: true } };
      const chunks = await this.client.chat.completions.create(body, { signal: req.signal });
      for await (const chunk of chunks) {
        model = chunk.model || model;
        if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
        const choice = chunk.choices[0];
        if (!choice) continue;
        if (choice.delta.content) yield { type: 'text', text: choice.delta.content };
        for (const call of choice.delta.tool_calls ?? []) {
          yield { type: 'tool-call', index: call.index, id: call.id, name: call.function?.name, argumentsDelta: call.function?.arguments ?? '' };
        }
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
    } catch (err) {
      throw fromOpenAIError(this.provider, err, req.signal);
    }
    yield { type: 'finish', finishReason: finishReasonOf(finishReason), usage, model };
  }

  async embed(req: EmbedRequest): Promise<EmbedResult> {
    try {
      const res = await this.client.embeddings.create({ model: req.model, input: req.texts }, { signal: req.signal });
      const vectors = [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      const input = res.usage?.prompt_tokens ?? req.texts.reduce((n, t) => n + estimateTokens(t), 0);
      return { vectors, usage: { inputTokens: input, outputTokens: 0 }, model: res.model || req.model };
    } catch (err) {
      throw fromOpenAIError(this.provider, err, req.signal);
    }
  }

  async close(): Promise<void> {
    // Connections belong to the shared pool; nothing per adapter to release.
  }
}
