import { Ollama, type ChatRequest, type ChatResponse, type Message } from 'ollama';
import type { AdapterContext, AdapterSpec } from '../adapter-spec';
import type { ModelAdapter } from '../model-adapter';
import type { ChatMessage, EmbedRequest, EmbedResult, FinishReason, GenerateRequest, GenerateResult, ModelCapabilities, StreamDelta, ToolCall } from '../model-types';
import { argumentsObject, fetchWithSignal, finishOf, providerError, transportError, usageOf } from '../provider-mapping';
import type { ProviderError } from '../provider-error';

export const OLLAMA_ENDPOINT = 'http://127.0.0.1:11434';
const FINISH: Record<string, FinishReason> = { stop: 'stop', length: 'length' };

/** Ollama names a tool result by the tool's name, Weaver by the call's id: find the name in the assistant turn. */
function toOllamaMessages(messages: ChatMessage[]): Message[] {
  const nameOfCall = new Map<string, string>();
  for (const m of messages) for (const c of m.toolCalls ?? []) nameOfCall.set(c.id, c.name);
  return messages.map((m) => ({
    role: m.role,
    content: m.content,
    ...(m.toolCalls?.length ? { tool_calls: m.toolCalls.map((c) => ({ function: { name: c.name, arguments: argumentsObject(c.arguments) } })) } : {}),
    ...(m.role === 'tool' ? { tool_name: nameOfCall.get(m.toolCallId ?? '') ?? '' } : {}),
  }));
}

/** Ollama's tool calls carry no id: one is made from the turn and position, unique within the conversation. */
const toolCallsOf = (msg: Message, turn: number): ToolCall[] =>
  (msg.tool_calls ?? []).map((c, i) => ({ id: `call_${turn}_${i}`, name: c.function.name, arguments: JSON.stringify(c.function.arguments ?? {}) }));

/**
 * Ollama's native API through the official `ollama` client: `/api/chat` (NDJSON when streamed;
 * tool calls arrive whole, not in fragments), `/api/embed`, usage from `prompt_eval_count` /
 * `eval_count`. Structured output is Ollama's `format` (a JSON Schema, or `"json"`).
 */
export class OllamaAdapter implements ModelAdapter {
  readonly provider = 'ollama';

  constructor(
    private readonly spec: AdapterSpec,
    private readonly ctx: AdapterContext,
  ) {}

  capabilities(): ModelCapabilities {
    return this.spec.capabilities;
  }

  /** A client per call (a plain object): the only way to give its fetch the call's deadline. */
  private client(signal?: AbortSignal): { client: Ollama; signal: AbortSignal } {
    const s = signal ?? AbortSignal.timeout(this.spec.timeoutMs);
    const headers = this.spec.apiKey ? { authorization: `Bearer ${this.spec.apiKey}` } : undefined;
    return { client: new Ollama({ host: this.spec.endpoint ?? OLLAMA_ENDPOINT, fetch: fetchWithSignal(this.ctx.fetch, s), headers }), signal: s };
  }

  private body(req: GenerateRequest): ChatRequest {
    return {
      model: req.model,
      messages: toOllamaMessages(req.messages),
      ...(req.tools?.length ? { tools: req.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } })) } : {}),
      ...(req.jsonSchema ? { format: req.jsonSchema.schema } : req.jsonMode ? { format: 'json' } : {}),
      options: { ...(req.maxTokens !== undefined ? { num_predict: req.maxTokens } : {}), ...(req.temperature !== undefined ? { temperature: req.temperature } : {}) },
    };
  }

  private error(err: unknown, signal: AbortSignal): ProviderError {
    const e = err as { name?: string; status_code?: number; error?: string };
    if (e?.name === 'ResponseError') return providerError(this.provider, { status: e.status_code, message: e.error ?? '' }, err);
    return transportError(this.provider, err, signal);
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const { client, signal } = this.client(req.signal);
    let out: ChatResponse;
    try {
      out = await client.chat({ ...this.body(req), stream: false });
    } catch (err) {
      throw this.error(err, signal);
    }
    const toolCalls = toolCallsOf(out.message, req.messages.length);
    return {
      content: out.message.content ?? '',
      toolCalls,
      finishReason: toolCalls.length ? 'tool_calls' : finishOf(FINISH, out.done_reason),
      usage: usageOf(out.prompt_eval_count, out.eval_count),
      model: out.model || req.model,
    };
  }

  async *stream(req: GenerateRequest): AsyncIterable<StreamDelta> {
    const { client, signal } = this.client(req.signal);
    let last: ChatResponse | undefined;
    let calls = 0;
    try {
      const chunks = await client.chat({ ...this.body(req), stream: true });
      for await (const chunk of chunks) {
        last = chunk;
        if (chunk.message?.content) yield { type: 'text', text: chunk.message.content };
        for (const c of toolCallsOf(chunk.message, req.messages.length)) {
          yield { type: 'tool-call', index: calls, id: `call_${req.messages.length}_${calls++}`, name: c.name, argumentsDelta: c.arguments };
        }
      }
    } catch (err) {
      throw this.error(err, signal);
    }
    const finishReason = calls ? 'tool_calls' : finishOf(FINISH, last?.done_reason);
    yield { type: 'finish', finishReason, usage: usageOf(last?.prompt_eval_count, last?.eval_count), model: last?.model || req.model };
  }

  async embed(req: EmbedRequest): Promise<EmbedResult> {
    const { client, signal } = this.client(req.signal);
    try {
      const out = await client.embed({ model: req.model, input: req.texts });
      return { vectors: out.embeddings, usage: usageOf(out.prompt_eval_count, 0), model: out.model || req.model };
    } catch (err) {
      throw this.error(err, signal);
    }
  }

  async close(): Promise<void> {
    // Connections belong to the shared pool.
  }
}
