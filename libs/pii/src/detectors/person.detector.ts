import { spanOf, type PiiSpan } from '../pii-span';
import type { CompromiseFindings } from './compromise';
import { GIVEN_NAMES, HONORIFICS } from './name-gazetteer';
import { CAP_RUN, HONORIFIC_BEFORE, tokensOf, trimSpan } from './ner-patterns';

const MAX_NAME_TOKENS = 5;
const TITLES: ReadonlySet<string> = new Set(HONORIFICS);
const STARTS_CAPITALISED = /^\p{Lu}/u;

/**
 * Person names from three sources: (1) a run of capitalised words whose first given name is in
 * the gazetteer, with at least one word after it (a lone given name is not labelled a person:
 * "Grace" or "Paris" are words too); (2) capitalised words after a title ("Herr Schmidt",
 * "Mme Lefèvre"); (3) compromise's people() of two words or more, each capitalised.
 */
export function detectPersons(text: string, nlp: CompromiseFindings | undefined): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const run of text.matchAll(CAP_RUN)) {
    let tokens = tokensOf(run[0], run.index);
    let titled = HONORIFIC_BEFORE.test(text.slice(Math.max(0, run.index - 12), run.index));
    // "Herr Schmidt" is one capitalised run: the title is not part of the name.
    if (!titled && tokens.length > 1 && TITLES.has(tokens[0]!.text)) {
      titled = true;
      tokens = tokens.slice(1);
    }
    if (titled) {
      const last = tokens[Math.min(tokens.length, 3) - 1]!;
      out.push(spanOf(text, 'person', tokens[0]!.start, last.end, 0.9, 'title'));
      continue;
    }
    const first = tokens.findIndex((t) => GIVEN_NAMES.has(t.text.split('-')[0] ?? t.text));
    if (first < 0 || tokens.length - first < 2) continue;
    const last = tokens[Math.min(tokens.length, first + MAX_NAME_TOKENS) - 1]!;
    out.push(spanOf(text, 'person', tokens[first]!.start, last.end, 0.85, 'gazetteer'));
  }
  for (const [s, e] of nlp?.people ?? []) {
    const [trimmed, end] = trimSpan(text, s, e, false);
    let start = trimmed;
    const title = /^(\S+?)\.?\s+/u.exec(text.slice(start, end));
    if (title && TITLES.has(title[1]!)) start += title[0].length;
    const words = text.slice(start, end).split(/\s+/);
    if (words.length < 2 || !words.every((w) => STARTS_CAPITALISED.test(w) || /^\p{Ll}{1,4}$/u.test(w))) continue;
    out.push(spanOf(text, 'person', start, end, 0.7, 'compromise'));
  }
  return out;
}
