import nlp from 'compromise';

/** What compromise (its bundled English lexicon and tagger; nothing is downloaded) finds in one parse. */
export interface CompromiseFindings {
  readonly people: Array<[number, number]>;
  readonly organisations: Array<[number, number]>;
}

interface OffsetMatch {
  readonly offset?: { readonly start: number; readonly length: number };
}

const ranges = (matches: unknown[]): Array<[number, number]> =>
  (matches as OffsetMatch[]).flatMap((m) => (m.offset ? [[m.offset.start, m.offset.start + m.offset.length] as [number, number]] : []));

/** One parse serves both queries: the parse is the cost (tens of µs per word), the queries are cheap. */
export function compromiseFindings(text: string): CompromiseFindings {
  const doc = nlp(text);
  return {
    people: ranges(doc.people().json({ offset: true }) as unknown[]),
    organisations: ranges(doc.organizations().json({ offset: true }) as unknown[]),
  };
}
