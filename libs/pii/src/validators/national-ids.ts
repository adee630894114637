import { iso7064Mod1110, luhnValid, mod97 } from './checksums';

/**
 * Checksum and range validators of national identifiers. Each takes the identifier with its
 * separators already removed (upper-cased where letters occur) and says whether it can exist.
 */

/** US SSN: area 000, 666 and 900-999, group 00 and serial 0000 are never issued. */
export function validUsSsn(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = Number(digits.slice(0, 3));
  return area !== 0 && area !== 666 && area < 900 && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

/** UK National Insurance number: two prefix letters (with excluded letters and pairs), six digits, suffix A-D. */
export function validUkNino(value: string): boolean {
  const m = /^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])(\d{6})([A-D])$/.exec(value);
  if (!m) return false;
  return !['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(`${m[1]}${m[2]}`);
}

/** Dutch BSN: nine digits passing the "11-proof" (weights 9..2, the last digit weighs -1). */
export function validNlBsn(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || digits === '000000000') return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (9 - i);
  sum -= Number(digits[8]);
  return sum % 11 === 0;
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter): the letter is n mod 23. */
export function validEsDniNie(value: string): boolean {
  const m = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(value);
  if (!m) return false;
  const prefix = m[1] ?? '';
  const digits = m[2] ?? '';
  if (prefix === '' ? digits.length !== 8 : digits.length !== 7) return false;
  const n = Number(`${prefix === '' ? '' : 'XYZ'.indexOf(prefix)}${digits}`);
  return DNI_LETTERS[n % 23] === m[3];
}

// Codice fiscale: characters in odd positions (1st, 3rd, ...) map through this table, even ones to 0-25.
const CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const cfIndex = (ch: string): number => (ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 65);

/** Italian codice fiscale check character (the 16th) of the first 15. */
export function codiceFiscaleCheck(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const idx = cfIndex(first15[i] ?? '0');
    sum += i % 2 === 0 ? (CF_ODD[idx] ?? 0) : idx;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** Italian codice fiscale: 6 letters, 2 digits, month letter, 2 digits, letter, 3 digits, check letter. */
export function validItCodiceFiscale(value: string): boolean {
  if (!/^[A-Z]{6}\d{2}[ABCDEHLMPRST]\d{2}[A-Z]\d{3}[A-Z]$/.test(value)) return false;
  const day = Number(value.slice(9, 11));
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return false; // women: day + 40
  return codiceFiscaleCheck(value.slice(0, 15)) === value[15];
}

/** French NIR (numéro de sécurité sociale): 13 characters + key = 97 - (n mod 97); Corsica 2A/2B count as 19/18. */
export function validFrNir(value: string): boolean {
  const m = /^([12])(\d{2})(\d{2})(\d[0-9AB]|\d{2})(\d{3})(\d{3})(\d{2})$/.exec(value);
  if (!m) return false;
  const month = Number(m[3]);
  if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || (month >= 50 && month <= 99))) return false;
  const body = value.slice(0, 13).replace('2A', '19').replace('2B', '18');
  return 97 - mod97(body) === Number(m[7]);
}

/** Swedish personnummer (YYMMDDNNNC, 10 digits): a real date and Luhn over all ten. */
export function validSePersonnummer(digits10: string): boolean {
  if (!/^\d{10}$/.test(digits10)) return false;
  const month = Number(digits10.slice(2, 4));
  const day = Number(digits10.slice(4, 6));
  // day + 60 is a samordningsnummer (co-ordination number): same checksum.
  if (month < 1 || month > 12 || !((day >= 1 && day <= 31) || (day >= 61 && day <= 91))) return false;
  return luhnValid(digits10);
}

/**
 * German Steuer-ID: 11 digits, no leading 0; in the first ten one digit occurs twice or three
 * times (never three in a row) and the others at most once; the last is ISO 7064 MOD 11,10.
 */
export function validDeSteuerId(digits: string): boolean {
  if (!/^[1-9]\d{10}$/.test(digits)) return false;
  const first10 = digits.slice(0, 10);
  const counts = new Map<string, number>();
  for (const ch of first10) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const repeated = [...counts.values()].filter((c) => c > 1);
  if (repeated.length !== 1 || (repeated[0] ?? 0) > 3) return false;
  if (/(\d)\1\1/.test(first10)) return false;
  return iso7064Mod1110(first10) === Number(digits[10]);
}
