/**
 * Benchmark: the vector index of semantic/episodic memory (issue 9). Every candidate, in the
 * same run, on the same rows and queries: recall@k against exact search, search p50/p99 (one
 * query at a time, one thread, as a step searches), build time from all rows (the cold start of
 * a derived index, read from PostgreSQL page by page), single-row insert throughput, memory, and
 * save/load of the built index where the library has one.
 *
 *   npx tsx tools/bench/memory.ts [--n 100000] [--queries 1000] [--dim 384] [--k 10]
 *     [--data clustered|uniform] [--only exact,usearch,hnswlib or candidate ids, e.g.
 *     usearch-m16,hnswlib-m16] [--seed 7]
 *
 * "longest stall" is the event loop's longest wait during the build (upserts of 1,000 rows with a
 * yield between, as a store reading pages would): a runner processes no step meanwhile. The
 * 2-thread usearch row also builds with buildInBackground (a worker thread) for comparison.
 * Each candidate runs in its own child process (memory = its RSS growth over the build, capacity
 * slack included). The exact top-k comes from usearch's native brute force (every row scored),
 * checked in this process against ExactIndex (@weaver/vector-index's reference) on a sample of
 * queries. Data: see memory/dataset.ts (a Gaussian mixture by default).
 */
import { fork } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exactSearch, MetricKind } from 'usearch';
import { ExactIndex } from '../../libs/vector-index/src';
import { generate, type Dataset, type Distribution } from './memory/dataset';
import { measureInProcess, row, type Candidate, type Measured } from './memory/measure';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const N = Number(arg('n', '100000'));
const QUERIES = Number(arg('queries', '1000'));
const DIM = Number(arg('dim', '384'));
const K = Number(arg('k', '10'));
const DATA = arg('data', 'clustered') as Distribution;
const SEED = Number(arg('seed', '7'));
const ONLY = arg('only', 'exact,usearch,hnswlib').split(','); // kinds or candidate ids
const EXTRA = 2_000; // single-row inserts after the build
const TRUTH_CHECK = 20; // queries whose exact top-k is recomputed with ExactIndex
const say = (line: string): void => void process.stdout.write(`${line}\n`);

const EFS = [16, 32, 64, 128, 256];
const CANDIDATES: (Candidate & { id: string })[] = [
  { id: 'exact', kind: 'exact', label: 'ExactIndex (brute force, JS)', queries: 50 },
  { id: 'usearch-m16', kind: 'usearch', label: 'usearch M=16 ef_add=128 f32, 1 thread', tuning: { connectivity: 16, expansionAdd: 128, quantization: 'f32', addThreads: 1 }, efs: EFS },
  { id: 'usearch-m16-2t', kind: 'usearch', label: 'usearch M=16 ef_add=128 f32, 2 threads', tuning: { connectivity: 16, expansionAdd: 128, quantization: 'f32', addThreads: 2 }, efs: [64], background: true },
  { id: 'usearch-m32', kind: 'usearch', label: 'usearch M=32 ef_add=128 f32, 1 thread', tuning: { connectivity: 32, expansionAdd: 128, quantization: 'f32', addThreads: 1 }, efs: EFS },
  { id: 'usearch-m16-f16', kind: 'usearch', label: 'usearch M=16 ef_add=128 f16, 1 thread', tuning: { connectivity: 16, expansionAdd: 128, quantization: 'f16', addThreads: 1 }, efs: [32, 64, 128] },
  { id: 'hnswlib-m16', kind: 'hnswlib', label: 'hnswlib M=16 ef_construction=128', m: 16, efConstruction: 128, efs: EFS },
  { id: 'hnswlib-m32', kind: 'hnswlib', label: 'hnswlib M=32 ef_construction=128', m: 32, efConstruction: 128, efs: EFS },
];

function files(dir: string): Record<'base' | 'queries' | 'extra' | 'truth', string> {
  return { base: join(dir, 'base.f32'), queries: join(dir, 'queries.f32'), extra: join(dir, 'extra.f32'), truth: join(dir, 'truth.u64') };
}
const f32 = (path: string): Float32Array => {
  const b = readFileSync(path);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

/** The exact top-k per query, checked against ExactIndex on a sample (ties aside, they must agree). */
function exactTruth(data: Dataset): BigUint64Array {
  const queries = Array.from({ length: QUERIES }, (_, i) => row(data.queries, DIM, i));
  const matches = exactSearch(data.base, queries, DIM, K, MetricKind.Cos, 0) as unknown as { keys: BigUint64Array };
  const reference = new ExactIndex(DIM);
  for (let i = 0; i < N; i++) reference.upsert([{ key: BigInt(i), vector: row(data.base, DIM, i) }]);
  let agree = 0;
  for (let i = 0; i < Math.min(TRUTH_CHECK, QUERIES); i++) {
    const expected = new Set(reference.search(queries[i]!, K).map((h) => h.key));
    for (const key of matches.keys.subarray(i * K, (i + 1) * K)) if (expected.has(key)) agree++;
  }
  const share = agree / (Math.min(TRUTH_CHECK, QUERIES) * K);
  say(`exact top-${K}: usearch brute force agrees with ExactIndex on ${(share * 100).toFixed(1)}% of ${TRUTH_CHECK} queries' neighbours`);
  if (share < 0.99) throw new Error('the exact top-k disagrees with ExactIndex; recall would be meaningless');
  return matches.keys;
}

function runChild(dir: string, candidate: Candidate): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child', dir, JSON.stringify(candidate), '--dim', String(DIM), '--k', String(K)], { execArgv: [...process.execArgv, '--expose-gc'] });
    let result: Measured | undefined;
    child.on('message', (m) => (result = m as Measured));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`${candidate.label}: child exited ${code}`))));
  });
}

async function child(): Promise<void> {
  const i = process.argv.indexOf('--child');
  const f = files(process.argv[i + 1]!);
  const candidate = JSON.parse(process.argv[i + 2]!) as Candidate;
  const data: Dataset = { dimensions: DIM, base: f32(f.base), queries: f32(f.queries), extra: f32(f.extra) };
  const b = readFileSync(f.truth);
  const truth = new BigUint64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  const measured = await measureInProcess(candidate, data, truth, K);
  process.send!(measured, undefined, {}, () => process.exit(0));
}

const fmt = (x: number | undefined, digits = 0): string => (x === undefined ? '—' : x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

async function main(): Promise<void> {
  say(`vector index, ${N.toLocaleString('en')} × ${DIM}-d ${DATA} vectors, ${QUERIES} queries, recall@${K}; node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${new Date().toISOString()}`);
  const dir = mkdtempSync(join(tmpdir(), 'weaver-bench-memory-'));
  try {
    let t = performance.now();
    const data = generate(DATA, N, QUERIES, EXTRA, DIM, SEED);
    const f = files(dir);
    writeFileSync(f.base, data.base);
    writeFileSync(f.queries, data.queries);
    writeFileSync(f.extra, data.extra);
    say(`data generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    writeFileSync(f.truth, exactTruth(data));
    say(`exact top-${K} of ${QUERIES} queries in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    say('');
    say(`| candidate | search setting | recall@${K} | p50 ms | p99 ms | queries/s | build ${N.toLocaleString('en')} s | longest stall ms | single-row inserts/s | memory MB | save s | load s | file MB |`);
    say('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    const backgrounds: string[] = [];
    for (const candidate of CANDIDATES.filter((c) => ONLY.includes(c.kind) || ONLY.includes(c.id))) {
      try {
        const m = await runChild(dir, candidate);
        m.searches.forEach((s, i) => {
          const first = i === 0;
          say(
            `| ${first ? m.label : ''} | ${s.setting} | ${s.recall.toFixed(3)} | ${fmt(s.p50Ms, 3)} | ${fmt(s.p99Ms, 3)} | ${fmt(s.qps)} | ${first ? fmt(m.buildMs / 1000, 1) : ''} | ${first ? fmt(m.buildStallMs) : ''} | ${first ? fmt(m.insertPerSecond) : ''} | ${first ? fmt(m.memoryMb) : ''} | ${first ? fmt(m.saveMs && m.saveMs / 1000, 2) : ''} | ${first ? fmt(m.loadMs && m.loadMs / 1000, 2) : ''} | ${first ? fmt(m.fileMb) : ''} |`,
          );
        });
        if (m.note) say(`|  | (${m.note}) | | | | | | | | | | | |`);
        if (m.background) backgrounds.push(`${m.label}: buildInBackground ${fmt(m.background.wallMs / 1000, 1)} s wall, longest event-loop stall ${fmt(m.background.stallMs)} ms (in-process build: ${fmt(m.buildMs / 1000, 1)} s, stalls up to ${fmt(m.buildStallMs)} ms)`);
      } catch (error) {
        say(`| ${candidate.label} | failed: ${(error as Error).message} | | | | | | | | | | | |`);
      }
    }
    for (const line of backgrounds) say(`\n${line}`);
    say(`\nload average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void (process.argv.includes('--child') ? child() : main());
