import type { PiiSpan, PiiType } from './pii-span';

/**
 * Which span wins where two overlap: validated identifiers first (a checksum beats a pattern),
 * then addresses (they contain names and numbers), organisations (they contain names), persons.
 * Within a type the longer span wins, then the earlier one: the result is deterministic.
 */
const PRIORITY: Readonly<Record<PiiType, number>> = {
  email: 0,
  iban: 1,
  credit_card: 2,
  national_id: 3,
  ip_address: 4,
  phone: 5,
  address: 6,
  organisation: 7,
  person: 8,
};

// A number written with its country code (+34, 0049) is a phone even where its digits also
// read as an IPv4 address ("+34 91.108.13.74") or an id: the prefix is unambiguous.
const rank = (s: PiiSpan): number => (s.type === 'phone' && /^(?:\+|00)/.test(s.text) ? 2.5 : PRIORITY[s.type]);

export function resolveOverlaps(spans: readonly PiiSpan[]): PiiSpan[] {
  if (spans.length < 2) return [...spans];
  const ranked = [...spans].sort((a, b) => rank(a) - rank(b) || b.end - b.start - (a.end - a.start) || a.start - b.start || b.confidence - a.confidence);
  const kept: PiiSpan[] = [];
  for (const s of ranked) {
    if (s.end <= s.start) continue;
    if (kept.every((k) => s.end <= k.start || s.start >= k.end)) kept.push(s);
  }
  return kept.sort((a, b) => a.start - b.start);
}
