import type { ChatMessage, JsonSchemaSpec, ToolSpec } from '@weaver/models';
import type { Capability } from '../catalog/models-file.schema';

/** Who is asking, for routing overrides, budgets, the ledger and idempotency. */
export interface CallerContext {
  tenantId: string;
  workflow: string;
  agent: string;
  runId: string;
  step: string;
  /** One per agent step: a repeat with the same key returns the recorded response, unbilled. */
  idempotencyKey?: string;
  /** Data classification (canonical wire form, `@weaver/governance`): only models cleared for its level serve it. */
  classification: string[];
}

export interface ModelCallRequest extends CallerContext {
  messages: ChatMessage[];
  tools: ToolSpec[];
  jsonMode: boolean;
  /** Structured output: the answer must match this JSON Schema (implies jsonMode and capability json). */
  jsonSchema?: JsonSchemaSpec;
  requiredCapabilities: Capability[];
  /** A catalogue model name to use first, if it is capable and allowed. */
  modelHint?: string;
  maxTokens?: number;
  temperature?: number;
  /** Skip the response cache for this call. */
  noCache?: boolean;
}

export interface EmbedCallRequest extends CallerContext {
  texts: string[];
  modelHint?: string;
}
