/**
 * The labelled synthetic PII corpus of tools/bench/pii.ts, generated deterministically from a seed:
 *   npx tsx tools/bench/pii-corpus.ts [--seed 10] [--sentences 6000] [--out corpus.jsonl]
 * Sentences come from templates in six languages (pii/templates.ts: dev; pii/templates-held-out.ts:
 * held out) whose slots are filled by value generators built from each scheme's rules (pii/*.ts),
 * independently of libs/pii's detectors. Every label's `text` is the sentence at its offsets.
 */
import { writeFileSync } from 'node:fs';
import { FILLERS } from './pii/fillers';
import { nationalId, type IdKind } from './pii/ids';
import { creditCard, email, iban, ipAddress } from './pii/identifiers';
import { CULTURES, personName, TITLES } from './pii/names';
import { phoneNumber } from './pii/phones';
import { address, organisation, type AddressCountry } from './pii/places';
import { Prng } from './pii/prng';
import { DEV_TEMPLATES, LANGS, type Lang } from './pii/templates';
import { HELD_OUT_TEMPLATES } from './pii/templates-held-out';

export type LabelType = 'email' | 'phone' | 'credit_card' | 'iban' | 'ip_address' | 'national_id' | 'person' | 'address' | 'organisation';

export interface Label {
  readonly type: LabelType;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly kind?: string;
}

export interface LabelledSentence {
  readonly text: string;
  readonly labels: Label[];
  readonly lang: Lang;
  readonly heldOut: boolean;
  readonly template: string;
}

const LOCAL_PHONES: Readonly<Record<Lang, readonly string[]>> = { en: ['US', 'GB', 'IE', 'AU'], de: ['DE', 'AT', 'CH'], fr: ['FR', 'BE', 'CH'], es: ['ES'], it: ['IT'], nl: ['NL', 'BE'] };
const LOCAL_IDS: Readonly<Record<Lang, readonly IdKind[]>> = { en: ['us_ssn', 'uk_nino', 'se_pnr'], de: ['de_steuer_id'], fr: ['fr_nir'], es: ['es_dni'], it: ['it_cf'], nl: ['nl_bsn'] };
const LOCAL_ADDRESSES: Readonly<Record<Lang, readonly AddressCountry[]>> = { en: ['us', 'uk'], de: ['de'], fr: ['fr'], es: ['es'], it: ['it'], nl: ['nl'] };
const LOCAL_CULTURES: Readonly<Record<Lang, string>> = { en: 'english', de: 'german', fr: 'french', es: 'spanish', it: 'italian', nl: 'dutch' };

/** One slot's text, and the label it carries (offsets relative to the slot). */
function fill(rng: Prng, slot: string, lang: Lang): { text: string; label?: Omit<Label, 'start' | 'end' | 'text'> & { at: number; length: number } } {
  const whole = (type: LabelType, text: string, kind?: string) => ({ text, label: { type, at: 0, length: text.length, ...(kind ? { kind } : {}) } });
  // Half the people come from the sentence's language, half from anywhere in the world.
  const culture = rng.chance(0.5) ? LOCAL_CULTURES[lang] : undefined;
  switch (slot) {
    case 'person':
      return whole('person', personName(rng, culture).name);
    case 'tperson': {
      const family = rng.pick(CULTURES[culture ?? LOCAL_CULTURES[lang]]!.family);
      const title = rng.pick(TITLES[lang]!);
      return { text: `${title} ${family}`, label: { type: 'person', at: title.length + 1, length: family.length } };
    }
    case 'email': {
      const p = personName(rng, culture);
      return whole('email', email(rng, p.given, p.name.split(' ').slice(-1)[0]!));
    }
    case 'phone':
      return whole('phone', phoneNumber(rng, rng.chance(0.7) ? rng.pick(LOCAL_PHONES[lang]) : undefined));
    case 'card':
      return whole('credit_card', creditCard(rng));
    case 'iban':
      return whole('iban', iban(rng));
    case 'ip':
      return whole('ip_address', ipAddress(rng));
    case 'id': {
      const kind = rng.pick(LOCAL_IDS[lang]);
      return whole('national_id', nationalId(rng, kind), kind);
    }
    case 'address': {
      const country = rng.pick(LOCAL_ADDRESSES[lang]);
      return whole('address', address(rng, country), country);
    }
    case 'org':
      return whole('organisation', organisation(rng));
    default: {
      const filler = FILLERS[slot];
      if (!filler) throw new Error(`template slot {${slot}} has no generator`);
      return { text: filler(rng) };
    }
  }
}

export function render(rng: Prng, template: string, lang: Lang, heldOut: boolean): LabelledSentence {
  let text = '';
  const labels: Label[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    text += template.slice(last, m.index);
    const { text: value, label } = fill(rng, m[1]!, lang);
    if (label) {
      const start = text.length + label.at;
      const { at: _at, length, ...rest } = label;
      labels.push({ ...rest, start, end: start + length, text: value.slice(label.at, label.at + length) });
    }
    text += value;
    last = m.index + m[0].length;
  }
  return { text: text + template.slice(last), labels, lang, heldOut, template };
}

export interface CorpusOptions {
  readonly seed?: number;
  readonly sentences?: number;
  /** Share of sentences from held-out templates (default 1/3). */
  readonly heldOutShare?: number;
}

export function generateCorpus(opts: CorpusOptions = {}): LabelledSentence[] {
  const rng = new Prng(opts.seed ?? 10);
  const total = opts.sentences ?? 6000;
  const out: LabelledSentence[] = [];
  for (let i = 0; i < total; i++) {
    const lang = LANGS[i % LANGS.length]!;
    const heldOut = rng.next() < (opts.heldOutShare ?? 1 / 3);
    const template = rng.pick((heldOut ? HELD_OUT_TEMPLATES : DEV_TEMPLATES)[lang]);
    out.push(render(rng, template, lang, heldOut));
  }
  return out;
}

if (require.main === module) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const corpus = generateCorpus({ seed: Number(arg('seed') ?? 10), sentences: Number(arg('sentences') ?? 6000) });
  const lines = corpus.map((s) => JSON.stringify(s)).join('\n');
  const out = arg('out');
  if (out) writeFileSync(out, `${lines}\n`);
  else process.stdout.write(`${lines}\n`);
}
