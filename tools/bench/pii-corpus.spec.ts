import { PII_TYPES } from '../../libs/pii/src';
import { generateCorpus } from './pii-corpus';
import { LANGS } from './pii/templates';

describe('the PII benchmark corpus', () => {
  const corpus = generateCorpus({ seed: 7, sentences: 3000 });

  it('is the same for the same seed and differs for another', () => {
    expect(generateCorpus({ seed: 7, sentences: 3000 })).toEqual(corpus);
    expect(generateCorpus({ seed: 8, sentences: 50 }).map((s) => s.text)).not.toEqual(corpus.slice(0, 50).map((s) => s.text));
  });

  it("has every label's text at its offsets, with a known type, without overlaps", () => {
    for (const s of corpus) {
      let end = -1;
      for (const l of s.labels) {
        expect(s.text.slice(l.start, l.end)).toBe(l.text);
        expect(PII_TYPES).toContain(l.type);
        expect(l.start).toBeGreaterThanOrEqual(end);
        expect(l.text.trim()).toBe(l.text);
        end = l.end;
      }
    }
  });

  it('covers every language, every type, held-out templates and sentences without PII', () => {
    expect(new Set(corpus.map((s) => s.lang))).toEqual(new Set(LANGS));
    expect(new Set(corpus.flatMap((s) => s.labels.map((l) => l.type)))).toEqual(new Set(PII_TYPES));
    const heldOut = corpus.filter((s) => s.heldOut).length;
    expect(heldOut / corpus.length).toBeGreaterThan(0.25);
    expect(heldOut / corpus.length).toBeLessThan(0.42);
    expect(corpus.filter((s) => s.labels.length === 0).length).toBeGreaterThan(300);
    expect(new Set(corpus.filter((s) => s.heldOut).map((s) => s.template)).size).toBeGreaterThan(30);
  });
});
