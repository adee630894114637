import type OpenAI from 'openai';
import type { ChatMessage, FinishReason, GenerateRequest, GenerateResult, ToolCall } from '../model-types';

type MessageParam = OpenAI.Chat.ChatCompletionMessageParam;

/** Weaver messages to Chat Completions messages: tool calls and tool results map one to one. */
export function toOpenAIMessages(messages: ChatMessage[]): MessageParam[] {
  return messages.map((m): MessageParam => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content };
      case 'user':
        return { role: 'user', content: m.content };
      case 'tool':
        return { role: 'tool', content: m.content, tool_call_id: m.toolCallId ?? '' };
      case 'assistant':
        return m.toolCalls?.length
          ? {
              role: 'assistant',
              content: m.content || null,
              tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
            }
          : { role: 'assistant', content: m.content };
    }
  });
}

/** The body of a chat completion request; `maxTokensField` differs between OpenAI and older servers. */
export function toOpenAIBody(
  req: GenerateRequest,
  maxTokensField: 'max_completion_tokens' | 'max_tokens',
): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
  return {
    model: req.model,
    messages: toOpenAIMessages(req.messages),
    ...(req.tools?.length
      ? { tools: req.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })) }
      : {}),
    ...responseFormatOf(req),
    ...(req.maxTokens !== undefined ? { [maxTokensField]: req.maxTokens } : {}),
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
  };
}

/** Structured output natively (`json_schema`, not strict: zod's schemas need not meet strict mode's rules); else JSON mode. */
function responseFormatOf(req: GenerateRequest): Pick<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, 'response_format'> {
  if (req.jsonSchema) return { response_format: { type: 'json_schema', json_schema: { name: req.jsonSchema.name, schema: req.jsonSchema.schema, strict: false } } };
  return req.jsonMode ? { response_format: { type: 'json_object' } } : {};
}

export function finishReasonOf(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/** Arguments as JSON text: some OpenAI-compatible servers (older TGI) send an object instead. */
export function argumentsText(args: unknown): string {
  return typeof args === 'string' ? args : JSON.stringify(args ?? {});
}

export function fromOpenAICompletion(c: OpenAI.Chat.ChatCompletion): GenerateResult {
  const choice = c.choices[0];
  const toolCalls: ToolCall[] = [];
  for (const call of choice?.message.tool_calls ?? []) {
    if (call.type === 'function') toolCalls.push({ id: call.id, name: call.function.name, arguments: argumentsText(call.function.arguments) });
  }
  return {
    content: choice?.message.content ?? '',
    toolCalls,
    finishReason: finishReasonOf(choice?.finish_reason),
    usage: { inputTokens: c.usage?.prompt_tokens ?? 0, outputTokens: c.usage?.completion_tokens ?? 0 },
    model: c.model,
  };
}
