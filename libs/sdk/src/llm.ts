/**
 * What an agent sees of the model gateway: `this.llm.generate(...)`. The runtime implements it
 * with the router service (with an idempotency key per step, so a replayed step is not billed
 * twice); tests may pass their own.
 */
export interface LlmMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  toolCallId?: string;
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

export interface LlmClient {
  generate(request: LlmRequest): Promise<LlmResponse>;
}
