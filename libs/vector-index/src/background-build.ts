import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ValidationError } from '@weaver/errors';
import { checkedKey, checkedVector } from './checks';
import { DEFAULT_USEARCH_TUNING } from './default-index';
import { UsearchIndex, type UsearchTuning } from './usearch-index';

/**
 * Builds a usearch index from many rows on a worker thread, then loads it here. Building is
 * native work that would block the event loop — tens of seconds for 100,000 vectors, during
 * which a runner would process no step — while loading the built graph takes a small fraction
 * of that (docs/benchmarks.md "Vector index": build vs load). The cold start of a derived index
 * thus costs the main thread only the load.
 *
 * `vectors` is `keys.length × dimensions` floats, row by row; its buffer is copied to the worker
 * (the caller keeps its own). The worker is plain JavaScript evaluated in place, so it needs no
 * TypeScript loader, and resolves the same usearch module as this process.
 */
export async function buildInBackground(dimensions: number, keys: BigUint64Array, vectors: Float32Array, tuning: UsearchTuning = DEFAULT_USEARCH_TUNING): Promise<UsearchIndex> {
  if (vectors.length !== keys.length * dimensions) throw new ValidationError([{ field: 'vectors', rule: `must hold keys × dimensions = ${keys.length * dimensions} floats, holds ${vectors.length}` }], 'vector');
  const seen = new Map<bigint, number>();
  for (let i = 0; i < keys.length; i++) {
    const key = checkedKey(keys[i]!, 2n ** 64n - 2n, `keys[${i}]`);
    if (seen.has(key)) throw new ValidationError([{ field: `keys[${i}]`, rule: `must be unique (keys[${seen.get(key)}] is the same)` }], 'vector');
    seen.set(key, i);
  }
  for (let i = 0; i < keys.length; i++) checkedVector(vectors.subarray(i * dimensions, (i + 1) * dimensions), dimensions, `vectors[${i}]`);
  const index = new UsearchIndex(dimensions, tuning);
  if (keys.length === 0) return index;
  const dir = mkdtempSync(join(tmpdir(), 'weaver-usearch-build-'));
  try {
    const file = join(dir, 'index.usearch');
    await runWorker({ usearch: require.resolve('usearch'), file, dimensions, tuning, keys, vectors });
    index.load(file);
    return index;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Runs on the worker: the same Index settings as UsearchIndex (inner product of vectors
// normalised here, as setUnit does), every row added at once (one batch, the tuning's threads),
// saved where the caller loads it (keys checked unique above).
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const { Index, MetricKind, ScalarKind } = require(workerData.usearch);
const t = workerData.tuning;
const scalars = { f32: ScalarKind.F32, f16: ScalarKind.F16, i8: ScalarKind.I8 };
const d = workerData.dimensions;
const v = workerData.vectors;
for (let row = 0; row < v.length; row += d) {
  let s = 0;
  for (let i = row; i < row + d; i++) s += v[i] * v[i];
  const scale = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = row; i < row + d; i++) v[i] *= scale;
}
const index = new Index({ dimensions: d, metric: MetricKind.IP, quantization: scalars[t.quantization],
  connectivity: t.connectivity, expansion_add: t.expansionAdd, expansion_search: t.expansionSearch, multi: false });
index.add(workerData.keys, v, t.addThreads);
index.save(workerData.file);
parentPort.postMessage('built');
`;

function runWorker(workerData: Record<string, unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData });
    let built = false;
    worker.on('message', () => (built = true));
    worker.on('error', reject);
    worker.on('exit', (code) => (built ? resolve() : reject(new Error(`the index build worker exited with code ${code} before saving the index`))));
  });
}
