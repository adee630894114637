import type { ChatMessage } from './model-types';

/**
 * A conservative token estimate (about 4 characters per token for English BPE vocabularies,
 * rounded up, plus per-message framing). Used before a call, to reserve budget and to skip
 * models whose context window cannot hold the prompt; the provider's own count is what is billed.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function estimatePromptTokens(messages: ChatMessage[], extra = ''): number {
  let total = estimateTokens(extra);
  for (const m of messages) {
    total += 4 + estimateTokens(m.content);
    for (const c of m.toolCalls ?? []) total += estimateTokens(c.name) + estimateTokens(c.arguments);
  }
  return total;
}
