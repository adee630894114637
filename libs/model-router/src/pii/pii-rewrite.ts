import type { ChatMessage, ToolCall } from '@weaver/models';

/** Rewrites one piece of text (the tenant's policy applied, or tokens put back). */
export type TextRewrite = (text: string) => Promise<string>;

/**
 * Every text of a conversation that a provider receives, rewritten: each message's content
 * (system, user, assistant, tool results) and the arguments of the tool calls an assistant
 * message carries. Tool specs and the JSON schema are the developer's, not data: left as they are.
 */
export async function rewriteMessages(messages: readonly ChatMessage[], rewrite: TextRewrite): Promise<ChatMessage[]> {
  return Promise.all(
    messages.map(async (m) => {
      const content = m.content ? await rewrite(m.content) : m.content;
      if (!m.toolCalls?.length) return content === m.content ? m : { ...m, content };
      const toolCalls = await rewriteToolCalls(m.toolCalls, (args) => rewriteJsonStrings(args, rewrite));
      return { ...m, content, toolCalls };
    }),
  );
}

export function rewriteToolCalls(calls: readonly ToolCall[], rewrite: TextRewrite): Promise<ToolCall[]> {
  return Promise.all(calls.map(async (c) => ({ ...c, arguments: await rewrite(c.arguments) })));
}

/**
 * Tool-call arguments are JSON text: the policy is applied to each string value (keys are the
 * tool's parameter names), so a replacement can never break the JSON; text that does not parse
 * is treated as plain text. A value without anything to replace leaves the text byte for byte.
 */
export async function rewriteJsonStrings(json: string, rewrite: TextRewrite): Promise<string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return rewrite(json);
  }
  let changed = false;
  const walk = async (v: unknown): Promise<unknown> => {
    if (typeof v === 'string') {
      const r = await rewrite(v);
      if (r !== v) changed = true;
      return r;
    }
    if (Array.isArray(v)) return Promise.all(v.map(walk));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = await walk(x);
      return out;
    }
    return v;
  };
  const next = await walk(parsed);
  return changed ? JSON.stringify(next) : json;
}

/** A value put back inside a JSON string: escaped, so quotes or backslashes in it keep the JSON valid. */
export const jsonStringBody = (value: string): string => JSON.stringify(value).slice(1, -1);
