/**
 * The allowed name closest to a misspelt one (`semantic_sise` → `semantic_size`), for "did you
 * mean" hints; undefined when nothing is within a few edits. Case-insensitive.
 */
export function nearest(name: string, allowed: readonly string[], maxEdits = 3): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const candidate of allowed) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d <= maxEdits && (!best || d < best.d)) best = { name: candidate, d };
  }
  return best?.name;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
