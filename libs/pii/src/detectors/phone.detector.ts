import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { cueBefore, spanOf, type PiiSpan } from '../pii-span';

/**
 * Phone numbers: candidates are runs of digit groups (single spaces, dashes, dots, slashes,
 * parentheses between them, an optional leading + or 00); each is validated by
 * libphonenumber-js with the full ("max") metadata, which checks the numbering plan, not only
 * the length. International numbers validate on their own; national ones against the countries
 * below. A national number typed without any separator must start with the trunk prefix 0
 * or follow a cue word ("tel", "call", "Telefon" ...): a bare digit run is as likely an order
 * or account number.
 */
// In national format a number of a country with a trunk prefix starts with it (0), one of a
// country without (North America, Spain, Portugal, Poland; Italy keeps the 0 of landlines) does
// not: each candidate is tried only against the plans it can belong to (a parse costs ~30 µs).
const TRUNK_ZERO: readonly CountryCode[] = ['GB', 'DE', 'FR', 'IT', 'NL', 'BE', 'AT', 'CH', 'SE', 'IE', 'AU'];
const NO_TRUNK: readonly CountryCode[] = ['US', 'ES', 'IT', 'PT', 'PL', 'CA'];
export const NATIONAL_COUNTRIES: readonly CountryCode[] = [...new Set([...TRUNK_ZERO, ...NO_TRUNK])];

const CANDIDATE = /(?<![\w./+#-])(?:\+|00)?\(?\d[\d().\/ -]*\d\)?/g;
const GROUP = /\+?\(?\d+\)?|[^\d()+]+/g;
const CUE = /\b(?:tel|tél|phone|call|ring|mobile?|mobil|cell|handy|fax|telefon|telefono|teléfono|téléfone|téléphone|portable|móvil|movil|cellulare|cell\.|numero|número|nummer|bel|contact|reach|whatsapp|sms|text)\b/i;
// "12.05.2024", "2024-05-12", "12/05/24": dates, never phones.
const DATE = /^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})$/;

export function validPhone(candidate: string, hasCue: boolean): string | undefined {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15 || DATE.test(candidate)) return undefined;
  const international = candidate.startsWith('+') || candidate.startsWith('00');
  if (international) {
    // "+44 (0)20 7946 0018": the bracketed trunk prefix is dialled only from inside the country.
    const plus = (candidate.startsWith('00') ? `+${candidate.slice(2)}` : candidate).replace(/^(\+\d{1,3})\s*\(0\)\s*/, '$1 ');
    const p = parsePhoneNumberFromString(plus);
    return p?.isValid() ? p.country ?? 'intl' : undefined;
  }
  // Unseparated digits need a cue word, except after a trunk prefix 0 (order and account
  // numbers rarely start with 0; European national numbers always do).
  const separated = /[^\d]/.test(candidate);
  if (!separated && !hasCue && !candidate.startsWith('0')) return undefined;
  const plans = candidate.replace(/^\(/, '').startsWith('0') ? TRUNK_ZERO : NO_TRUNK;
  for (const country of plans) {
    if (parsePhoneNumberFromString(candidate, country)?.isValid()) return country;
  }
  return undefined;
}

/** Splits a candidate run into groups and takes, left to right, the longest valid sub-run; runs inside `taken` spans are skipped. */
export function detectPhones(text: string, taken: readonly PiiSpan[] = []): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    // Digits inside an IBAN, a card or an id already found would lose the overlap anyway;
    // not parsing them saves most of the cost on identifier-dense text (a parse is ~30 µs).
    if (taken.some((t) => t.start <= m.index && t.end >= m.index + m[0].length)) continue;
    const parts = [...m[0].matchAll(GROUP)].map((g) => ({ at: m.index + g.index, text: g[0], digit: /\d/.test(g[0]) }));
    const digitParts = parts.filter((p) => p.digit);
    // A number taken out of a longer run must be cut at a space: "204-5512217-5084329" is one order number.
    const cutOk = (k: number): boolean => k < 0 || k >= digitParts.length - 1 || /\s/.test(text.slice(digitParts[k]!.at + digitParts[k]!.text.length, digitParts[k + 1]!.at));
    let i = 0;
    while (i < digitParts.length) {
      let found = false;
      for (let j = Math.min(digitParts.length - 1, i + 6); j >= i; j--) {
        if (!cutOk(i - 1) || !cutOk(j)) continue;
        const first = digitParts[i]!;
        const last = digitParts[j]!;
        let start = first.at;
        let end = last.at + last.text.length;
        // Keep a bracket only when its partner is inside: "(030) 1234" yes, "1234)" no.
        if (text[end - 1] === ')' && !text.slice(start, end).includes('(')) end--;
        if (text[start] === '(' && !text.slice(start, end).includes(')')) start++;
        const candidate = text.slice(start, end);
        const country = validPhone(candidate, cueBefore(text, start, CUE));
        if (country) {
          out.push(spanOf(text, 'phone', start, end, 0.95, country));
          i = j + 1;
          found = true;
          break;
        }
      }
      if (!found) i++;
    }
  }
  return out;
}
