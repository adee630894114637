import { createHash } from 'node:crypto';

/** A deterministic unit vector for a text (from its SHA-256), standing in for an embedding. */
export function wireVector(text: string, dims = 8): number[] {
  const h = createHash('sha256').update(text).digest();
  const v = Array.from({ length: dims }, (_, i) => (h[i % h.length] ?? 0) / 255 - 0.5);
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => Math.fround(x / norm));
}

/** OpenAI's `encoding_format: "base64"`: little-endian float32 bytes, base64-encoded. */
export function base64Floats(v: number[]): string {
  return Buffer.from(new Float32Array(v).buffer).toString('base64');
}
