import { createHash } from 'node:crypto';
import type { EmbedRequest, EmbedResponse } from '@weaver/sdk';

/**
 * A deterministic stand-in for an embedding model (tests only): each lower-cased word adds 1
 * to a dimension picked by its hash, so texts that share words point the same way and the same
 * text always gets the same vector. `calls` counts the requests (billing checks).
 */
export function wordHashEmbedder(dimensions = 32): ((request: EmbedRequest) => Promise<EmbedResponse>) & { calls: number } {
  const embed = async (request: EmbedRequest): Promise<EmbedResponse> => {
    embed.calls++;
    return { vectors: request.input.map((text) => wordVector(text, dimensions)), model: 'word-hash', usage: { inputTokens: request.input.length }, costUsd: 0, replayed: false };
  };
  embed.calls = 0;
  return embed;
}

export function wordVector(text: string, dimensions: number): number[] {
  const v: number[] = Array.from({ length: dimensions }, () => 0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const i = createHash('sha256').update(word).digest().readUInt32BE(0) % dimensions;
    v[i] = (v[i] ?? 0) + 1;
  }
  if (!v.some(Boolean)) v[0] = 1; // no words: still a valid (non-zero) vector
  return v;
}
