import type { AdapterSpec } from '../adapter-spec';
import type { ModelAdapter } from '../model-adapter';
import type { ChatMessage, EmbedRequest, EmbedResult, GenerateRequest, GenerateResult, ModelCapabilities, StreamDelta, ToolCall, ToolSpec } from '../model-types';
import { withSchemaInstruction } from '../json-schema-instruction';
import { answerOf, countTokens, fingerprint, hashEmbedding, renderText } from './deterministic-text';

const lastOf = (messages: ChatMessage[], role: ChatMessage['role']): ChatMessage | undefined => [...messages].reverse().find((m) => m.role === role);

/** Arguments for a tool: every required string property gets the user's text. */
function argumentsFor(tool: ToolSpec, input: string): string {
  const props = (tool.parameters['properties'] ?? {}) as Record<string, { type?: string }>;
  const required = (tool.parameters['required'] ?? Object.keys(props)) as string[];
  const args: Record<string, string> = {};
  for (const key of required) if (props[key]?.type === 'string' || props[key] === undefined) args[key] = input;
  return JSON.stringify(args);
}

/**
 * A STAND-IN FOR AN LLM, not a language model: its answer is a pure function of the prompt (a
 * structured summary of the last user message under the system prompt's role), so example
 * workflows and tests run with no provider and assert exact content. Tokens are counted on the
 * actual text. With tools and a fresh user turn it calls the first tool; after a tool result it
 * summarises that result. With JSON mode it answers a JSON object.
 */
export class LocalDeterministicAdapter implements ModelAdapter {
  readonly provider = 'local-deterministic';

  constructor(private readonly spec: AdapterSpec) {}

  capabilities(): ModelCapabilities {
    return this.spec.capabilities;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const req = withSchemaInstruction(request);
    const system = req.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
    const last = req.messages[req.messages.length - 1];
    const input = last?.role === 'tool' ? last.content : (lastOf(req.messages, 'user')?.content ?? '');
    const inputTokens = req.messages.reduce((n, m) => n + 4 + countTokens(m.content), 0);
    const firstTool = req.tools?.[0];
    if (firstTool && last?.role === 'user') {
      const call: ToolCall = { id: `call_${fingerprint(input + firstTool.name)}`, name: firstTool.name, arguments: argumentsFor(firstTool, input) };
      return { content: '', toolCalls: [call], finishReason: 'tool_calls', usage: { inputTokens, outputTokens: countTokens(call.arguments) }, model: req.model };
    }
    const answer = answerOf(system, input);
    let content = req.jsonMode ? JSON.stringify({ model: 'local-deterministic', ...answer }) : renderText(answer);
    let finishReason: GenerateResult['finishReason'] = 'stop';
    if (req.maxTokens !== undefined && countTokens(content) > req.maxTokens) {
      content = content.split(/(?<=\s)/).slice(0, req.maxTokens).join('');
      finishReason = 'length';
    }
    return { content, toolCalls: [], finishReason, usage: { inputTokens, outputTokens: countTokens(content) }, model: req.model };
  }

  async *stream(req: GenerateRequest): AsyncIterable<StreamDelta> {
    const result = await this.generate(req);
    for (const piece of result.content.match(/\S+\s*|\s+/g) ?? []) yield { type: 'text', text: piece };
    for (const [index, c] of result.toolCalls.entries()) yield { type: 'tool-call', index, id: c.id, name: c.name, argumentsDelta: c.arguments };
    yield { type: 'finish', finishReason: result.finishReason, usage: result.usage, model: result.model };
  }

  async embed(req: EmbedRequest): Promise<EmbedResult> {
    const dims = Number(this.spec.options['dimensions'] ?? 32);
    return {
      vectors: req.texts.map((t) => hashEmbedding(t, dims)),
      usage: { inputTokens: req.texts.reduce((n, t) => n + countTokens(t), 0), outputTokens: 0 },
      model: req.model,
    };
  }

  async close(): Promise<void> {}
}
