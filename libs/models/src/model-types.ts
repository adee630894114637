/**
 * The provider-neutral shape of a model call. Adapters translate it to and from each
 * provider's wire format; nothing above an adapter sees provider-specific fields.
 */
export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

/** A tool call the model asked for; `arguments` is the JSON text exactly as the model produced it. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** Tool calls made by an assistant message. */
  toolCalls?: ToolCall[];
  /** For a `tool` message: the id of the call this message answers. */
  toolCallId?: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface GenerateRequest {
  /** The provider's own model id (e.g. `gpt-4o-mini`), not the router's catalogue name. */
  model: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  /** Ask for a JSON object as output. */
  jsonMode?: boolean;
  /**
   * Structured output: the answer must be JSON matching this schema. Adapters send it natively
   * where the provider can (OpenAI `response_format: json_schema`), else JSON mode plus an
   * instruction carrying the schema (`withSchemaInstruction`). Implies `jsonMode`.
   */
  jsonSchema?: JsonSchemaSpec;
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

export interface JsonSchemaSpec {
  /** OpenAI requires a name ([A-Za-z0-9_-], ≤ 64). */
  name: string;
  schema: Record<string, unknown>;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface GenerateResult {
  content: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: TokenUsage;
  /** The model id the provider reports it used. */
  model: string;
}

/** One piece of a streamed answer. Tool-call arguments arrive as fragments, keyed by `index`. */
export type StreamDelta =
  | { type: 'text'; text: string }
  | { type: 'tool-call'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'finish'; finishReason: FinishReason; usage: TokenUsage; model: string };

export interface EmbedRequest {
  model: string;
  texts: string[];
  signal?: AbortSignal;
}

export interface EmbedResult {
  vectors: number[][];
  usage: TokenUsage;
  model: string;
}

export type Modality = 'text' | 'vision' | 'audio';

/** What a model can do and what it costs; the router routes and bills on these. */
export interface ModelCapabilities {
  modalities: Modality[];
  toolCalling: boolean;
  jsonOutput: boolean;
  streaming: boolean;
  embeddings: boolean;
  /** Maximum prompt + completion tokens. */
  contextWindow: number;
  /** Maximum completion tokens, used to bound a budget reservation when a request sets none. */
  maxOutputTokens: number;
  /** USD per token. */
  inputCostPerToken: number;
  outputCostPerToken: number;
  /** Runs on infrastructure the operator controls (the default ceiling of such a model is `restricted`). */
  selfHosted: boolean;
}
