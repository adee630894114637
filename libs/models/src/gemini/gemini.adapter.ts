import { ApiError, GoogleGenAI, type Content, type GenerateContentParameters, type GenerateContentResponse, type Part } from '@google/genai';
import type { AdapterContext, AdapterSpec } from '../adapter-spec';
import type { ModelAdapter } from '../model-adapter';
import type { ChatMessage, EmbedRequest, EmbedResult, FinishReason, GenerateRequest, GenerateResult, ModelCapabilities, StreamDelta, ToolCall } from '../model-types';
import type { ProviderError } from '../provider-error';
import { estimateTokens } from '../token-estimate';
import { argumentsObject, durationMs, finishOf, providerError, transportError, usageOf } from '../provider-mapping';

const FINISH: Record<string, FinishReason> = { STOP: 'stop', MAX_TOKENS: 'length', SAFETY: 'content_filter', RECITATION: 'content_filter', PROHIBITED_CONTENT: 'content_filter', BLOCKLIST: 'content_filter', SPII: 'content_filter', MALFORMED_FUNCTION_CALL: 'error' };

/** Gemini names a function response by the function's name; Weaver by the call id (both are sent). */
function toContents(messages: ChatMessage[]): { system: string | undefined; contents: Content[] } {
  const nameOfCall = new Map<string, string>();
  for (const m of messages) for (const c of m.toolCalls ?? []) nameOfCall.set(c.id, c.name);
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const contents: Content[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    const parts: Part[] = [];
    if (m.role === 'tool') parts.push({ functionResponse: { id: m.toolCallId, name: nameOfCall.get(m.toolCallId ?? '') ?? '', response: { output: m.content } } });
    else if (m.content) parts.push({ text: m.content });
    for (const c of m.toolCalls ?? []) parts.push({ functionCall: { id: c.id, name: c.name, args: argumentsObject(c.arguments) } });
    const role = m.role === 'assistant' ? 'model' : 'user';
    const last = contents[contents.length - 1];
    if (last?.role === role) last.parts?.push(...parts);
    else contents.push({ role, parts });
  }
  return { system: system.length ? system.join('\n\n') : undefined, contents };
}

/** Gemini may omit a call's id: one is made from the turn and position. */
const callsOf = (r: GenerateContentResponse, turn: number, from = 0): ToolCall[] =>
  (r.functionCalls ?? []).map((c, i) => ({ id: c.id || `call_${turn}_${from + i}`, name: c.name ?? '', arguments: JSON.stringify(c.args ?? {}) }));

const textOf = (r: GenerateContentResponse): string => (r.candidates?.[0]?.content?.parts ?? []).map((p) => (p.thought ? '' : (p.text ?? ''))).join('');

/**
 * Google Gemini (the Gemini API) through the official `@google/genai` SDK: `generateContent`,
 * `generateContentStream` (`:streamGenerateContent?alt=sse`), `embedContent`
 * (`:batchEmbedContents`). System messages become `systemInstruction`, tools
 * `functionDeclarations`, structured output `responseJsonSchema`. The SDK's retries are off.
 */
export class GeminiAdapter implements ModelAdapter {
  readonly provider = 'gemini';
  private readonly client: GoogleGenAI;

  constructor(
    private readonly spec: AdapterSpec,
    ctx: AdapterContext,
  ) {
    this.client = new GoogleGenAI({
      apiKey: spec.apiKey ?? '',
      httpOptions: { ...(spec.endpoint ? { baseUrl: spec.endpoint } : {}), timeout: spec.timeoutMs, retryOptions: { attempts: 1 }, fetch: ctx.fetch },
    });
  }

  capabilities(): ModelCapabilities {
    return this.spec.capabilities;
  }

  private params(req: GenerateRequest): GenerateContentParameters {
    const { system, contents } = toContents(req.messages);
    return {
      model: req.model,
      contents,
      config: {
        // The SDK would re-open a stream that broke before any content: retries are the router's.
        automaticContinuation: false,
        ...(system !== undefined ? { systemInstruction: system } : {}),
        ...(req.tools?.length ? { tools: [{ functionDeclarations: req.tools.map((t) => ({ name: t.name, description: t.description, parametersJsonSchema: t.parameters })) }] } : {}),
        ...(req.jsonSchema || req.jsonMode ? { responseMimeType: 'application/json' } : {}),
        ...(req.jsonSchema ? { responseJsonSchema: req.jsonSchema.schema } : {}),
        ...(req.maxTokens !== undefined ? { maxOutputTokens: req.maxTokens } : {}),
        ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
        ...(req.signal ? { abortSignal: req.signal } : {}),
      },
    };
  }

  /** The SDK's ApiError carries the JSON error body as its message: `{"error":{code,message,status,details}}`. */
  private error(err: unknown, signal?: AbortSignal): ProviderError {
    if (err instanceof ApiError) {
      const at = err.message.indexOf('{');
      let body: { error?: { message?: string; status?: string; details?: Array<{ retryDelay?: unknown; reason?: string }> } } = {};
      try {
        body = at >= 0 ? (JSON.parse(err.message.slice(at)) as typeof body) : {};
      } catch {
        // keep the raw message
      }
      const details = body.error?.details ?? [];
      const code = details.find((d) => d.reason)?.reason ?? body.error?.status;
      const retryAfterMs = details.map((d) => durationMs(d.retryDelay)).find((v) => v !== undefined);
      return providerError(this.provider, { status: err.status, message: body.error?.message ?? err.message, code, retryAfterMs }, err);
    }
    return transportError(this.provider, err, signal);
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    try {
      const out = await this.client.models.generateContent(this.params(req));
      const toolCalls = callsOf(out, req.messages.length);
      const u = out.usageMetadata;
      return {
        content: textOf(out),
        toolCalls,
        finishReason: toolCalls.length ? 'tool_calls' : finishOf(FINISH, out.candidates?.[0]?.finishReason),
        usage: usageOf(u?.promptTokenCount, (u?.candidatesTokenCount ?? 0) + (u?.thoughtsTokenCount ?? 0)),
        model: out.modelVersion || req.model,
      };
    } catch (err) {
      throw this.error(err, req.signal);
    }
  }

  async *stream(req: GenerateRequest): AsyncIterable<StreamDelta> {
    let finish: string | undefined;
    let usage = usageOf(0, 0);
    let model = req.model;
    let calls = 0;
    try {
      const chunks = await this.client.models.generateContentStream(this.params(req));
      for await (const chunk of chunks) {
        model = chunk.modelVersion || model;
        // usageMetadata is cumulative: the last one seen is the call's.
        const u = chunk.usageMetadata;
        if (u) usage = usageOf(u.promptTokenCount, (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0));
        const text = textOf(chunk);
        if (text) yield { type: 'text', text };
        // Gemini sends each function call whole.
        for (const c of callsOf(chunk, req.messages.length, calls)) yield { type: 'tool-call', index: calls++, id: c.id, name: c.name, argumentsDelta: c.arguments };
        finish = chunk.candidates?.[0]?.finishReason ?? finish;
      }
    } catch (err) {
      throw this.error(err, req.signal);
    }
    yield { type: 'finish', finishReason: calls ? 'tool_calls' : finishOf(FINISH, finish), usage, model };
  }

  async embed(req: EmbedRequest): Promise<EmbedResult> {
    try {
      const out = await this.client.models.embedContent({ model: req.model, contents: req.texts, ...(req.signal ? { config: { abortSignal: req.signal } } : {}) });
      // The Gemini API reports no token count for embeddings: bill the estimate.
      return { vectors: (out.embeddings ?? []).map((e) => e.values ?? []), usage: usageOf(req.texts.reduce((n, t) => n + estimateTokens(t), 0), 0), model: req.model };
    } catch (err) {
      throw this.error(err, req.signal);
    }
  }

  async close(): Promise<void> {
    // Connections belong to the shared pool.
  }
}
