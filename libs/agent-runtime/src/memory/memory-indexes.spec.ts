import { buildInBackground, defaultVectorIndex, ExactIndex } from '@weaver/vector-index';
import { MemoryIndexes } from './memory-indexes';

const T = '00000000-0000-4000-8000-000000000001';

/**
 * The table as the reader sees it, with transactions: a row is visible once its transaction
 * committed; the horizon a query hands back is the oldest transaction still running then.
 */
class Table {
  private committed = new Map<bigint, { xid: bigint; vector: Float32Array }>();
  private running = new Map<bigint, Array<{ id: bigint; vector: Float32Array }>>();
  private nextXid = 10n;
  queries: bigint[] = [];
  opened: bigint[] = [];
  vectorsAfter = async (_t: string, _a: string, _k: string, horizon: bigint, known: (id: bigint) => boolean) => {
    this.queries.push(horizon);
    const rows = [...this.committed].filter(([id, r]) => r.xid >= horizon && !known(id)).map(([id, r]) => ({ id, vector: r.vector }));
    this.opened.push(...rows.map((r) => r.id));
    return { rows, horizon: [...this.running.keys()].reduce((m, x) => (x < m ? x : m), this.nextXid) };
  };
  begin(): bigint {
    const xid = this.nextXid++;
    this.running.set(xid, []);
    return xid;
  }
  insert(xid: bigint, id: bigint, vector: Float32Array): void {
    this.running.get(xid)!.push({ id, vector });
  }
  commit(xid: bigint): void {
    for (const r of this.running.get(xid)!) this.committed.set(r.id, { xid, vector: r.vector });
    this.running.delete(xid);
  }
  delete(id: bigint): void {
    this.committed.delete(id);
  }
  write(id: bigint, vector: Float32Array): void {
    const x = this.begin();
    this.insert(x, id, vector);
    this.commit(x);
  }
}

const v = (...xs: number[]) => Float32Array.from(xs);

describe('MemoryIndexes', () => {
  it('loads lazily, then asks only from the last horizon, and does not open rows it already holds (own commits)', async () => {
    const table = new Table();
    table.write(1n, v(1, 0));
    const indexes = new MemoryIndexes(table, (d) => new ExactIndex(d));
    expect((await indexes.search(T, 'a', 'semantic', v(1, 0), 5)).map((h) => h.key)).toEqual([1n]);
    // Another replica commits 20; this runner commits 7 and adds it at once.
    table.write(20n, v(0, 1));
    table.write(7n, v(1, 1));
    indexes.added(T, 'a', 'semantic', [{ id: 7n, vector: v(1, 1) }]);
    expect((await indexes.search(T, 'a', 'semantic', v(0, 1), 5)).map((h) => h.key)).toEqual([20n, 7n, 1n]);
    expect(table.queries).toEqual([0n, 11n]);
    expect(table.opened).toEqual([1n, 20n]); // 7 came from the commit, not from the table
  });

  it('builds a first load of many rows off the event loop, then keeps adding in place', async () => {
    const table = new Table();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
    const rows = Array.from({ length: 2_500 }, (_, i) => ({ id: BigInt(i + 1), vector: Float32Array.from({ length: 16 }, rnd) }));
    for (const r of rows) table.write(r.id, r.vector);
    const bulk: number[] = [];
    const indexes = new MemoryIndexes(table, defaultVectorIndex, 8, undefined, async (d, keys, vectors) => (bulk.push(keys.length), buildInBackground(d, keys, vectors)));
    const exact = new ExactIndex(16);
    exact.upsert(rows.map((r) => ({ key: r.id, vector: r.vector })));
    const query = rows[42]!.vector;
    expect((await indexes.search(T, 'a', 'semantic', query, 5)).map((h) => h.key)).toEqual(exact.search(query, 5).map((h) => h.key));
    expect(bulk).toEqual([2_500]);
    const late = Float32Array.from({ length: 16 }, (_, i) => (i === 0 ? 1 : 0));
    table.write(9_999n, late);
    expect((await indexes.search(T, 'a', 'semantic', late, 1))[0]?.key).toBe(9_999n);
    expect(bulk).toEqual([2_500]); // the catch-up went into the loaded index
  });

  it('misses no row whatever the commit order: a transaction older than the last look commits later', async () => {
    const table = new Table();
    const indexes = new MemoryIndexes(table, (d) => new ExactIndex(d));
    const slow = table.begin(); // drew its id first, commits last
    table.insert(slow, 4n, v(0, 1));
    table.write(6n, v(1, 1));
    expect((await indexes.search(T, 'a', 'episodic', v(1, 1), 5)).map((h) => h.key)).toEqual([6n]);
    table.commit(slow);
    expect((await indexes.search(T, 'a', 'episodic', v(0, 1), 5)).map((h) => h.key)).toEqual([4n, 6n]);
    expect(table.queries).toEqual([0n, slow]);
  });

  it('keeps at most maxLoaded indexes (least recently used goes) and forgets removed rows', async () => {
    const table = new Table();
    table.write(1n, v(1, 0));
    const loaded: number[] = [];
    const indexes = new MemoryIndexes(table, (d) => new ExactIndex(d), 2, (n) => loaded.push(n));
    await indexes.search(T, 'a', 'semantic', v(1, 0), 1);
    await indexes.search(T, 'b', 'semantic', v(1, 0), 1);
    await indexes.search(T, 'a', 'semantic', v(1, 0), 1);
    await indexes.search(T, 'c', 'semantic', v(1, 0), 1); // evicts b (a was used more recently)
    expect(indexes.loaded).toBe(2);
    expect(Math.max(...loaded)).toBe(2);
    table.queries = [];
    await indexes.search(T, 'a', 'semantic', v(1, 0), 1);
    await indexes.search(T, 'b', 'semantic', v(1, 0), 1);
    expect(table.queries).toEqual([11n, 0n]); // a was still loaded, b is rebuilt
    indexes.forget(T, 'b', 'semantic', [1n]);
    table.delete(1n);
    expect(await indexes.search(T, 'b', 'semantic', v(1, 0), 1)).toEqual([]);
  });

  it('names a dimension mismatch (a changed embedding model)', async () => {
    const table = new Table();
    table.write(1n, v(1, 0));
    const indexes = new MemoryIndexes(table, (d) => new ExactIndex(d));
    await expect(indexes.search(T, 'a', 'semantic', v(1, 0, 0), 1)).rejects.toThrow('embedding: has 3 dimensions, the stored semantic memory 2 (was the embedding model changed?)');
  });
});
