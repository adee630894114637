import { createHash } from 'node:crypto';

/**
 * The deterministic "model" behind every wire server: its answer derives from the request only,
 * so tests assert exact content. Independent of Weaver's own code on purpose.
 */
export interface NeutralMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  text: string;
}
export interface NeutralTool {
  name: string;
}
export interface WireReply {
  text: string;
  toolCall?: { id: string; name: string; arguments: string };
  promptTokens: number;
  completionTokens: number;
}

export const countWireTokens = (text: string): number => text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0;

/**
 * - tools offered and the last turn is the user's: call the first tool with `{"input": <user text>}`
 * - the last turn is a tool result: `tool said: <result>`
 * - JSON mode: `{"echo": <user text>, "words": <n>}` (after `prefill`, the remainder of it)
 * - otherwise: `echo(<model>): <user text>`
 */
export function wireReply(model: string, messages: NeutralMessage[], tools: NeutralTool[], jsonMode: boolean, prefill = ''): WireReply {
  const promptTokens = messages.reduce((n, m) => n + countWireTokens(m.text), 0);
  const last = messages[messages.length - 1];
  const userText = [...messages].reverse().find((m) => m.role === 'user')?.text ?? '';
  const firstTool = tools[0];
  if (firstTool && last?.role === 'user') {
    const args = JSON.stringify({ input: userText });
    const id = `call_${createHash('sha256').update(userText + firstTool.name).digest('hex').slice(0, 12)}`;
    return { text: '', toolCall: { id, name: firstTool.name, arguments: args }, promptTokens, completionTokens: countWireTokens(args) };
  }
  let text: string;
  if (last?.role === 'tool') text = `tool said: ${last.text}`;
  else if (jsonMode) text = JSON.stringify({ echo: userText, words: userText.split(/\s+/).filter(Boolean).length });
  else text = `echo(${model}): ${userText}`;
  if (prefill && text.startsWith(prefill)) text = text.slice(prefill.length);
  return { text, promptTokens, completionTokens: countWireTokens(text) };
}

/** Text in pieces of about one word, as providers stream it. */
export function pieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** JSON text in three uneven fragments, as tool-call arguments arrive in a stream. */
export function fragments(text: string): string[] {
  const a = Math.floor(text.length / 3);
  const b = Math.floor((2 * text.length) / 3);
  return [text.slice(0, a), text.slice(a, b), text.slice(b)].filter(Boolean);
}
