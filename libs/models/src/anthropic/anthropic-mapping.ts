import type Anthropic from '@anthropic-ai/sdk';
import type { ChatMessage, FinishReason, GenerateRequest, GenerateResult, ToolCall } from '../model-types';

type MessageParam = Anthropic.MessageParam;
type Block = Anthropic.ContentBlockParam;

/** The assistant-turn prefill that makes Claude answer with a JSON object (Anthropic has no JSON mode flag). */
export const JSON_PREFILL = '{';

function parseArgs(args: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(args || '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { raw: args };
  }
}

/**
 * Weaver messages to the Messages API: system messages become the top-level `system`, tool
 * results become `tool_result` blocks in a user turn, and consecutive turns of one role are
 * merged because the API requires user and assistant to alternate.
 */
export function toAnthropicMessages(messages: ChatMessage[]): { system: string | undefined; messages: MessageParam[] } {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const out: MessageParam[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const blocks: Block[] = [];
    if (m.role === 'tool') blocks.push({ type: 'tool_result', tool_use_id: m.toolCallId ?? '', content: m.content });
    else if (m.content) blocks.push({ type: 'text', text: m.content });
    for (const c of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: parseArgs(c.arguments) });
    const last = out[out.length - 1];
    if (last && last.role === role && Array.isArray(last.content)) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  }
  return { system: system.length ? system.join('\n\n') : undefined, messages: out };
}

export function toAnthropicBody(req: GenerateRequest, defaultMaxTokens: number): Anthropic.MessageCreateParamsNonStreaming {
  const { system, messages } = toAnthropicMessages(req.messages);
  if (req.jsonMode) messages.push({ role: 'assistant', content: JSON_PREFILL });
  return {
    model: req.model,
    max_tokens: req.maxTokens ?? defaultMaxTokens,
    messages,
    ...(system !== undefined ? { system } : {}),
    ...(req.tools?.length
      ? { tools: req.tools.map((t) => ({ name: t.name, description: t.description, input_schema: { ...t.parameters, type: 'object' as const } })) }
      : {}),
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
  };
}

export function finishReasonOf(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

export function fromAnthropicMessage(msg: Anthropic.Message, jsonMode: boolean): GenerateResult {
  let content = jsonMode ? JSON_PREFILL : '';
  const toolCalls: ToolCall[] = [];
  for (const block of msg.content) {
    if (block.type === 'text') content += block.text;
    else if (block.type === 'tool_use') toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
  }
  return {
    content,
    toolCalls,
    finishReason: finishReasonOf(msg.stop_reason),
    usage: { inputTokens: msg.usage.input_tokens, outputTokens: msg.usage.output_tokens },
    model: msg.model,
  };
}
