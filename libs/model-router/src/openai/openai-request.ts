import { chatCompletionRequestSchema, embeddingRequestSchema, type ChatCompletionRequest, type EmbeddingRequest } from '@weaver/api-schema';
import { violationsOf, type z } from '@weaver/config';
import { NotFoundError, ValidationError } from '@weaver/errors';
import type { ChatMessage, ToolSpec } from '@weaver/models';
import type { CallerContext, EmbedCallRequest, ModelCallRequest } from '../routing/route-request';

/** `model` meaning "the router chooses by policy" (models.yaml has no other routing names). */
export const AUTO_MODEL = 'auto';

/** OpenAI's parameter path form: `messages[0].content`. */
export const openAiParamOf = (field: string): string => field.replace(/\.(\d+)(?=\.|$)/g, '[$1]');

function parsed<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw new ValidationError(violationsOf(r.error).map((v) => ({ ...v, field: openAiParamOf(v.field) })), 'request');
  return r.data;
}

type Content = ChatCompletionRequest['messages'][number]['content'];
const textOf = (c: Content): string => (typeof c === 'string' ? c : c ? c.map((p) => p.text).join('') : '');

function messageOf(m: ChatCompletionRequest['messages'][number]): ChatMessage {
  switch (m.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: textOf(m.content) };
    case 'user':
      return { role: 'user', content: textOf(m.content) };
    case 'assistant':
      return { role: 'assistant', content: textOf(m.content), ...(m.tool_calls?.length ? { toolCalls: m.tool_calls.map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })) } : {}) };
    case 'tool':
      return { role: 'tool', content: textOf(m.content), toolCallId: m.tool_call_id };
  }
}

/**
 * `model` (required): `auto` lets the routing policy choose; a catalogue name is tried first (the router's model hint: the tenant's routing overrides, the
 * capability checks and that model's fallbacks still apply, and the answer names the model that
 * served it). Any other name is 404 model_not_found, before anything is billed.
 */
function hintOf(model: string, catalog: ReadonlyMap<string, unknown>): string | undefined {
  if (model === AUTO_MODEL) return undefined;
  if (!catalog.has(model)) throw new NotFoundError('model', model);
  return model;
}

/** A chat completion body as the router's generate call (validated; each problem names its parameter). */
export function chatCallOf(body: unknown, caller: CallerContext, catalog: ReadonlyMap<string, unknown>): { call: ModelCallRequest; request: ChatCompletionRequest } {
  const req = parsed(chatCompletionRequestSchema, body);
  const tools: ToolSpec[] = (req.tools ?? []).map((t) => ({ name: t.function.name, description: t.function.description ?? '', parameters: t.function.parameters ?? { type: 'object', properties: {} } }));
  const format = req.response_format;
  const call: ModelCallRequest = {
    ...caller,
    messages: req.messages.map(messageOf),
    tools,
    jsonMode: format?.type === 'json_object',
    ...(format?.type === 'json_schema' ? { jsonSchema: { name: format.json_schema.name, schema: format.json_schema.schema ?? { type: 'object' } } } : {}),
    requiredCapabilities: [],
    modelHint: hintOf(req.model, catalog),
    maxTokens: req.max_completion_tokens ?? req.max_tokens ?? undefined,
    temperature: req.temperature ?? undefined,
  };
  return { call, request: req };
}

export function embedCallOf(body: unknown, caller: CallerContext, catalog: ReadonlyMap<string, unknown>): { call: EmbedCallRequest; request: EmbeddingRequest } {
  const req = parsed(embeddingRequestSchema, body);
  if (req.dimensions !== undefined) throw new ValidationError([{ field: 'dimensions', rule: 'is not supported: vectors have the model\'s own size' }], 'request');
  return { call: { ...caller, texts: typeof req.input === 'string' ? [req.input] : req.input, modelHint: hintOf(req.model, catalog) }, request: req };
}
