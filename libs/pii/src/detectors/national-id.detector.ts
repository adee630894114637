import { cueBefore, spanOf, type PiiSpan } from '../pii-span';
import { validDeSteuerId, validEsDniNie, validFrNir, validItCodiceFiscale, validNlBsn, validSePersonnummer, validUkNino, validUsSsn } from '../validators/national-ids';

/**
 * National identifiers. Where the format and checksum alone are strong (codice fiscale, NIR,
 * NINO, DNI/NIE letter, a dashed SSN or personnummer) the pattern is enough; where a random
 * number passes the checksum too often (BSN 1 in 11, Steuer-ID ~1 in 25, an undashed SSN or
 * personnummer) a cue word must precede it, otherwise order numbers would be ids.
 */
interface IdRule {
  readonly kind: string;
  readonly pattern: RegExp;
  readonly valid: (compact: string) => boolean;
  /** Required before the match when set. */
  readonly cue?: RegExp;
  /** Normalises the match before validation (default: drop spaces, dots and dashes, upper-case). */
  readonly compact?: (raw: string) => string;
}

const strip = (raw: string): string => raw.replace(/[\s.-]/g, '').toUpperCase();

const RULES: readonly IdRule[] = [
  { kind: 'us_ssn', pattern: /(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d-])/g, valid: validUsSsn },
  { kind: 'us_ssn', pattern: /(?<!\d)\d{9}(?!\d)/g, valid: validUsSsn, cue: /\b(?:ssn|social security)\b/i },
  { kind: 'uk_nino', pattern: /\b[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d]\b/g, valid: validUkNino },
  { kind: 'nl_bsn', pattern: /(?<![\d.])(?:\d{9}|\d{4}[ .]\d{2}[ .]\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?![\d]|\.\d)/g, valid: validNlBsn, cue: /\b(?:bsn|burgerservicenummer|sofinummer|sofi-nummer)\b/i },
  { kind: 'es_dni', pattern: /(?<![\w.])[XYZ]?(?:\d{7,8}|\d{1,2}\.\d{3}\.\d{3})[- ]?[A-Z](?![\w’'])/g, valid: validEsDniNie },
  { kind: 'it_cf', pattern: /\b[A-Za-z]{6}\d{2}[A-Za-z]\d{2}[A-Za-z]\d{3}[A-Za-z]\b/g, valid: validItCodiceFiscale },
  { kind: 'fr_nir', pattern: /(?<!\d)[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?!\d)/g, valid: validFrNir },
  { kind: 'se_pnr', pattern: /(?<![\d-])(?:19|20)?\d{6}[-+]\d{4}(?![\d-])/g, valid: validSePersonnummer, compact: (raw) => raw.replace(/[-+]/g, '').slice(-10) },
  { kind: 'se_pnr', pattern: /(?<!\d)(?:(?:19|20)\d{10}|\d{10})(?!\d)/g, valid: validSePersonnummer, compact: (raw) => raw.slice(-10), cue: /\b(?:personnummer|personnr|pnr)\b/i },
  { kind: 'de_steuer_id', pattern: /(?<![+\d] ?)\d{2} \d{3} \d{3} \d{3}(?!\d)/g, valid: validDeSteuerId },
  { kind: 'de_steuer_id', pattern: /(?<!\d)\d{11}(?!\d)/g, valid: validDeSteuerId, cue: /\b(?:steuer-?id|steuer-identifikationsnummer|steueridentifikationsnummer|identifikationsnummer|idnr|tin)\b/i },
];

export function detectNationalIds(text: string): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const rule of RULES) {
    for (const m of text.matchAll(rule.pattern)) {
      if (rule.cue && !cueBefore(text, m.index, rule.cue)) continue;
      if (!rule.valid((rule.compact ?? strip)(m[0]))) continue;
      out.push(spanOf(text, 'national_id', m.index, m.index + m[0].length, rule.cue ? 0.95 : 0.99, rule.kind));
    }
  }
  return out;
}
