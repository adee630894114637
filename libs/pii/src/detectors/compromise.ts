import nlp from 'compromise';

/** What compromise (its bundled English lexicon and tagger; nothing is downloaded) finds in one parse. */
export interface CompromiseFindings {
  readonly people: Array<[number, number]>;
  readonly organisations: Array<[number, number]>;
}

interface OffsetMatch {
  readonly offset?: { readonly start: number; readonly length: number };
}

/** A capitalised word (capital then lower case) that is not the first word of its sentence. */
export const CAPITALISED_AFTER_FIRST = /[\s(“"‘«][\p{Lu}][\p{Ll}'’]/u;
const SENTENCE = /[^.!?\n]+(?:[.!?]+|\n|$)/g;

/**
 * compromise costs ~0.5 ms a call plus ~5 ms per KB, so only the sentences that could hold a
 * name (a capitalised word after their first) are parsed, joined into one text; offsets are
 * mapped back. Sentences of plain prose around a name cost nothing.
 */
export function compromiseFindings(text: string): CompromiseFindings {
  const segments: Array<{ at: number; from: number; length: number }> = [];
  let joined = '';
  for (const m of text.matchAll(SENTENCE)) {
    if (!CAPITALISED_AFTER_FIRST.test(m[0])) continue;
    segments.push({ at: joined.length, from: m.index, length: m[0].length });
    joined += `${m[0]}\n`;
  }
  if (!segments.length) return { people: [], organisations: [] };
  const doc = nlp(joined);
  const back = (matches: unknown[]): Array<[number, number]> =>
    (matches as OffsetMatch[]).flatMap((m) => {
      if (!m.offset) return [];
      const seg = segments.findLast((s) => s.at <= m.offset!.start);
      if (!seg) return [];
      const start = seg.from + (m.offset.start - seg.at);
      const end = Math.min(start + m.offset.length, seg.from + seg.length);
      return [[start, end] as [number, number]];
    });
  return { people: back(doc.people().json({ offset: true }) as unknown[]), organisations: back(doc.organizations().json({ offset: true }) as unknown[]) };
}
