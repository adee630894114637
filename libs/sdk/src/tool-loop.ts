import type { AgentTools, ToolLoopRequest, ToolLoopResult, ToolResult } from './agent';
import type { LlmClient, LlmMessage, LlmToolSpec } from './llm';
import { ToolDeniedError, ToolFailedError, ToolLoopBoundError } from './tool-errors';
import { isGranted } from './tool-grants';

export const DEFAULT_MAX_ROUNDS = 8;

/**
 * The tool-use loop: the model gets the granted tools, each turn it either answers (done) or
 * proposes calls; the calls run (through `tools`, so grants, timeouts, breakers and call records
 * apply) and their results go back as `tool` messages. A tool's own failure (isError, a denied
 * tool, arguments that are not JSON) goes back to the model as the tool's answer, so it can
 * correct itself; anything else (a timeout, an open breaker) fails the step, which retries.
 * Every model turn is one `llm.generate` call, so a redelivered step makes the same calls in the
 * same order and the router and the tool-call records answer them without running them again.
 */
export async function runToolLoop(llm: LlmClient, tools: Pick<AgentTools, 'describe' | 'call'>, request: ToolLoopRequest): Promise<ToolLoopResult> {
  const maxRounds = request.maxRounds ?? DEFAULT_MAX_ROUNDS;
  if (!Number.isInteger(maxRounds) || maxRounds < 1) throw new ToolLoopBoundError(maxRounds);
  const offered = (await tools.describe()).filter((t) => !request.tools || isGranted(request.tools, t.name));
  const byModelName = new Map<string, string>();
  const specs: LlmToolSpec[] = offered.map((t) => {
    const name = modelNameOf(t.name, byModelName);
    byModelName.set(name, t.name);
    return { name, description: t.description, parameters: t.inputSchema };
  });
  const messages: LlmMessage[] = [{ role: 'user', content: request.prompt }];
  const calls: ToolLoopResult['calls'] = [];
  for (let round = 1; round <= maxRounds; round += 1) {
    // Offering tools is what makes the router pick a model with the `tools` capability.
    const answer = await llm.generate({ system: request.system, messages, tools: specs, model: request.model });
    if (!answer.toolCalls.length) return { text: answer.text, rounds: round, calls };
    if (round === maxRounds) break;
    messages.push({ role: 'assistant', content: answer.text, toolCalls: answer.toolCalls });
    for (const call of answer.toolCalls) {
      const name = byModelName.get(call.name) ?? call.name;
      const { content, isError, args } = await runOne(tools, name, call.arguments);
      calls.push({ name, arguments: args, isError });
      messages.push({ role: 'tool', toolCallId: call.id, content });
    }
  }
  throw new ToolLoopBoundError(maxRounds);
}

async function runOne(tools: Pick<AgentTools, 'call'>, name: string, rawArgs: string): Promise<{ content: string; isError: boolean; args: Record<string, unknown> }> {
  let args: Record<string, unknown>;
  try {
    const parsed: unknown = rawArgs.trim() ? JSON.parse(rawArgs) : {};
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    args = parsed as Record<string, unknown>;
  } catch {
    return { content: `error: the arguments of ${name} must be a JSON object, got ${rawArgs.slice(0, 200)}`, isError: true, args: {} };
  }
  try {
    return { content: textOf(await tools.call(name, args)), isError: false, args };
  } catch (err) {
    if (err instanceof ToolFailedError) return { content: `error: ${err.text}`, isError: true, args };
    if (err instanceof ToolDeniedError) return { content: `error: ${err.message}`, isError: true, args };
    throw err;
  }
}

/**
 * A tool result as the text the model reads: its content parts (text joined, resources as JSON,
 * other kinds named); structured content only when there are no parts (servers that return
 * structured content are asked by the MCP spec to put its text in a part too).
 */
export function textOf(result: ToolResult): string {
  if (!result.content.length && result.structuredContent) return JSON.stringify(result.structuredContent);
  return result.content
    .map((part) => (part['type'] === 'text' ? String(part['text']) : part['type'] === 'resource' ? JSON.stringify(part['resource']) : `[${String(part['type'])} content]`))
    .join('\n');
}

/** Providers accept `[A-Za-z0-9_-]{1,64}` as tool names: `fs/read_file` → `fs__read_file`, made unique. */
function modelNameOf(qualified: string, taken: Map<string, string>): string {
  const base = qualified.replace('/', '__').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);
  let name = base;
  for (let i = 2; taken.has(name); i += 1) name = `${base}_${i}`;
  return name;
}
