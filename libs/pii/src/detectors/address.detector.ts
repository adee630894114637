import { spanOf, type PiiSpan } from '../pii-span';
import { CAP } from './ner-patterns';

/**
 * Street addresses by the conventions of each country's postal format: the number before the
 * street in English and French, after it in German, Dutch, Spanish and Italian; an optional
 * unit, then postcode and town (5-digit ZIP with state, UK and Dutch alphanumeric postcodes,
 * 4- and 5-digit continental ones). The span covers street to town when they follow.
 */
const W = `(?:${CAP}|\\d{1,3}(?:st|nd|rd|th))`; // "5th Avenue"
const LOW = `(?:de|du|des|la|le|les|del|de la|dei|della|delle|degli|di|d'|l'|of|the|van|von|der|am|an|auf|im|in)`;
const WORDS = (n: number): string => `${W}(?:[ \\t]+(?:${LOW}[ \\t]+)?${W}){0,${n}}`;
const NUM = String.raw`\d{1,5}(?:[ ]?[a-zA-Z](?![\p{L}]))?(?:[ -/]\d{1,4})?`;
// Towns: "Frankfurt am Main", "Saint-Étienne", and the capitals French post writes ("75002 PARIS").
const TOWN_WORD = String.raw`(?:${CAP}|\p{Lu}{2,}(?![\p{L}\p{N}]))`;
const CITY = String.raw`${TOWN_WORD}(?:(?:[ -](?:am|an der|sur|sous|en|upon|on|de|del|la|le))?[ -]${TOWN_WORD}){0,2}`;

const EN_SUFFIX = String.raw`(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Court|Ct\.?|Way|Place|Pl\.?|Terrace|Close|Crescent|Square|Sq\.?|Parkway|Pkwy\.?|Highway|Hwy\.?|Row|Gardens|Mews|Walk|Circle|Trail)`;
const UNIT = String.raw`(?:,?[ \t]+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor|#)[ \t]*[\w-]+)`;
const UK_POSTCODE = String.raw`[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}`;
// ", York YO1 7HH" (UK), ", Austin, TX 78701" (US), ", SW1A 1AA London".
const EN_TAIL = String.raw`(?:,[ \t]*${CITY}(?:,?[ \t]+${UK_POSTCODE}|(?:,[ \t]*[A-Z]{2})?(?:[ \t]+\d{5}(?:-\d{4})?)?)|,[ \t]*${UK_POSTCODE}(?:[ \t]+${CITY})?)`;
const UNIT_FIRST = String.raw`(?:(?:Flat|Apartment|Apt\.?|Unit|Suite)[ \t]+[\w-]+,?[ \t]+)`;
const ENGLISH = `(?<![\\p{L}\\d])${UNIT_FIRST}?${NUM},?[ \\t]+${WORDS(3)}[ \\t]+${EN_SUFFIX}(?:[ \\t]+(?:NW|NE|SW|SE|N|S|E|W)\\b)?${UNIT}?${EN_TAIL}?`;

const DE_STREET = String.raw`(?:${CAP}(?:-${CAP})*(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|chaussee|steig|markt|berg|graben|hof)|(?:${CAP}[ \t]+)?(?:Straße|Strasse|Str\.|Weg|Platz|Allee|Gasse|Ring|Damm|Ufer|Chaussee|Markt)|(?:Am|An der|Auf dem|Im|In der|Zum|Zur)[ \t]+${CAP})`;
const NL_STREET = String.raw`(?:${CAP}(?:straat|gracht|laan|weg|plein|kade|singel|dijk|steeg|hof|markt|park|dreef|pad|wal)|(?:${CAP}[ \t]+)?(?:Straat|Laan|Weg|Plein|Kade|Singel|Dijk))`;
const POST_DE = String.raw`(?:,?[ \t]*(?:D-|A-|CH-)?\d{4,5}[ \t]+${CITY})`;
const POST_NL = String.raw`(?:,?[ \t]*\d{4}[ \t]?[A-Z]{2}[ \t]+${CITY})`;
// Dutch house-number additions: "98 hs" (ground floor), "12 bis", "7 III" (third floor).
const NL_ADDITION = String.raw`(?:[ \t](?:hs|huis|bis|bg|I{1,3}|boven)(?![\p{L}]))?`;
const GERMANIC = `(?<![\\p{L}])(?:${DE_STREET}|${NL_STREET})[ \\t]+${NUM}${NL_ADDITION}(?:${POST_NL}|${POST_DE})?`;

const FR_TYPE = String.raw`(?:rue|avenue|av\.|boulevard|bd|place|allée|chemin|impasse|quai|route|cours|square|passage|rond-point|Rue|Avenue|Boulevard|Place|Allée|Chemin|Impasse|Quai|Route|Cours)`;
const FR_NUM = String.raw`\d{1,4}(?:[ ]?(?:bis|ter|quater|[A-Z]))?`;
const FR_NAME = String.raw`(?:[ \t]+(?:${LOW}[ \t]*)?(?:${CAP}|\d{1,2}))(?:[ \t-]+(?:${LOW}[ \t]*)?(?:${CAP}|\d{1,4}))*`;
const POST_FR = String.raw`(?:,?[ \t]*\d{5}[ \t]+${CITY}(?:[ \t]+(?:Cedex|CEDEX)(?:[ \t]+\d{1,2})?)?)`;
const FRENCH = `(?<![\\p{L}\\d])${FR_NUM},?[ \\t]+${FR_TYPE}${FR_NAME}${POST_FR}?`;

const ES_IT_TYPE = String.raw`(?:Calle|C/|Avenida|Avda\.|Av\.|Plaza|Pza\.|Paseo|Pº|Camino|Carrer|Ronda|Travesía|Carretera|Via|Viale|V\.le|Piazza|P\.za|Piazzale|Corso|C\.so|Largo|Vicolo|Lungomare|Strada|Contrada)`;
const ES_IT_NAME = String.raw`(?:[ \t]*(?:${LOW}[ \t]+)?(?:${CAP}|[IVXLC]{1,5}(?![\p{L}])|\d{1,2}(?:[ \t]+de)?))(?:[ \t]+(?:${LOW}[ \t]+)?(?:${CAP}|[IVXLC]{1,5}))*`;
const ES_IT_NUM = String.raw`,?[ \t]+(?:n\.?º?|nº|no\.|n\.|núm\.)?[ \t]*\d{1,4}(?:[ ]?[a-zA-Z](?![\p{L}])|\/[A-Z0-9]+)?(?:,[ \t]*\d{1,2}º(?:[ \t]?[A-Z](?![\p{L}])|[ \t]?\d{1,2}ª|[ \t]?(?:izda|dcha|izq|dcha|centro|pta)\.?)?)?`;
const POST_ES_IT = String.raw`(?:,?[ \t]*\d{5}[ \t]+${CITY}(?:[ \t]*\((?:[A-Z]{2}|${CAP})\))?)`;
const SOUTHERN = `(?<![\\p{L}])${ES_IT_TYPE}${ES_IT_NAME}${ES_IT_NUM}${POST_ES_IT}?`;

const PATTERNS: ReadonlyArray<[string, RegExp]> = [
  ['en', new RegExp(ENGLISH, 'gu')],
  ['de-nl', new RegExp(GERMANIC, 'gu')],
  ['fr', new RegExp(FRENCH, 'gu')],
  ['es-it', new RegExp(SOUTHERN, 'gu')],
];

export function detectAddresses(text: string): PiiSpan[] {
  if (!/\d/.test(text)) return [];
  const out: PiiSpan[] = [];
  for (const [kind, pattern] of PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      let end = m.index + m[0].length;
      while (end > m.index && /[\s,.]/.test(text[end - 1] ?? '') && !/\b(?:St|Ave|Rd|Blvd|Ln|Dr|Ct|Pl|Sq|Pkwy|Hwy|izda|dcha|izq|pta)\.$/.test(text.slice(m.index, end))) end--;
      out.push(spanOf(text, 'address', m.index, end, 0.85, kind));
    }
  }
  return out;
}
