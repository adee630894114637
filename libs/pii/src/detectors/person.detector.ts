import { spanOf, type PiiSpan } from '../pii-span';
import type { CompromiseFindings } from './compromise';
import { GIVEN_NAMES, HONORIFICS, NOT_NAME_WORDS } from './name-gazetteer';
import { CAP_RUN, HONORIFIC_BEFORE, PARTICLE_WORD, tokensOf, trimSpan } from './ner-patterns';

type Token = { text: string; start: number; end: number };

const MAX_NAME_TOKENS = 5;
const TITLES: ReadonlySet<string> = new Set(HONORIFICS.map((h) => h.toLowerCase()));
const STARTS_CAPITALISED = /^\p{Lu}/u;
const isGiven = (t: Token): boolean => GIVEN_NAMES.has(t.text.split('-')[0] ?? t.text);
const isTitle = (word: string): boolean => TITLES.has(word.replace(/\.$/, '').toLowerCase());

/**
 * Person names from four sources, weakest last: (1) capitalised words after a title ("Herr
 * Schmidt", "mevrouw de Graaf"); (2) a run of capitalised words from a given name in the
 * gazetteer, with at least one word after it (a lone given name is not labelled: "Grace" and
 * "Paris" are words too); (3) compromise's people() of two words or more; (4) any other run of
 * two to four capitalised words that are not function words (properNameRun).
 */
export function detectPersons(text: string, nlp: CompromiseFindings | undefined): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const run of text.matchAll(CAP_RUN)) {
    const raw = tokensOf(run[0], run.index);
    // Count from the first known given name: "Ask Ursula von der Leyen" keeps "von der Leyen".
    let tokens = cutAtLateParticle(raw, Math.max(0, raw.findIndex(isGiven)));
    const before = HONORIFIC_BEFORE.exec(text.slice(Math.max(0, run.index - 20), run.index));
    let titled = before !== null;
    let start = run.index - (before?.[1]?.length ?? 0);
    // "Herr Schmidt" is one capitalised run: the title is not part of the name.
    if (!titled && tokens.length > 1 && isTitle(tokens[0]!.text)) {
      titled = true;
      tokens = tokens.slice(1);
      start = tokens[0]!.start;
    }
    if (titled) {
      out.push(spanOf(text, 'person', start, tokens[Math.min(tokens.length, 3) - 1]!.end, 0.9, 'title'));
      continue;
    }
    const first = tokens.findIndex(isGiven);
    if (first >= 0 && tokens.length - first >= 2) {
      const last = tokens[Math.min(tokens.length, first + MAX_NAME_TOKENS) - 1]!;
      out.push(spanOf(text, 'person', tokens[first]!.start, last.end, 0.85, 'gazetteer'));
      continue;
    }
    const proper = properNameRun(tokens);
    if (proper) out.push(spanOf(text, 'person', proper[0], proper[1], 0.5, 'proper-run'));
  }
  for (const [s, e] of nlp?.people ?? []) {
    const [trimmed, trimmedEnd] = trimSpan(text, s, e, false);
    let words = tokensOf(text.slice(trimmed, trimmedEnd), trimmed);
    while (words.length && isTitle(words[0]!.text)) words = words.slice(1);
    while (words.length && PARTICLE_WORD.test(words[words.length - 1]!.text)) words = words.slice(0, -1);
    if (words.length < 2 || !words.every((w) => STARTS_CAPITALISED.test(w.text) || PARTICLE_WORD.test(w.text))) continue;
    out.push(spanOf(text, 'person', words[0]!.start, words[words.length - 1]!.end, 0.7, 'compromise'));
  }
  return out;
}

/**
 * Particles belong to a family name right after the given name ("Ursula von der Leyen",
 * "Ludwig van Beethoven"); after two capitalised words they are a preposition again:
 * "Hildegard Richter von Sol y Mar" is a name and then "from Sol y Mar".
 */
function cutAtLateParticle(tokens: Token[], from: number): Token[] {
  let capitals = 0;
  for (let i = from; i < tokens.length; i++) {
    if (PARTICLE_WORD.test(tokens[i]!.text)) {
      if (capitals >= 2) return tokens.slice(0, i);
    } else capitals++;
  }
  return tokens;
}

/**
 * Two to four capitalised words in a row that are not function words are, outside German
 * noun phrases, a proper name: a person, or an organisation, street or town, which rank above
 * persons when their own rules find them (resolve-overlaps.ts). The weakest person rule
 * (confidence 0.5): it is what finds names no gazetteer lists.
 */
function properNameRun(tokens: readonly Token[]): [number, number] | undefined {
  let from = 0;
  while (from < tokens.length && NOT_NAME_WORDS.has(tokens[from]!.text)) from++;
  const rest = tokens.slice(from, from + MAX_NAME_TOKENS - 1);
  const capitalised = rest.filter((t) => STARTS_CAPITALISED.test(t.text));
  if (capitalised.length < 2 || rest.some((t) => NOT_NAME_WORDS.has(t.text))) return undefined;
  return [rest[0]!.start, rest[rest.length - 1]!.end];
}
