import { InferenceClient } from '@huggingface/inference';
import type { AdapterContext, AdapterSpec } from '../adapter-spec';
import type { ModelAdapter } from '../model-adapter';
import type { EmbedRequest, EmbedResult, GenerateRequest, GenerateResult, ModelCapabilities, StreamDelta } from '../model-types';
import { ProviderError, parseRetryAfter } from '../provider-error';
import { estimateTokens } from '../token-estimate';
import { argumentsText, finishReasonOf, toOpenAIMessages } from '../openai/openai-mapping';
import { fromHuggingFaceError } from './huggingface-errors';
import { withSchemaInstruction } from '../json-schema-instruction';

type ChatArgs = Parameters<InferenceClient['chatCompletion']>[0];

/**
 * Hugging Face Inference Endpoints / TGI through the official `@huggingface/inference` client:
 * chat goes to TGI's Messages API (`<endpoint>/v1/chat/completions`), embeddings to a Text
 * Embeddings Inference route (`<endpoint><embed_path>`, default `/embed`). The client's own
 * retry on 503 is off; a per-call fetch wrapper keeps the response headers so Retry-After can
 * reach the router (the client's error type does not carry headers).
 */
export class HuggingFaceAdapter implements ModelAdapter {
  readonly provider = 'huggingface';

  constructor(
    private readonly spec: AdapterSpec,
    private readonly ctx: AdapterContext,
  ) {
    if (!spec.endpoint) throw new ProviderError('bad-request', this.provider, `model ${spec.name}: endpoint is required (an Inference Endpoint or TGI URL)`);
  }

  capabilities(): ModelCapabilities {
    return this.spec.capabilities;
  }

  private call(signal?: AbortSignal) {
    const seen: { headers?: Headers } = {};
    const fetchKeepingHeaders: typeof fetch = async (input, init) => {
      const res = await this.ctx.fetch(input, { ...init, signal: init?.signal ?? signal ?? AbortSignal.timeout(this.spec.timeoutMs) });
      seen.headers = res.headers;
      return res;
    };
    return {
      client: new InferenceClient(this.spec.apiKey, { endpointUrl: this.spec.endpoint, fetch: fetchKeepingHeaders, retry_on_error: false }),
      retryAfter: () => parseRetryAfter(seen.headers),
      signal: signal ?? AbortSignal.timeout(this.spec.timeoutMs),
    };
  }

  /** TGI's grammar form differs across versions: the schema goes in as an instruction with JSON mode. */
  private args(request: GenerateRequest): ChatArgs {
    const req = withSchemaInstruction(request);
    return {
      model: req.model,
      messages: toOpenAIMessages(req.messages) as ChatArgs['messages'],
      ...(req.tools?.length
        ? { tools: req.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } })) }
        : {}),
      ...(req.jsonMode ? { response_format: { type: 'json_object' as const } } : {}),
      ...(req.maxTokens !== undefined ? { max_tokens: req.maxTokens } : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    };
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const { client, retryAfter, signal } = this.call(req.signal);
    try {
      const out = await client.chatCompletion(this.args(req), { signal });
      const choice = out.choices[0];
      return {
        content: choice?.message.content ?? '',
        toolCalls: (choice?.message.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: argumentsText(c.function.arguments) })),
        finishReason: finishReasonOf(choice?.finish_reason),
        usage: { inputTokens: out.usage?.prompt_tokens ?? 0, outputTokens: out.usage?.completion_tokens ?? 0 },
        model: out.model || req.model,
      };
    } catch (err) {
      throw fromHuggingFaceError(err, retryAfter(), signal);
    }
  }

  async *stream(req: GenerateRequest): AsyncIterable<StreamDelta> {
    const { client, retryAfter, signal } = this.call(req.signal);
    let finishReason: string | undefined;
    let usage = { inputTokens: 0, outputTokens: 0 };
    let model = req.model;
    try {
      const chunks = client.chatCompletionStream({ ...this.args(req), stream_options: { include_usage: true } }, { signal });
      for await (const chunk of chunks) {
        model = chunk.model || model;
        if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        if (choice.delta.content) yield { type: 'text', text: choice.delta.content };
        for (const call of choice.delta.tool_calls ?? []) {
          yield { type: 'tool-call', index: call.index, id: call.id || undefined, name: call.function.name, argumentsDelta: argumentsText(call.function.arguments ?? '') };
        }
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
    } catch (err) {
      throw fromHuggingFaceError(err, retryAfter(), signal);
    }
    yield { type: 'finish', finishReason: finishReasonOf(finishReason), usage, model };
  }

  async embed(req: EmbedRequest): Promise<EmbedResult> {
    const embedPath = String(this.spec.options['embed_path'] ?? '/embed');
    const { client, retryAfter, signal } = this.call(req.signal);
    try {
      const out = await client.featureExtraction({ endpointUrl: `${this.spec.endpoint?.replace(/\/+$/, '')}${embedPath}`, inputs: req.texts }, { signal });
      const vectors = (out as unknown[]).map((v) => (Array.isArray(v) ? (v as number[]) : [])).filter((v) => typeof v[0] === 'number');
      // TEI reports no usage: bill the estimate.
      return { vectors, usage: { inputTokens: req.texts.reduce((n, t) => n + estimateTokens(t), 0), outputTokens: 0 }, model: req.model };
    } catch (err) {
      throw fromHuggingFaceError(err, retryAfter(), signal);
    }
  }

  async close(): Promise<void> {
    // Connections belong to the shared pool.
  }
}
