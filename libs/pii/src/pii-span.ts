/** The entity types Weaver detects; a policy names an action per type. */
export const PII_TYPES = ['email', 'phone', 'credit_card', 'iban', 'ip_address', 'national_id', 'person', 'address', 'organisation'] as const;
export type PiiType = (typeof PII_TYPES)[number];

/** Identifiers found by a pattern and confirmed by a validator (checksum, numbering plan). */
export const STRUCTURED_TYPES: readonly PiiType[] = ['email', 'phone', 'credit_card', 'iban', 'ip_address', 'national_id'];

/** One finding: `text === source.slice(start, end)`. */
export interface PiiSpan {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** 0..1: ~0.99 for a passed checksum, lower for context or language rules. */
  readonly confidence: number;
  /** A finer kind where one exists: "us_ssn", "visa", "DE" (IBAN country), "compromise" ... */
  readonly kind?: string;
}

export const spanOf = (source: string, type: PiiType, start: number, end: number, confidence: number, kind?: string): PiiSpan =>
  kind === undefined ? { type, start, end, text: source.slice(start, end), confidence } : { type, start, end, text: source.slice(start, end), confidence, kind };

/** A detector sees the whole text and returns candidate spans (overlaps are resolved later). */
export type Detector = (text: string) => PiiSpan[];

/** Whether the `window` characters before `start` contain one of the cue words (lower-cased). */
export function cueBefore(text: string, start: number, cues: RegExp, window = 40): boolean {
  return cues.test(text.slice(Math.max(0, start - window), start));
}
