import type { Prng } from './prng';

/**
 * Number-like text that is not PII, for the negative side of the corpus: order and invoice
 * numbers (some bare 10-digit runs, the shape of a phone number), dates, versions (some with
 * four parts, the shape of an IPv4 address), prices, times, parcel tracking numbers, SKUs and
 * EAN codes, percentages, commit hashes.
 */
export const FILLERS: Readonly<Record<string, (rng: Prng) => string>> = {
  order: (r) => r.pick([`ORD-${r.int(2019, 2026)}-${r.digits(6)}`, `#${r.digits(8)}`, `${r.int(1, 9)}${r.digits(9)}`, `A-${r.digits(5)}`, `${r.digits(3)}-${r.digits(7)}-${r.digits(7)}`]),
  invoice: (r) => r.pick([`INV-${r.int(2019, 2026)}-${r.digits(5)}`, `${r.int(2019, 2026)}/${r.digits(4)}`, `F${r.digits(7)}`, `RE-${r.digits(6)}`]),
  date: (r) => {
    const d = r.int(1, 28);
    const m = r.int(1, 12);
    const y = r.int(2019, 2027);
    const p = (n: number): string => String(n).padStart(2, '0');
    return r.pick([`${p(d)}.${p(m)}.${y}`, `${y}-${p(m)}-${p(d)}`, `${p(d)}/${p(m)}/${y}`, `${m}/${d}/${String(y).slice(2)}`, `${d} ${r.pick(['March', 'mars', 'marzo', 'März', 'maart'])} ${y}`]);
  },
  version: (r) => r.pick([`${r.int(1, 12)}.${r.int(0, 30)}.${r.int(0, 99)}`, `v${r.int(1, 5)}.${r.int(0, 20)}.${r.int(0, 9)}`, `${r.int(1, 9)}.${r.int(0, 9)}.${r.int(0, 9)}.${r.int(0, 250)}`, `${r.int(2019, 2026)}.${r.int(1, 12)}`]),
  price: (r) => r.pick([`€${r.int(1, 9)},${r.digits(3)}.${r.digits(2)}`, `${r.int(1, 9)}.${r.digits(3)},${r.digits(2)} €`, `$${r.int(1, 999)}.${r.digits(2)}`, `£${r.int(10, 9999)}`, `CHF ${r.int(10, 999)}.–`]),
  time: (r) => r.pick([`${r.int(0, 23)}:${String(r.int(0, 59)).padStart(2, '0')}`, `${String(r.int(0, 23)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}`, `${r.int(1, 12)}:${String(r.int(0, 59)).padStart(2, '0')} pm`]),
  tracking: (r) => r.pick([`1Z${r.letters(6, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}${r.digits(10)}`, `JJD${r.digits(15)}`, `00${r.digits(18)}`, `${r.letters(2)}${r.digits(9)}${r.pick(['DE', 'NL', 'FR', 'GB'])}`]),
  sku: (r) => r.pick([`SKU-${r.digits(4)}-${r.letters(1)}`, `${r.pick(['87', '40', '80', '84'])}${r.digits(11)}`, `${r.letters(3)}${r.digits(5)}`]),
  percent: (r) => r.pick([`${r.int(1, 99)}%`, `${r.int(1, 99)}.${r.int(0, 9)} %`, `${r.int(1, 9)},${r.int(0, 9)} %`]),
  hash: (r) => r.letters(7, '0123456789abcdef'),
  qty: (r) => String(r.int(2, 4000)),
  year: (r) => String(r.int(1990, 2026)),
};
