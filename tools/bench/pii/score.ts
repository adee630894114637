import type { PiiSpan } from '../../../libs/pii/src';
import type { Label, LabelledSentence } from '../pii-corpus';

/**
 * Span matching: a prediction matches a label of the same type either exactly (same start and
 * end) or, in the lenient rule, when their intersection covers at least half of the longer of
 * the two. Matching is one-to-one, in order of the labels.
 */
export type MatchRule = 'exact' | 'overlap50';

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export function matches(rule: MatchRule, label: Label, span: PiiSpan): boolean {
  if (label.type !== span.type) return false;
  if (rule === 'exact') return label.start === span.start && label.end === span.end;
  const inter = Math.min(label.end, span.end) - Math.max(label.start, span.start);
  return inter > 0 && inter >= 0.5 * Math.max(label.end - label.start, span.end - span.start);
}

/** Adds one sentence's outcome into `counts` (per type); returns the labels missed and spans spurious. */
export function score(rule: MatchRule, sentence: LabelledSentence, spans: readonly PiiSpan[], counts: Map<string, Counts>): { missed: Label[]; spurious: PiiSpan[] } {
  const used = new Set<number>();
  const missed: Label[] = [];
  const at = (type: string): Counts => {
    let c = counts.get(type);
    if (!c) counts.set(type, (c = { tp: 0, fp: 0, fn: 0 }));
    return c;
  };
  for (const label of sentence.labels) {
    const i = spans.findIndex((s, idx) => !used.has(idx) && matches(rule, label, s));
    if (i >= 0) {
      used.add(i);
      at(label.type).tp++;
    } else {
      at(label.type).fn++;
      missed.push(label);
    }
  }
  const spurious = spans.filter((_, idx) => !used.has(idx));
  for (const s of spurious) at(s.type).fp++;
  return { missed, spurious };
}

export const recall = (c: Counts): number => (c.tp + c.fn === 0 ? NaN : c.tp / (c.tp + c.fn));
export const precision = (c: Counts): number => (c.tp + c.fp === 0 ? NaN : c.tp / (c.tp + c.fp));
/** F-beta with beta 2: recall weighs four times precision (a missed value leaks, a spurious one only over-masks). */
export function f2(c: Counts): number {
  const p = precision(c);
  const r = recall(c);
  return p + r === 0 || Number.isNaN(p) || Number.isNaN(r) ? NaN : (5 * p * r) / (4 * p + r);
}
