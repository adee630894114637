import { router } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import type { Capability, EmbedCallRequest, ModelCallRequest, RoutedResult, RouterChunk } from '@weaver/model-router';
import type { ChatMessage, ChatRole, JsonSchemaSpec, ToolSpec } from '@weaver/models';

const { Role } = router;

function roleOf(role: router.Role, i: number): ChatRole {
  switch (role) {
    case Role.ROLE_SYSTEM:
      return 'system';
    case Role.ROLE_USER:
      return 'user';
    case Role.ROLE_ASSISTANT:
      return 'assistant';
    case Role.ROLE_TOOL:
      return 'tool';
    default:
      throw new ValidationError([{ field: `messages[${i}].role`, rule: 'must be ROLE_SYSTEM, ROLE_USER, ROLE_ASSISTANT or ROLE_TOOL' }], 'request');
  }
}

function schemaOf(text: string, i: number): Record<string, unknown> {
  if (!text) return { type: 'object', properties: {} };
  return objectOf(text, `tools[${i}].json_schema`);
}

function objectOf(text: string, field: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ValidationError([{ field, rule: 'must be a JSON object (a JSON Schema)' }], 'request');
}

export function toModelCall(req: router.GenerateRequest): ModelCallRequest {
  const messages: ChatMessage[] = req.messages.map((m, i) => ({
    role: roleOf(m.role, i),
    content: m.content,
    ...(m.toolCalls.length ? { toolCalls: m.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.argumentsJson })) } : {}),
    ...(m.toolCallId ? { toolCallId: m.toolCallId } : {}),
  }));
  const tools: ToolSpec[] = req.tools.map((t, i) => ({ name: t.name, description: t.description, parameters: schemaOf(t.jsonSchema, i) }));
  const jsonSchema: JsonSchemaSpec | undefined = req.jsonSchema ? { name: req.jsonSchemaName || 'answer', schema: objectOf(req.jsonSchema, 'json_schema') } : undefined;
  return {
    ...callOf(req),
    messages,
    tools,
    jsonMode: req.jsonMode,
    ...(jsonSchema ? { jsonSchema } : {}),
    requiredCapabilities: req.requiredCapabilities as Capability[],
    modelHint: req.modelHint || undefined,
    maxTokens: req.maxTokens ?? undefined,
    temperature: req.temperature ?? undefined,
    noCache: req.noCache,
  };
}

export function toEmbedCall(req: router.EmbedRequest): EmbedCallRequest {
  return { ...callOf(req), texts: req.texts, modelHint: req.modelHint || undefined };
}

/** Who a call is for and its idempotency key (empty: none), as both request kinds carry them. */
function callOf(req: Pick<router.GenerateRequest, 'tenantId' | 'workflow' | 'agent' | 'runId' | 'step' | 'idempotencyKey' | 'classification'>) {
  return { tenantId: req.tenantId, workflow: req.workflow, agent: req.agent, runId: req.runId, step: req.step, idempotencyKey: req.idempotencyKey || undefined, classification: req.classification };
}

export function toGenerateResponse(r: RoutedResult): router.GenerateResponse {
  return {
    content: r.content,
    toolCalls: r.toolCalls.map((c) => ({ id: c.id, name: c.name, argumentsJson: c.arguments })),
    finishReason: r.finishReason,
    model: r.model,
    provider: r.provider,
    usage: { inputTokens: r.inputTokens, outputTokens: r.outputTokens, costUsd: r.costUsd },
    replayed: r.replayed,
    cached: r.cached,
    experiment: r.experiment,
    arm: r.arm,
    fallbacksTried: r.fallbacksTried,
  };
}

export function toChunk(c: RouterChunk): router.GenerateChunk {
  switch (c.type) {
    case 'text':
      return { text: c.text };
    case 'tool-call':
      return { toolCall: { index: c.index, id: c.id ?? '', name: c.name ?? '', argumentsDelta: c.argumentsDelta } };
    case 'done':
      return { done: toGenerateResponse(c.result) };
  }
}
