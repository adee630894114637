/**
 * What the bench measures of one in-process candidate, in its own process (so its memory is its
 * own): build from all rows, memory, single-row inserts, then recall@k and latency per search
 * setting, and the save/load of the built index where the library has one.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { HierarchicalNSW } from 'hnswlib-node';
import { buildInBackground, ExactIndex, UsearchIndex, type UsearchTuning, type VectorIndex } from '../../../libs/vector-index/src';
import { HnswlibIndex } from './hnswlib-index';
import type { Dataset } from './dataset';

export type Candidate =
  | { kind: 'exact'; label: string; queries: number }
  | { kind: 'usearch'; label: string; tuning: Omit<UsearchTuning, 'expansionSearch'>; efs: number[]; background?: boolean }
  | { kind: 'hnswlib'; label: string; m: number; efConstruction: number; efs: number[] }

export interface SearchRow {
  /** The search-time knob: ef for HNSW, `nprobes` for IVF. */
  setting: string;
  recall: number;
  p50Ms: number;
  p99Ms: number;
  qps: number;
}

export interface Measured {
  label: string;
  buildMs: number;
  /** The longest the event loop waited during the build (a runner processes no step meanwhile). */
  buildStallMs?: number;
  /** buildInBackground: wall time, and the event loop's longest wait meanwhile. */
  background?: { wallMs: number; stallMs: number };
  memoryMb: number;
  insertPerSecond?: number;
  saveMs?: number;
  loadMs?: number;
  fileMb?: number;
  searches: SearchRow[];
  note?: string;
}

export const BUILD_BATCH = 1_000; // rows per upsert, as a store reads them page by page from PostgreSQL
export const WARMUP = 100;

export function row(data: Float32Array, d: number, i: number): Float32Array {
  return data.subarray(i * d, (i + 1) * d);
}

export function rssMb(): number {
  global.gc?.();
  return process.memoryUsage().rss / 2 ** 20;
}

/** Runs every query once (after a warm-up), timing each; recall against the exact top-k. */
export async function searchRow(setting: string, data: Dataset, truth: BigUint64Array, k: number, search: (q: Float32Array) => bigint[] | Promise<bigint[]>, limit?: number): Promise<SearchRow> {
  const d = data.dimensions;
  const count = Math.min(limit ?? Infinity, data.queries.length / d);
  for (let i = 0; i < Math.min(WARMUP, count); i++) await search(row(data.queries, d, i));
  const times: number[] = [];
  let found = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const keys = await search(row(data.queries, d, i));
    times.push(performance.now() - t);
    const expected = new Set(truth.subarray(i * k, (i + 1) * k));
    for (const key of keys.slice(0, k)) if (expected.has(key)) found++;
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const pct = (p: number): number => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  return { setting, recall: found / (count * k), p50Ms: pct(0.5), p99Ms: pct(0.99), qps: count / seconds };
}

/** Upserts every row, a batch at a time, yielding to the event loop between batches as a store reading pages would. */
async function build(index: VectorIndex, data: Dataset): Promise<{ ms: number; stallMs: number }> {
  const d = data.dimensions;
  const n = data.base.length / d;
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  const started = performance.now();
  for (let from = 0; from < n; from += BUILD_BATCH) {
    const items = [];
    for (let i = from; i < Math.min(n, from + BUILD_BATCH); i++) items.push({ key: BigInt(i), vector: row(data.base, d, i) });
    index.upsert(items);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const ms = performance.now() - started;
  stalls.disable();
  return { ms, stallMs: stalls.max / 1e6 };
}

async function background(data: Dataset, tuning: UsearchTuning): Promise<{ wallMs: number; stallMs: number }> {
  const n = data.base.length / data.dimensions;
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  const started = performance.now();
  const index = await buildInBackground(data.dimensions, BigUint64Array.from({ length: n }, (_, i) => BigInt(i)), data.base, tuning);
  const wallMs = performance.now() - started;
  stalls.disable();
  if (index.size() !== n) throw new Error(`background build holds ${index.size()} of ${n}`);
  return { wallMs, stallMs: stalls.max / 1e6 };
}

/** Single-row upserts into the built index: a memory write in a step adds one vector. */
function inserts(index: VectorIndex, data: Dataset): number {
  const d = data.dimensions;
  const n = data.base.length / d;
  const count = data.extra.length / d;
  const started = performance.now();
  for (let i = 0; i < count; i++) index.upsert([{ key: BigInt(n + i), vector: row(data.extra, d, i) }]);
  const seconds = (performance.now() - started) / 1000;
  index.remove(Array.from({ length: count }, (_, i) => BigInt(n + i))); // searches see the base rows only
  return count / seconds;
}

export async function measureInProcess(candidate: Candidate, data: Dataset, truth: BigUint64Array, k: number): Promise<Measured> {
  const d = data.dimensions;
  const n = data.base.length / d;
  const before = rssMb();
  const keysOf = (hits: { key: bigint }[]): bigint[] => hits.map((h) => h.key);
  if (candidate.kind === 'exact') {
    const index = new ExactIndex(d);
    const { ms: buildMs, stallMs: buildStallMs } = await build(index, data);
    const memoryMb = rssMb() - before;
    const searches = [await searchRow('exact', data, truth, k, (q) => keysOf(index.search(q, k)), candidate.queries)];
    return { label: candidate.label, buildMs, buildStallMs, memoryMb, searches, note: `${candidate.queries} queries (brute force in JS)` };
  }
  const dir = mkdtempSync(join(tmpdir(), 'weaver-bench-vector-'));
  try {
    const file = join(dir, 'index.bin');
    if (candidate.kind === 'usearch') {
      const [firstEf, ...otherEfs] = candidate.efs;
      const index = new UsearchIndex(d, { ...candidate.tuning, expansionSearch: firstEf! });
      const { ms: buildMs, stallMs: buildStallMs } = await build(index, data);
      const memoryMb = rssMb() - before;
      const insertPerSecond = inserts(index, data);
      let t = performance.now();
      index.save(file);
      const saveMs = performance.now() - t;
      const searches = [await searchRow(`ef ${firstEf}`, data, truth, k, (q) => keysOf(index.search(q, k)))];
      let loadMs: number | undefined;
      // usearch's JS API fixes ef per index: each other ef is a fresh index loaded from the file.
      for (const ef of otherEfs) {
        const loaded = new UsearchIndex(d, { ...candidate.tuning, expansionSearch: ef });
        t = performance.now();
        loaded.load(file);
        loadMs = performance.now() - t;
        if (loaded.size() !== n) throw new Error(`loaded ${loaded.size()} of ${n} vectors`);
        searches.push(await searchRow(`ef ${ef}`, data, truth, k, (q) => keysOf(loaded.search(q, k))));
      }
      const fileMb = statSync(file).size / 2 ** 20;
      const bg = candidate.background ? await background(data, { ...candidate.tuning, expansionSearch: firstEf! }) : undefined;
      return { label: candidate.label, buildMs, buildStallMs, background: bg, memoryMb, insertPerSecond, saveMs, loadMs, fileMb, searches };
    }
    const index = new HnswlibIndex(d, { m: candidate.m, efConstruction: candidate.efConstruction, ef: candidate.efs[0]! }, n);
    const { ms: buildMs, stallMs: buildStallMs } = await build(index, data);
    const memoryMb = rssMb() - before;
    const insertPerSecond = inserts(index, data);
    let t = performance.now();
    index.save(file);
    const saveMs = performance.now() - t;
    const raw = new HierarchicalNSW('cosine', d);
    t = performance.now();
    raw.readIndexSync(file);
    const loadMs = performance.now() - t;
    const searches: SearchRow[] = [];
    for (const ef of candidate.efs) {
      index.setEf(ef);
      searches.push(await searchRow(`ef ${ef}`, data, truth, k, (q) => keysOf(index.search(q, k))));
    }
    return { label: candidate.label, buildMs, buildStallMs, memoryMb, insertPerSecond, saveMs, loadMs, fileMb: statSync(file).size / 2 ** 20, searches };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
