import { luhnValid } from '../validators/checksums';
import { validIban } from '../validators/iban';
import { spanOf, type PiiSpan } from '../pii-span';

/** Issuer ranges (IIN prefixes) and the lengths each brand issues. */
const BRANDS: ReadonlyArray<{ kind: string; test: (d: string) => boolean; lengths: readonly number[] }> = [
  { kind: 'visa', test: (d) => d.startsWith('4'), lengths: [13, 16, 19] },
  { kind: 'mastercard', test: (d) => /^5[1-5]/.test(d) || inRange(d, 4, 2221, 2720), lengths: [16] },
  { kind: 'amex', test: (d) => /^3[47]/.test(d), lengths: [15] },
  { kind: 'discover', test: (d) => /^(?:6011|65|64[4-9])/.test(d) || inRange(d, 6, 622126, 622925), lengths: [16, 17, 18, 19] },
  { kind: 'jcb', test: (d) => inRange(d, 4, 3528, 3589), lengths: [16, 17, 18, 19] },
  { kind: 'diners', test: (d) => /^(?:30[0-5]|3095|36|38|39)/.test(d), lengths: [14, 16, 17, 18, 19] },
  { kind: 'unionpay', test: (d) => d.startsWith('62'), lengths: [16, 17, 18, 19] },
  { kind: 'maestro', test: (d) => /^(?:5018|5020|5038|5893|6304|6759|676[1-3])/.test(d), lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
];
function inRange(d: string, digits: number, lo: number, hi: number): boolean {
  const n = Number(d.slice(0, digits));
  return n >= lo && n <= hi;
}

export function cardBrand(digits: string): string | undefined {
  return BRANDS.find((b) => b.lengths.includes(digits.length) && b.test(digits))?.kind;
}

// 12-19 digits, in groups separated by one space or dash each (the same separator throughout is not required: people type "4111 1111-1111 1111").
const CARD = /(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d]|-\d)/g;

export function detectCards(text: string): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(CARD)) {
    const digits = m[0].replace(/[ -]/g, '');
    const kind = cardBrand(digits);
    if (kind && luhnValid(digits)) out.push(spanOf(text, 'credit_card', m.index, m.index + m[0].length, 0.99, kind));
  }
  return out;
}

// Country, check digits, then 4-character groups with optional single spaces; the last group may be shorter.
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g;

export function detectIbans(text: string): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(IBAN)) {
    // Trim trailing groups until the rest validates: "DE89 3704 0044 0532 0130 00 and" stops at "00".
    let candidate = m[0];
    while (candidate.length >= 15) {
      const compact = candidate.replace(/ /g, '');
      if (validIban(compact)) {
        out.push(spanOf(text, 'iban', m.index, m.index + candidate.length, 0.99, compact.slice(0, 2)));
        break;
      }
      candidate = candidate.slice(0, Math.max(candidate.lastIndexOf(' '), candidate.length - 1)).trimEnd();
    }
  }
  return out;
}
