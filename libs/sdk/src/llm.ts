import type { ZodType } from 'zod';

/**
 * What an agent sees of the model gateway: `this.llm.generate(...)`. The runtime implements it
 * with the router service (with an idempotency key per step, so a replayed step is not billed
 * twice); tests may pass their own.
 */
export interface LlmMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** On a 'tool' message: the call it answers. */
  toolCallId?: string;
  /** On an 'assistant' message: the tool calls the model proposed (sent back in a tool-use loop). */
  toolCalls?: LlmToolCall[];
}

export interface LlmToolSpec {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
}

export interface LlmRequest {
  /** Shorthand for one user message. */
  prompt?: string;
  system?: string;
  messages?: LlmMessage[];
  tools?: LlmToolSpec[];
  json?: boolean;
  /**
   * Structured output (set by `structured`): the JSON Schema the answer must match. The router
   * sends it natively where the provider can (OpenAI json_schema), else JSON mode plus an
   * instruction. Implies `json`.
   */
  jsonSchema?: { name?: string; schema: Record<string, unknown> };
  maxTokens?: number;
  temperature?: number;
  /** Required model capabilities, e.g. ["tool_calling"]. */
  capabilities?: string[];
  /** Preferred model name from config/models.yaml. */
  model?: string;
}

export interface LlmToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface LlmResponse {
  text: string;
  toolCalls: LlmToolCall[];
  model: string;
  usage: { inputTokens: number; outputTokens: number };
  costUsd: number;
  /** True when the router returned the recorded answer for this step's idempotency key. */
  replayed: boolean;
}

/** One piece of a streamed answer, as the provider sent it. */
export interface LlmStreamChunk {
  /** Text added by this chunk (may be empty for a tool-call or usage chunk). */
  delta: string;
}

/** A streamed answer: iterate the chunks; `response` settles with the whole answer at the end. */
export interface LlmStream extends AsyncIterable<LlmStreamChunk> {
  response: Promise<LlmResponse>;
}

export interface EmbedRequest {
  input: string[];
  /** Preferred embedding model from config/models.yaml (else the router picks one with capability "embeddings"). */
  model?: string;
}

export interface EmbedResponse {
  vectors: number[][];
  model: string;
  usage: { inputTokens: number };
  costUsd: number;
  replayed: boolean;
}

/**
 * Issue 9 contract (implemented by the runtime through the router; all calls of a step are
 * billed once even when the step is redelivered): `stream` sends tokens as they arrive (and on
 * to the run's SSE stream as progress), `embed` returns one vector per input, `structured`
 * asks for JSON matching a zod schema and returns the parsed value.
 */
export interface LlmClient {
  generate(request: LlmRequest): Promise<LlmResponse>;
  stream(request: LlmRequest): LlmStream;
  embed(request: EmbedRequest): Promise<EmbedResponse>;
  structured<T>(schema: ZodType<T>, request: LlmRequest): Promise<{ value: T; response: LlmResponse }>;
}
