/**
 * Benchmark: PII detection quality and cost of @weaver/pii on the labelled synthetic corpus.
 *   npx tsx tools/bench/pii.ts [--seed 10] [--sentences 6000] [--seconds 2] [--show-misses dev]
 * Corpus: tools/bench/pii-corpus.ts (deterministic; dev and held-out templates reported
 * separately). Per entity type: recall, precision and F2 under two span rules: exact (same
 * start and end) and overlap ≥ 50% (same type, intersection ≥ half of the longer span;
 * one-to-one). Then per-call cost in µs per 1 KB of text: prose that takes the fast path,
 * text with identifiers only, and corpus text (full scan including the compromise parse).
 */
import { randomBytes } from 'node:crypto';
import { detokenise, fixedTokenKeys, parsePiiPolicy, PII_TYPES, PiiScanner, GIVEN_NAMES_FOR_BENCH } from './pii/bench-access';
import { generateCorpus, type LabelledSentence, type LabelType } from './pii-corpus';
import { UNSEEN_FRAMES, UNSEEN_VALUES } from './pii/unseen-values';
import { CULTURES } from './pii/names';
import { f2, matches, precision, recall, score, type Counts, type MatchRule } from './pii/score';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const TOKEN_KEY = randomBytes(32);
const fmt = (n: number): string => (Number.isNaN(n) ? '–' : n.toFixed(3));

function quality(scanner: PiiScanner, corpus: readonly LabelledSentence[], rule: MatchRule, show: boolean): Map<string, Counts> {
  const counts = new Map<string, Counts>();
  for (const s of corpus) {
    const { missed, spurious } = score(rule, s, scanner.scan(s.text), counts);
    if (show && (missed.length || spurious.length)) {
      say(`  ${s.text}`);
      for (const m of missed) say(`      MISSED ${m.type}${m.kind ? `/${m.kind}` : ''}: ${m.text}`);
      for (const p of spurious) say(`      SPURIOUS ${p.type}/${p.kind ?? ''}: ${p.text}`);
    }
  }
  return counts;
}

function table(title: string, byRule: ReadonlyArray<[MatchRule, Map<string, Counts>]>): void {
  say(`\n${title}`);
  say('| type | labels | recall exact | precision exact | F2 exact | recall ≥50% | precision ≥50% | F2 ≥50% |');
  say('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const type of PII_TYPES) {
    const [exact, lenient] = byRule.map(([, m]) => m.get(type) ?? { tp: 0, fp: 0, fn: 0 });
    say(`| ${type} | ${exact!.tp + exact!.fn} | ${fmt(recall(exact!))} | ${fmt(precision(exact!))} | ${fmt(f2(exact!))} | ${fmt(recall(lenient!))} | ${fmt(precision(lenient!))} | ${fmt(f2(lenient!))} |`);
  }
}

/** Hand-written values from no generator (pii/unseen-values.ts), in neutral sentences: recall per type, overlap ≥ 50%. */
function unseenValues(scanner: PiiScanner): void {
  const parts: string[] = [];
  for (const [type, values] of Object.entries(UNSEEN_VALUES)) {
    const counts = new Map<string, Counts>();
    for (const v of values ?? []) {
      for (const frame of UNSEEN_FRAMES) {
        const start = frame.indexOf('{v}');
        const text = frame.replace('{v}', v);
        const sentence = { text, labels: [{ type: type as LabelType, start, end: start + v.length, text: v }], lang: 'en' as const, heldOut: true, template: frame };
        score('overlap50', sentence, scanner.scan(text).filter((p) => p.type === type || p.start < start + v.length && p.end > start), counts);
      }
    }
    const c = counts.get(type) ?? { tp: 0, fp: 0, fn: 0 };
    parts.push(`${type} ${fmt(recall(c))} (${(values ?? []).length} values × ${UNSEEN_FRAMES.length} sentences)`);
  }
  say(`\nunseen values (hand-written, no generator; recall, overlap ≥50%, same type): ${parts.join(', ')}`);
}

/** Per label type, the share covered by some span whatever its type: a phone read as a phone-shaped id is still masked. */
function anyTypeCoverage(scanner: PiiScanner, corpus: readonly LabelledSentence[]): string {
  const by = new Map<string, [number, number]>();
  for (const s of corpus) {
    const spans = scanner.scan(s.text);
    for (const l of s.labels) {
      const hit = spans.some((p) => matches('overlap50', l, { ...p, type: l.type }));
      const [n, total] = by.get(l.type) ?? [0, 0];
      by.set(l.type, [n + (hit ? 1 : 0), total + 1]);
    }
  }
  return PII_TYPES.filter((t) => by.has(t)).map((t) => `${t} ${fmt(by.get(t)![0] / by.get(t)![1])}`).join(', ');
}

/** Which id schemes are missed: the cue-word rule shows up here (bare BSN, Steuer-ID, SSN). */
function idRecallByKind(scanner: PiiScanner, corpus: readonly LabelledSentence[]): string {
  const by = new Map<string, Counts>();
  for (const s of corpus) {
    const ids = s.labels.filter((l) => l.type === 'national_id');
    if (!ids.length) continue;
    const counts = new Map<string, Counts>();
    score('overlap50', { ...s, labels: ids }, scanner.scan(s.text).filter((p) => p.type === 'national_id'), counts);
    const c = counts.get('national_id')!;
    const kind = ids[0]!.kind ?? '?';
    const acc = by.get(kind) ?? { tp: 0, fp: 0, fn: 0 };
    by.set(kind, { tp: acc.tp + c.tp, fp: acc.fp + c.fp, fn: acc.fn + c.fn });
  }
  return [...by.entries()].sort().map(([k, c]) => `${k} ${fmt(recall(c))} (${c.tp + c.fn})`).join(', ');
}

function usPerKb(scanner: PiiScanner, texts: readonly string[], seconds: number): number {
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  for (const t of texts.slice(0, 50)) scanner.scan(t); // warm up
  let calls = 0;
  let scanned = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    for (const t of texts) scanner.scan(t);
    calls += texts.length;
    scanned += bytes;
  }
  const us = (performance.now() - started) * 1000;
  return us / (scanned / 1024) + 0 * calls;
}

/** Cuts corpus text into ~1 KB pieces (whole sentences). */
function kilobytes(sentences: readonly string[], n: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const s of sentences) {
    cur += (cur ? ' ' : '') + s;
    if (cur.length >= 1024) {
      out.push(cur);
      cur = '';
      if (out.length >= n) break;
    }
  }
  return out;
}

async function main(): Promise<void> {
  const seed = Number(arg('seed', '10'));
  const corpus = generateCorpus({ seed, sentences: Number(arg('sentences', '6000')) });
  const seconds = Number(arg('seconds', '2'));
  const show = arg('show-misses', '');
  const scanner = new PiiScanner();
  const dev = corpus.filter((s) => !s.heldOut);
  const held = corpus.filter((s) => s.heldOut);
  const given = [...new Set(Object.values(CULTURES).flatMap((c) => c.given))];
  say(`PII detection, seed ${seed}: ${corpus.length} sentences (${dev.length} dev, ${held.length} held-out), ${corpus.reduce((n, s) => n + s.labels.length, 0)} labels, ${corpus.filter((s) => !s.labels.length).length} sentences without PII; node ${process.version}`);
  say(`corpus given names in the detector's gazetteer: ${given.filter((g) => GIVEN_NAMES_FOR_BENCH.has(g)).length} of ${given.length}`);
  const rulesOnly = new PiiScanner({ compromise: false });
  for (const [name, part, sc] of [['dev templates', dev, scanner], ['held-out templates', held, scanner], ['held-out templates, rules only (compromise: false)', held, rulesOnly]] as const) {
    const byRule = (['exact', 'overlap50'] as const).map((rule) => [rule, quality(sc, part, rule, rule === 'overlap50' && sc === scanner && show === (name.startsWith('dev') ? 'dev' : 'held'))] as [MatchRule, Map<string, Counts>]);
    table(`${name} (${part.length} sentences)`, byRule);
    say(`national_id recall (overlap ≥50%) per scheme: ${idRecallByKind(sc, part)}`);
    say(`covered by a span of any type (overlap ≥50%: what a mask-everything policy hides): ${anyTypeCoverage(sc, part)}`);
    const negatives = part.filter((s) => !s.labels.length);
    const flagged = negatives.filter((s) => sc.scan(s.text).length > 0).length;
    say(`sentences without PII flagged: ${flagged} of ${negatives.length}`);
  }
  unseenValues(scanner);
  const prose = kilobytes(Array.from({ length: 400 }, (_, i) => `the agent read the page and wrote a short summary of what it found, item ${'abcdefghij'[i % 10]} of the list.`), 100);
  const identifiers = kilobytes(corpus.filter((s) => s.labels.some((l) => l.type !== 'person' && l.type !== 'organisation' && l.type !== 'address')).map((s) => s.text.toLowerCase()), 100);
  const mixed = kilobytes(corpus.map((s) => s.text), 100);
  // Closer to a prompt: mostly prose (some sentences capitalised mid-way), one corpus sentence in eight.
  const filler = ['The agent read the page and wrote a short summary.', 'it then compared the figures with last quarter.', 'Results were stored for the Review step.', 'no further action was needed.'];
  const sparse = kilobytes(corpus.slice(0, 1200).flatMap((s, i) => (i % 8 === 0 ? [s.text] : [filler[i % filler.length]!])), 100);
  say(`\nper-call cost, µs per 1 KB of text (${seconds}s each, one scanner, one core)`);
  say('| text | µs per KB |');
  say('| --- | --- |');
  say(`| prose, fast path (no digit, no @, no capital after the first word) | ${usPerKb(scanner, prose, seconds).toFixed(1)} |`);
  say(`| identifiers only (corpus sentences lower-cased: no NLP parse) | ${usPerKb(scanner, identifiers, seconds).toFixed(0)} |`);
  say(`| corpus sentences (full scan with compromise) | ${usPerKb(scanner, mixed, seconds).toFixed(0)} |`);
  say(`| prose with sparse PII (one corpus sentence in eight), full scan | ${usPerKb(scanner, sparse, seconds).toFixed(0)} |`);
  say(`| prose with sparse PII, rules only (\`compromise: false\`) | ${usPerKb(rulesOnly, sparse, seconds).toFixed(0)} |`);
  say(`| corpus sentences, rules only (\`compromise: false\`) | ${usPerKb(rulesOnly, mixed, seconds).toFixed(0)} |`);
  say(`| corpus sentences, structured types only (\`types\` without person/organisation) | ${usPerKb(new PiiScanner({ types: ['email', 'phone', 'credit_card', 'iban', 'ip_address', 'national_id', 'address'] }), mixed, seconds).toFixed(0)} |`);
  // Policy application on top of the scan (rules-only scanner, so the scan is not drowned by the parse).
  const tenantId = '0b6c3c1e-6f7e-4a51-9a43-5f2a1c9d0e11';
  const keys = fixedTokenKeys(async () => TOKEN_KEY);
  const asyncUsPerKb = async (fn: (t: string) => Promise<unknown>, texts: readonly string[]): Promise<number> => {
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    let scanned = 0;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      for (const t of texts) await fn(t);
      scanned += bytes;
    }
    return ((performance.now() - started) * 1000) / (scanned / 1024);
  };
  const tokenised = await Promise.all(mixed.map(async (t) => (await rulesOnly.apply(t, parsePiiPolicy({ default: 'tokenise' }), { tenantId, keys })).text));
  say(`| apply, policy mask (rules-only scan + rewrite) | ${(await asyncUsPerKb((t) => rulesOnly.apply(t, parsePiiPolicy({ default: 'mask' }), { tenantId }), mixed)).toFixed(0)} |`);
  say(`| apply, policy tokenise (rules-only scan + AES-GCM per value) | ${(await asyncUsPerKb((t) => rulesOnly.apply(t, parsePiiPolicy({ default: 'tokenise' }), { tenantId, keys }), mixed)).toFixed(0)} |`);
  say(`| detokenise (per KB of tokenised text) | ${(await asyncUsPerKb((t) => detokenise(t, tenantId, keys), tokenised)).toFixed(0)} |`);
}

void main();
