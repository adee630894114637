import type { FinishReason, ToolCall } from '@weaver/models';

/** The router's answer to a generate call, as returned, cached and recorded for idempotent replay. */
export interface RoutedResult {
  content: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** Catalogue name of the model that answered. */
  model: string;
  provider: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Answered from the idempotency record of an earlier identical step: not billed again. */
  replayed: boolean;
  /** Answered from the response cache: not billed. */
  cached: boolean;
  experiment: string;
  arm: string;
  /** Models tried before the one that answered. */
  fallbacksTried: string[];
}
