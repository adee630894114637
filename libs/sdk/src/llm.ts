import type { ZodType } from 'zod';

/**
 * What an agent sees of the model gateway: `this.llm.generate(...)`. The runtime implements it
 * with the router service (with an idempotency key per step, so a replayed step is not billed
 * twice); tests may pass their own.
 */
export interface LlmMessage {
  /** Who speaks: the system prompt, the user, the model, or a tool's answer. */
  role: 'system' | 'user' | 'assistant' | 'tool';
  /** The text. */
  content: string;
  /** On a 'tool' message: the call it answers. */
  toolCallId?: string;
  /** On an 'assistant' message: the tool calls the model proposed (sent back in a tool-use loop). */
  toolCalls?: LlmToolCall[];
}

/** A tool offered to the model (function calling). */
export interface LlmToolSpec {
  /** The tool's name, as the model calls it. */
  name: string;
  /** What it does, for the model. */
  description?: string;
  /** The JSON Schema of its arguments. */
  parameters: Record<string, unknown>;
}

/** One model request: a prompt or messages, and how to answer. */
export interface LlmRequest {
  /** Shorthand for one user message. */
  prompt?: string;
  /** The system prompt. */
  system?: string;
  /** The conversation so far (instead of, or after, `prompt`). */
  messages?: LlmMessage[];
  /** Tools the model may propose calls to (the answer's `toolCalls`). */
  tools?: LlmToolSpec[];
  /** Ask for a JSON answer (JSON mode). */
  json?: boolean;
  /**
   * Structured output (set by `structured`): the JSON Schema the answer must match. The router
   * sends it natively where the provider can (OpenAI json_schema), else JSON mode plus an
   * instruction. Implies `json`.
   */
  jsonSchema?: {
    /** The schema's name, where the provider wants one. */
    name?: string;
    /** The JSON Schema. */
    schema: Record<string, unknown>;
  };
  /** Bound on the answer's length, in tokens. */
  maxTokens?: number;
  /** Sampling temperature (0 = most deterministic). */
  temperature?: number;
  /** Required model capabilities, e.g. ["tool_calling"]. */
  capabilities?: string[];
  /** Preferred model name from config/models.yaml. */
  model?: string;
}

/** A tool call the model proposed. */
export interface LlmToolCall {
  /** The call's id (a tool message answers it by `toolCallId`). */
  id: string;
  /** The tool's name. */
  name: string;
  /** Its arguments, as the JSON text the model wrote. */
  arguments: string;
}

/** The model's answer, with what it cost. */
export interface LlmResponse {
  /** The answer's text. */
  text: string;
  /** Tool calls the model proposed (empty when it answered). */
  toolCalls: LlmToolCall[];
  /** The model that answered (after routing and fallbacks). */
  model: string;
  /** Tokens used. */
  usage: {
    /** Tokens of the request. */
    inputTokens: number;
    /** Tokens of the answer. */
    outputTokens: number;
  };
  /** What the call cost, in US dollars (from the ledger's prices). */
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
  /** The whole answer, once the stream ends. */
  response: Promise<LlmResponse>;
}

/** An embedding request: one vector per input text. */
export interface EmbedRequest {
  /** The texts to embed. */
  input: string[];
  /** Preferred embedding model from config/models.yaml (else the router picks one with capability "embeddings"). */
  model?: string;
}

/** The embeddings, with what they cost. */
export interface EmbedResponse {
  /** One vector per input, in order. */
  vectors: number[][];
  /** The embedding model used. */
  model: string;
  /** Tokens used. */
  usage: {
    /** Tokens of the inputs. */
    inputTokens: number;
  };
  /** What the call cost, in US dollars. */
  costUsd: number;
  /** True when the router returned the recorded answer for this step's idempotency key. */
  replayed: boolean;
}

/**
 * Issue 9 contract (implemented by the runtime through the router; all calls of a step are
 * billed once even when the step is redelivered): `stream` sends tokens as they arrive (and on
 * to the run's SSE stream as progress), `embed` returns one vector per input, `structured`
 * asks for JSON matching a zod schema and returns the parsed value.
 */
export interface LlmClient {
  /** One answer to a request. */
  generate(request: LlmRequest): Promise<LlmResponse>;
  /** The answer as it is produced (iterate the chunks; `response` has the whole). */
  stream(request: LlmRequest): LlmStream;
  /** Embeddings of the inputs (billed to the step). */
  embed(request: EmbedRequest): Promise<EmbedResponse>;
  /** A JSON answer parsed against `schema` (a ValidationError names what did not match). */
  structured<T>(schema: ZodType<T>, request: LlmRequest): Promise<StructuredAnswer<T>>;
}

/** What `LlmClient.structured` resolves with. */
export interface StructuredAnswer<T> {
  /** The answer, parsed and validated. */
  value: T;
  /** The model's whole answer. */
  response: LlmResponse;
}
