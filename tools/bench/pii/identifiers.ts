import type { Prng } from './prng';

/**
 * Structured values for the corpus, built from each scheme's published rules (numbering plans,
 * issuer ranges, BBAN layouts, id check algorithms), written here independently of
 * libs/pii's validators so that a bug in one is not copied into the other.
 */

function luhnDigit(payload: string): string {
  // Sum with doubling from the right, counting the check digit's slot as position 1.
  let sum = 0;
  [...payload].reverse().forEach((ch, i) => {
    const d = Number(ch) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  return String((10 - (sum % 10)) % 10);
}

export function creditCard(rng: Prng): string {
  const kind = rng.int(0, 6);
  const prefix = [
    '4',
    `5${rng.int(1, 5)}`,
    `3${rng.pick(['4', '7'])}`,
    rng.pick(['6011', '65']),
    `35${rng.int(28, 89)}`,
    `2${rng.int(221, 720)}`,
    '4',
  ][kind]!;
  const length = kind === 2 ? 15 : kind === 6 ? 13 : 16;
  const body = prefix + rng.digits(length - prefix.length - 1);
  const number = body + luhnDigit(body);
  const groups = kind === 2 ? [4, 6, 5] : kind === 6 ? [4, 4, 5] : [4, 4, 4, 4];
  const sep = rng.pick([' ', ' ', '-', '']);
  const parts: string[] = [];
  let at = 0;
  for (const g of groups) parts.push(number.slice(at, (at += g)));
  return parts.join(sep);
}

/** BBAN layouts: n = digits, a = upper-case letters, c = alphanumerics. */
const IBAN_LAYOUTS: Readonly<Record<string, string>> = {
  DE: '18n', FR: '10n11c2n', ES: '20n', IT: '1a10n12c', NL: '4a10n', GB: '4a14n', BE: '12n', AT: '16n', CH: '5n12c', PT: '21n', IE: '4a14n', PL: '24n', SE: '20n', LU: '3n13c', DK: '14n',
};
function bban(rng: Prng, layout: string): string {
  let out = '';
  for (const [, n, t] of layout.matchAll(/(\d+)([nac])/g)) {
    const count = Number(n);
    out += t === 'n' ? rng.digits(count) : t === 'a' ? rng.letters(count) : rng.letters(count, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
  }
  return out;
}
function ibanCheck(country: string, body: string): string {
  const numeric = [...`${body}${country}00`].map((ch) => (/[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch)).join('');
  const rest = Number(BigInt(numeric) % 97n);
  return String(98 - rest).padStart(2, '0');
}
export function iban(rng: Prng): string {
  const country = rng.pick(Object.keys(IBAN_LAYOUTS));
  const body = bban(rng, IBAN_LAYOUTS[country]!);
  const compact = `${country}${ibanCheck(country, body)}${body}`;
  return rng.chance(0.55) ? compact.replace(/(.{4})/g, '$1 ').trim() : compact;
}

export function ipAddress(rng: Prng): string {
  if (rng.chance(0.65)) return [rng.pick([10, 172, 192, 81, 94, 203, 52, 8]), rng.int(0, 255), rng.int(0, 255), rng.int(1, 254)].join('.');
  const groups = Array.from({ length: 8 }, () => rng.int(0, 0xffff).toString(16));
  groups[0] = rng.pick(['2001', 'fe80', '2a02', '2600']);
  if (rng.chance(0.5)) return groups.join(':');
  const cut = rng.int(2, 5);
  return `${groups.slice(0, cut).join(':')}::${groups.slice(cut + 2).join(':')}`.replace(/:$/, ':1');
}

const DOMAINS = ['example.com', 'mail.example.org', 'posteo.de', 'gmx.net', 'orange.fr', 'libero.it', 'telefonica.es', 'ziggo.nl', 'uni-muenchen.de', 'corp.example.co.uk', 'outlook.com', 'web.de'];
const translit = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]/g, '').toLowerCase();
export function email(rng: Prng, given: string, family: string): string {
  const g = translit(given) || 'info';
  const f = translit(family) || 'mail';
  const local = rng.pick([`${g}.${f}`, `${g[0]}${f}`, `${g}_${f}${rng.int(1, 99)}`, `${f}.${g}+news`, `${g}${rng.int(1970, 2005)}`, 'contact', `${g}-${f}`]);
  return `${local}@${rng.pick(DOMAINS)}`;
}
