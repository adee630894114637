/**
 * LanceDB measured through its own API: it is a storage engine (Lance files on disk, an index
 * built over a table, async queries), not an in-process index derived from PostgreSQL rows, so
 * it cannot sit behind the synchronous VectorIndex interface without a second durable copy of
 * every vector. The bench still measures it on the same rows and queries so the choice is by
 * the numbers: "build" is writing the 100k rows to a table plus creating its vector index.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, Index } from '@lancedb/lancedb';
import type { Dataset } from './dataset';
import { row, rssMb, searchRow, type Candidate, type Measured } from './measure';

const WRITE_BATCH = 10_000;

export async function measureLancedb(candidate: Extract<Candidate, { kind: 'lancedb' }>, data: Dataset, truth: BigUint64Array, k: number): Promise<Measured> {
  const d = data.dimensions;
  const n = data.base.length / d;
  const dir = mkdtempSync(join(tmpdir(), 'weaver-bench-lancedb-'));
  const rows = (from: number, to: number, source = data.base, offset = 0): Record<string, unknown>[] =>
    Array.from({ length: to - from }, (_, j) => ({ id: offset + from + j, vector: Array.from(row(source, d, from + j)) }));
  try {
    const before = rssMb();
    const db = await connect(dir);
    const started = performance.now();
    const table = await db.createTable('vectors', rows(0, Math.min(n, WRITE_BATCH)));
    for (let from = WRITE_BATCH; from < n; from += WRITE_BATCH) await table.add(rows(from, Math.min(n, from + WRITE_BATCH)));
    const config =
      candidate.index === 'hnsw_sq'
        ? Index.hnswSq({ distanceType: 'cosine', m: candidate.m, efConstruction: candidate.efConstruction, numPartitions: candidate.partitions ?? 1 })
        : Index.ivfPq({ distanceType: 'cosine', numPartitions: candidate.partitions ?? 256, numSubVectors: d / 8 });
    await table.createIndex('vector', { config });
    const buildMs = performance.now() - started;
    const memoryMb = rssMb() - before;
    // Single-row appends (each a new Lance fragment; unindexed until the index is optimised).
    const extra = data.extra.length / d;
    const t = performance.now();
    for (let i = 0; i < extra; i++) await table.add(rows(i, i + 1, data.extra, n));
    const insertPerSecond = extra / ((performance.now() - t) / 1000);
    await table.delete(`id >= ${n}`);
    const settings = candidate.index === 'hnsw_sq' ? candidate.efs.map((ef) => ({ setting: `ef ${ef}`, ef })) : (candidate.nprobes ?? [20]).map((p) => ({ setting: `nprobes ${p}, refine 5`, nprobes: p }));
    const searches = [];
    for (const s of settings) {
      searches.push(
        await searchRow(s.setting, data, truth, k, async (q) => {
          let query = table.vectorSearch(q).distanceType('cosine').limit(k).select(['id', '_distance']);
          query = 'ef' in s ? query.ef(s.ef!) : query.nprobes(s.nprobes!).refineFactor(5);
          return (await query.toArray()).map((r: { id: number | bigint }) => BigInt(r.id));
        }),
      );
    }
    table.close();
    return { label: candidate.label, buildMs, memoryMb, insertPerSecond, fileMb: du(dir) / 2 ** 20, searches, note: 'on disk; async queries; own API (not behind VectorIndex)' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function du(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, name) => sum + du(join(path, name)), 0);
}
