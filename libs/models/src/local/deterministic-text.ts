import { createHash } from 'node:crypto';

/** Word-ish tokens: runs of letters/digits, or single punctuation marks. */
export function countTokens(text: string): number {
  return text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0;
}

export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function clip(text: string, words: number): string {
  const parts = text.split(/\s+/).filter(Boolean);
  return parts.length <= words ? parts.join(' ') : `${parts.slice(0, words).join(' ')} …`;
}

/** A short, stable fingerprint of the prompt, so two answers to different prompts never look alike. */
export function fingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

export interface DeterministicAnswer {
  role: string;
  wordCount: number;
  keyPoints: string[];
  fingerprint: string;
}

/** The structured content of an answer: the instructions' first sentence and the input's leading sentences. */
export function answerOf(system: string, input: string): DeterministicAnswer {
  return {
    role: clip(sentencesOf(system)[0] ?? 'assistant', 16),
    wordCount: input.split(/\s+/).filter(Boolean).length,
    keyPoints: sentencesOf(input)
      .slice(0, 3)
      .map((s) => clip(s, 20)),
    fingerprint: fingerprint(`${system}\n${input}`),
  };
}

export function renderText(a: DeterministicAnswer): string {
  return [
    `[local-deterministic stand-in for an LLM · ${a.fingerprint}]`,
    `As: ${a.role}`,
    `Input: ${a.wordCount} words.`,
    'Key points:',
    ...(a.keyPoints.length ? a.keyPoints.map((p) => `- ${p}`) : ['- (empty input)']),
  ].join('\n');
}

/** Feature-hashed bag of words, L2-normalised: equal texts give equal vectors, similar texts close ones. */
export function hashEmbedding(text: string, dims = 32): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const h = createHash('md5').update(word).digest();
    const i = h.readUInt16BE(0) % dims;
    v[i] = (v[i] ?? 0) + ((h[2] ?? 0) & 1 ? 1 : -1);
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => Number((x / norm).toFixed(6)));
}
