import { z } from 'zod';
import { defineRoute, json, type ApiRoute } from '../route';

/**
 * The router's OpenAI-compatible API (served by the router, not the gateway: it is not in
 * API_ROUTES). Requests are the subset of OpenAI's Chat Completions and Embeddings bodies
 * Weaver routes; fields OpenAI clients send that Weaver does not use (`user`, `seed`,
 * `tool_choice`, `top_p`, penalties, ...) are accepted and ignored, so existing clients work.
 */
const text = z.string();
const contentPart = z.looseObject({ type: z.literal('text'), text });
const content = z.union([text, z.array(contentPart)]).nullish();

const toolCall = z.looseObject({
  id: z.string().min(1),
  type: z.literal('function').default('function'),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
});

export const openAiMessageSchema = z.discriminatedUnion('role', [
  z.looseObject({ role: z.enum(['system', 'developer']), content }),
  z.looseObject({ role: z.literal('user'), content }),
  z.looseObject({ role: z.literal('assistant'), content, tool_calls: z.array(toolCall).optional() }),
  z.looseObject({ role: z.literal('tool'), content, tool_call_id: z.string().min(1) }),
]);

const tool = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({ name: z.string().min(1), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() }),
});

const responseFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({ type: z.literal('json_schema'), json_schema: z.looseObject({ name: z.string().min(1), schema: z.record(z.string(), z.unknown()).optional() }) }),
]);

export const chatCompletionRequestSchema = z.looseObject({
  /** A catalogue model name, or `auto` (the router chooses by policy). */
  model: z.string().min(1),
  messages: z.array(openAiMessageSchema).min(1, 'must contain at least one message'),
  tools: z.array(tool).optional(),
  response_format: responseFormat.optional(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  n: z.literal(1, 'only 1 choice is supported').nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

const usage = z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int(), total_tokens: z.number().int() });
/** What Weaver adds to OpenAI's answer: who served it and what it cost. */
const weaverExtension = z.object({ provider: z.string(), cost_usd: z.number(), replayed: z.boolean(), cached: z.boolean(), fallbacks_tried: z.array(z.string()) });
const finishReason = z.enum(['stop', 'length', 'tool_calls', 'content_filter']);
const responseToolCall = z.object({ id: z.string(), type: z.literal('function'), function: z.object({ name: z.string(), arguments: z.string() }) });

export const chatCompletionSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      message: z.object({ role: z.literal('assistant'), content: z.string().nullable(), refusal: z.null(), tool_calls: z.array(responseToolCall).optional() }),
      finish_reason: finishReason,
      logprobs: z.null(),
    }),
  ),
  usage,
  weaver: weaverExtension,
});
export type ChatCompletion = z.infer<typeof chatCompletionSchema>;

export const chatCompletionChunkSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      delta: z.object({
        role: z.literal('assistant').optional(),
        content: z.string().optional(),
        tool_calls: z.array(z.object({ index: z.number().int(), id: z.string().optional(), type: z.literal('function').optional(), function: z.object({ name: z.string().optional(), arguments: z.string() }) })).optional(),
      }),
      finish_reason: finishReason.nullable(),
      logprobs: z.null(),
    }),
  ),
  usage: usage.nullable().optional(),
  weaver: weaverExtension.optional(),
});
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;

export const embeddingRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(2048)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().optional(),
});
export type EmbeddingRequest = z.infer<typeof embeddingRequestSchema>;

export const embeddingListSchema = z.object({
  object: z.literal('list'),
  data: z.array(z.object({ object: z.literal('embedding'), index: z.number().int(), embedding: z.union([z.array(z.number()), z.string()]) })),
  model: z.string(),
  usage: z.object({ prompt_tokens: z.number().int(), total_tokens: z.number().int() }),
  weaver: weaverExtension.pick({ cost_usd: true, replayed: true }),
});
export type EmbeddingList = z.infer<typeof embeddingListSchema>;

export const modelListSchema = z.object({
  object: z.literal('list'),
  data: z.array(z.object({ id: z.string(), object: z.literal('model'), created: z.number().int(), owned_by: z.string() })),
});
export type ModelList = z.infer<typeof modelListSchema>;

/** OpenAI's error body: what every failure of these routes answers. */
export const openAiErrorSchema = z.object({
  error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }),
});
export type OpenAiErrorBody = z.infer<typeof openAiErrorSchema>;

export const OPENAI_ROUTES: readonly ApiRoute[] = [
  defineRoute({ operationId: 'createChatCompletion', method: 'POST', path: '/v1/chat/completions', summary: 'OpenAI-compatible chat completion: JSON, or with stream: true chat.completion.chunk SSE events (chatCompletionChunkSchema) ending with data: [DONE]', tags: ['openai'], auth: 'apiKey', body: chatCompletionRequestSchema, status: 200, response: json(chatCompletionSchema), errors: [402, 404, 409, 503] }),
  defineRoute({ operationId: 'createEmbedding', method: 'POST', path: '/v1/embeddings', summary: 'OpenAI-compatible embeddings', tags: ['openai'], auth: 'apiKey', body: embeddingRequestSchema, status: 200, response: json(embeddingListSchema), errors: [402, 404, 503] }),
  defineRoute({ operationId: 'listModels', method: 'GET', path: '/v1/models', summary: 'The catalogue models and `auto`', tags: ['openai'], auth: 'apiKey', status: 200, response: json(modelListSchema) }),
];
