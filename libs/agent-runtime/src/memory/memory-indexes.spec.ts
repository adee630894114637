import { ExactIndex } from '@weaver/vector-index';
import { MemoryIndexes } from './memory-indexes';

const T = '00000000-0000-4000-8000-000000000001';

/** The table as the reader sees it: rows by id with their commit seq; `vectorsAfter` is the since-last-seen query. */
class Table {
  rows = new Map<bigint, { seq: bigint; vector: Float32Array }>();
  queries: bigint[] = [];
  /** Held open until released, to model a query racing a commit. */
  gate?: Promise<void>;
  vectorsAfter = async (_t: string, _a: string, _k: string, after: bigint) => {
    this.queries.push(after);
    const snapshot = [...this.rows].filter(([, r]) => r.seq > after).map(([id, r]) => ({ id, ...r }));
    await this.gate;
    return snapshot.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : a.id < b.id ? -1 : 1));
  };
  set(id: bigint, seq: bigint, vector: Float32Array): void {
    this.rows.set(id, { seq, vector });
  }
}

const v = (...xs: number[]) => Float32Array.from(xs);

describe('MemoryIndexes', () => {
  it('loads lazily, then fetches only rows committed after the last seen seq (whatever their ids), and skips own committed rows', async () => {
    const table = new Table();
    table.set(1n, 1n, v(1, 0));
    const indexes = new MemoryIndexes(table, (d) => new ExactIndex(d));
    expect((await indexes.search(T, 'a', 'semantic', v(1, 0), 5)).map((h) => h.key)).toEqual([1n]);
    // Another replica commits id 20 (seq 2); this runner commits id 7 (seq 3: added at once, not fetched again).
    table.set(20n, 2n, v(0, 1));
    table.set(7n, 3n, v(1, 1));
    indexes.added(T, 'a', 'semantic', 3n, [{ id: 7n, vector: v(1, 1) }]);
    expect((await indexes.search(T, 'a', 'semantic', v(0, 1), 5)).map((h) => h.key)).toEqual([20n, 7n, 1n]);
    expect(table.queries).toEqual([0n, 1n]);
    // An id drawn before 20 but committed later (seq 4) is still found.
    table.set(15n, 4n, v(0, 1));
    const keys = (await indexes.search(T, 'a', 'semantic', v(0, 1), 5)).map((h) => h.key);
    expect(table.queries.at(-1)).toBe(3n);
    expect(new Set(keys)).toEqual(new Set([1n, 7n, 15n, 20n]));
  });

  it('does not move past rows the catch-up query could not see when an own commit lands during it', async () => {
    const table = new Table();
    const indexes = new MemoryIndexes(table, (d) => new ExactIndex(d));
    table.set(1n, 1n, v(1, 0));
    await indexes.search(T, 'a', 'episodic', v(1, 0), 5);
    let release!: () => void;
    table.gate = new Promise((r) => (release = r));
    const racing = indexes.search(T, 'a', 'episodic', v(1, 0), 5); // its snapshot: only seq 1
    await new Promise((r) => setImmediate(r));
    // Committed after the snapshot: another replica's seq 2, then this runner's seq 3.
    table.set(4n, 2n, v(0, 1));
    table.set(6n, 3n, v(1, 1));
    indexes.added(T, 'a', 'episodic', 3n, [{ id: 6n, vector: v(1, 1) }]);
    release();
    await racing;
    table.gate = undefined;
    // The next catch-up still asks from seq 1, so row 4 is found.
    expect((await indexes.search(T, 'a', 'episodic', v(0, 1), 5)).map((h) => h.key)).toEqual([4n, 6n, 1n]);
    expect(table.queries).toEqual([0n, 1n, 1n]);
  });

  it('keeps at most maxLoaded indexes (least recently used goes) and forgets removed rows', async () => {
    const table = new Table();
    table.set(1n, 1n, v(1, 0));
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
    expect(table.queries).toEqual([1n, 0n]); // a was still loaded, b is rebuilt
    indexes.forget(T, 'b', 'semantic', [1n]);
    table.rows.clear();
    expect(await indexes.search(T, 'b', 'semantic', v(1, 0), 1)).toEqual([]);
  });

  it('names a dimension mismatch (a changed embedding model)', async () => {
    const table = new Table();
    table.set(1n, 1n, v(1, 0));
    const indexes = new MemoryIndexes(table, (d) => new ExactIndex(d));
    await expect(indexes.search(T, 'a', 'semantic', v(1, 0, 0), 1)).rejects.toThrow('embedding: has 3 dimensions, the stored semantic memory 2 (was the embedding model changed?)');
  });
});
