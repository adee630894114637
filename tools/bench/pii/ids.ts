import type { Prng } from './prng';

/** National identifiers with their check digits computed from each scheme's specification. */
export type IdKind = 'us_ssn' | 'uk_nino' | 'nl_bsn' | 'es_dni' | 'it_cf' | 'fr_nir' | 'se_pnr' | 'de_steuer_id';
export const ID_KINDS: readonly IdKind[] = ['us_ssn', 'uk_nino', 'nl_bsn', 'es_dni', 'it_cf', 'fr_nir', 'se_pnr', 'de_steuer_id'];

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

function ssn(rng: Prng): string {
  let area = rng.int(1, 899);
  if (area === 666) area = 667;
  const sep = rng.pick(['-', '-', ' ']);
  return `${pad(area, 3)}${sep}${pad(rng.int(1, 99), 2)}${sep}${pad(rng.int(1, 9999), 4)}`;
}

function nino(rng: Prng): string {
  const first = rng.letters(1, 'ABCEGHJKLMNOPRSTWXYZ');
  let second = rng.letters(1, 'ABCEGHJKLMNPRSTWXYZ');
  if (['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(first + second)) second = 'A';
  const d = rng.digits(6);
  const suffix = rng.letters(1, 'ABCD');
  return rng.chance(0.5) ? `${first}${second} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)} ${suffix}` : `${first}${second}${d}${suffix}`;
}

function bsn(rng: Prng): string {
  for (;;) {
    const d = rng.digits(8);
    const weighted = [...d].reduce((s, ch, i) => s + Number(ch) * (9 - i), 0);
    const check = weighted % 11; // the 9th digit weighs -1: it must equal the weighted sum mod 11
    if (check < 10 && d !== '00000000') return d + String(check);
  }
}

function dni(rng: Prng): string {
  const table = 'TRWAGMYFPDXBNJZSQVHLCKE';
  if (rng.chance(0.3)) {
    const lead = rng.int(0, 2);
    const digits = rng.digits(7);
    return `${'XYZ'[lead]}${digits}${table[Number(`${lead}${digits}`) % 23]}`;
  }
  const n = rng.int(10_000_000, 99_999_999);
  return `${n}${rng.chance(0.2) ? '-' : ''}${table[n % 23]}`;
}

const CF_ODD: Readonly<Record<string, number>> = Object.fromEntries(
  [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((ch) => {
    const odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
    const oddLetters = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
    return [ch, /\d/.test(ch) ? odd[Number(ch)]! : oddLetters[ch.charCodeAt(0) - 65]!];
  }),
);
function codiceFiscale(rng: Prng): string {
  const day = rng.int(1, 28) + (rng.chance(0.5) ? 40 : 0);
  const body = `${rng.letters(6)}${rng.digits(2)}${rng.pick([...'ABCDEHLMPRST'])}${pad(day, 2)}${rng.pick([...'ABCDEFGHILMZ'])}${rng.digits(3)}`;
  let sum = 0;
  [...body].forEach((ch, i) => {
    sum += (i + 1) % 2 === 1 ? CF_ODD[ch]! : /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 65;
  });
  return body + String.fromCharCode(65 + (sum % 26));
}

function nir(rng: Prng): string {
  const dept = rng.chance(0.1) ? rng.pick(['2A', '2B']) : pad(rng.int(1, 95), 2);
  const parts = [String(rng.int(1, 2)), pad(rng.int(40, 99), 2), pad(rng.int(1, 12), 2), dept, pad(rng.int(1, 990), 3), pad(rng.int(1, 999), 3)];
  const numeric = BigInt(parts.join('').replace('2A', '19').replace('2B', '18'));
  const key = pad(Number(97n - (numeric % 97n)), 2);
  return rng.chance(0.5) ? [...parts, key].join(' ') : [...parts, key].join('');
}

function personnummer(rng: Prng): string {
  const yy = pad(rng.int(0, 99), 2);
  const base = `${yy}${pad(rng.int(1, 12), 2)}${pad(rng.int(1, 28), 2)}${rng.digits(3)}`;
  let sum = 0;
  [...base].forEach((ch, i) => {
    const v = Number(ch) * (i % 2 === 0 ? 2 : 1);
    sum += Math.floor(v / 10) + (v % 10);
  });
  const full = `${base}${(10 - (sum % 10)) % 10}`;
  const century = rng.chance(0.3) ? (Number(yy) < 25 ? '20' : '19') : '';
  return `${century}${full.slice(0, 6)}-${full.slice(6)}`;
}

function steuerId(rng: Prng): string {
  for (;;) {
    const pool = [...'0123456789'];
    pool.splice(rng.int(0, 9), 1); // one digit does not occur
    const digits = [...pool, rng.pick(pool)]; // one occurs twice
    for (let i = digits.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [digits[i], digits[j]] = [digits[j]!, digits[i]!];
    }
    const ten = digits.join('');
    if (ten[0] === '0' || /(\d)\1/.test(ten)) continue;
    let product = 10;
    for (const ch of ten) {
      const s = (Number(ch) + product) % 10 || 10;
      product = (2 * s) % 11;
    }
    const check = (11 - product) % 10;
    return rng.chance(0.4) ? `${ten.slice(0, 2)} ${ten.slice(2, 5)} ${ten.slice(5, 8)} ${ten.slice(8)}${check}` : `${ten}${check}`;
  }
}

const GENERATORS: Readonly<Record<IdKind, (rng: Prng) => string>> = {
  us_ssn: ssn, uk_nino: nino, nl_bsn: bsn, es_dni: dni, it_cf: codiceFiscale, fr_nir: nir, se_pnr: personnummer, de_steuer_id: steuerId,
};
export const nationalId = (rng: Prng, kind: IdKind): string => GENERATORS[kind](rng);
