import type { Prng } from './prng';

/**
 * Phone numbers by each country's numbering plan (as published by the regulators: Ofcom,
 * BNetzA, ARCEP, CNMC, AGCOM, ACM, NANPA), then written the ways people write them: with the
 * country code (+ or 00) or the national trunk prefix, grouped by spaces, dashes, dots,
 * slashes, parentheses, or not at all. Ranges were checked against libphonenumber's metadata
 * once (a diagnostic, not the detector): French 070-072, Dutch 067, Japanese 090-0, British
 * 076 and short German 015x numbers are not issued, so the generator does not make them.
 */
interface Plan {
  readonly cc: string;
  /** The national significant number (without trunk prefix), as groups. */
  readonly nsn: (rng: Prng) => string[];
  /** National trunk prefix ("0"), empty where there is none (Spain, Italy, North America). */
  readonly trunk: string;
}

const US_AREAS = ['212', '213', '305', '312', '415', '503', '512', '617', '646', '702', '713', '720', '202', '206', '404', '919'];
const PLANS: Readonly<Record<string, Plan>> = {
  US: { cc: '1', trunk: '', nsn: (r) => [r.pick(US_AREAS), `${r.int(2, 9)}${r.digits(2)}`, r.digits(4)] },
  // 076 is pagers in the UK plan, not mobiles; German 015x mobiles have 8 digits after the prefix, 016x/017x 7 or 8.
  GB: { cc: '44', trunk: '0', nsn: (r) => (r.chance(0.5) ? [`7${r.pick([4, 5, 7, 8, 9])}${r.digits(2)}`, r.digits(6)] : [`20`, `${r.int(7, 8)}${r.digits(3)}`, r.digits(4)]) },
  DE: { cc: '49', trunk: '0', nsn: (r) => (r.chance(0.5) ? (r.chance(0.5) ? [`15${r.pick(['1', '2', '7'])}`, r.digits(8)] : [`1${r.pick(['60', '62', '70', '71', '72', '76'])}`, r.digits(7)]) : [r.pick(['30', '40', '89', '69', '221']), `${r.int(2, 9)}${r.digits(6)}`]) },
  FR: { cc: '33', trunk: '0', nsn: (r) => (r.chance(0.7) ? [String(r.pick([1, 2, 3, 4, 5, 6])), r.digits(2), r.digits(2), r.digits(2), r.digits(2)] : [`7`, `${r.int(3, 8)}${r.digits(1)}`, r.digits(2), r.digits(2), r.digits(2)]) },
  ES: { cc: '34', trunk: '', nsn: (r) => (r.chance(0.5) ? [`6${r.digits(2)}`, r.digits(3), r.digits(3)] : [`91`, r.digits(3), r.digits(2), r.digits(2)]) },
  IT: { cc: '39', trunk: '', nsn: (r) => (r.chance(0.5) ? [`3${r.pick(['20', '33', '35', '38', '40', '47', '49', '66', '88', '93'])}`, r.digits(3), r.digits(4)] : ['06', r.digits(4), r.digits(4)]) },
  NL: { cc: '31', trunk: '0', nsn: (r) => (r.chance(0.5) ? ['6', `${r.int(1, 5)}${r.digits(7)}`] : [r.pick(['20', '10', '70', '30']), `${r.int(2, 9)}${r.digits(2)}`, r.digits(4)]) },
  BE: { cc: '32', trunk: '0', nsn: (r) => [`4${r.int(7, 9)}${r.int(0, 9)}`, r.digits(2), r.digits(2), r.digits(2)] },
  CH: { cc: '41', trunk: '0', nsn: (r) => [`7${r.pick([6, 7, 8, 9])}`, r.digits(3), r.digits(2), r.digits(2)] },
  AT: { cc: '43', trunk: '0', nsn: (r) => [`6${r.pick(['64', '76', '99', '50'])}`, r.digits(7)] },
  SE: { cc: '46', trunk: '0', nsn: (r) => [`7${r.pick([0, 2, 3, 6])}`, r.digits(3), r.digits(2), r.digits(2)] },
  IE: { cc: '353', trunk: '0', nsn: (r) => [`8${r.pick([3, 5, 6, 7, 9])}`, r.digits(3), r.digits(4)] },
  PT: { cc: '351', trunk: '', nsn: (r) => [`9${r.pick([1, 2, 3, 6])}`, r.digits(3), r.digits(4)] },
  IN: { cc: '91', trunk: '0', nsn: (r) => [`9${r.digits(4)}`, r.digits(5)] },
  BR: { cc: '55', trunk: '0', nsn: (r) => [r.pick(['11', '21', '31']), `9${r.digits(4)}`, r.digits(4)] },
  JP: { cc: '81', trunk: '0', nsn: (r) => [r.pick(['90', '80']), `${r.int(1, 9)}${r.digits(3)}`, r.digits(4)] },
  AU: { cc: '61', trunk: '0', nsn: (r) => [`4${r.int(0, 3)}${r.digits(1)}`, r.digits(3), r.digits(3)] },
};
export const PHONE_COUNTRIES = Object.keys(PLANS);

/** One number of `country` (random by default) in one of its written forms. */
export function phoneNumber(rng: Prng, country = rng.pick(PHONE_COUNTRIES)): string {
  const plan = PLANS[country]!;
  const groups = plan.nsn(rng);
  const sep = rng.pick([' ', ' ', '-', '.', '']);
  const form = rng.int(0, 5);
  if (form <= 1) return `+${plan.cc} ${groups.join(sep)}`; // +49 30 1234567
  if (form === 2) return `00${plan.cc} ${groups.join(sep)}`; // 0049 30 1234567
  if (form === 3 && plan.trunk) return `+${plan.cc} (${plan.trunk})${groups.join(sep)}`; // +44 (0)20 7946 0018
  if (country === 'US' || country === 'CA') return rng.chance(0.5) ? `(${groups[0]}) ${groups[1]}-${groups[2]}` : `${groups.join(sep || '-')}`;
  const [first, ...rest] = groups;
  if (plan.trunk && rng.chance(0.3)) return `(${plan.trunk}${first}) ${rest.join(sep || ' ')}`; // (030) 1234567
  if (plan.trunk && rng.chance(0.3)) return `${plan.trunk}${first}/${rest.join('')}`; // 030/1234567
  return `${plan.trunk}${[first, ...rest].join(sep)}`;
}
