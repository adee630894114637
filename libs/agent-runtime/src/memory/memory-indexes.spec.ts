import { ExactIndex } from '@weaver/vector-index';
import { MemoryIndexes } from './memory-indexes';

const T = '00000000-0000-4000-8000-000000000001';

/** The table as the reader sees it: rows by id; `vectorsAfter` is the since-last-seen query. */
class Table {
  rows = new Map<bigint, Float32Array>();
  queries: bigint[] = [];
  /** Held open until released, to model a query racing a commit. */
  gate?: Promise<void>;
  vectorsAfter = async (_t: string, _a: string, _k: string, after: bigint) => {
    this.queries.push(after);
    const snapshot = [...this.rows].filter(([id]) => id > after).map(([id, vector]) => ({ id, vector }));
    await this.gate;
    return snapshot.sort((a, b) => (a.id < b.id ? -1 : 1));
  };
}

const v = (...xs: number[]) => Float32Array.from(xs);

describe('MemoryIndexes', () => {
  it('loads lazily, then fetches only rows above the last seen id, and skips own committed rows', async () => {
    const table = new Table();
    table.rows.set(1n, v(1, 0));
    const indexes = new MemoryIndexes(table, (d) => new ExactIndex(d));
    expect((await indexes.search(T, 'a', 'semantic', v(1, 0), 5)).map((h) => h.key)).toEqual([1n]);
    // Another replica commits 5; this runner commits 7 (added at once, not fetched again).
    table.rows.set(5n, v(0, 1));
    table.rows.set(7n, v(1, 1));
    indexes.added(T, 'a', 'semantic', [{ id: 7n, vector: v(1, 1) }]);
    expect((await indexes.search(T, 'a', 'semantic', v(0, 1), 5)).map((h) => h.key)).toEqual([5n, 7n, 1n]);
    expect(table.queries).toEqual([0n, 1n]);
    await indexes.search(T, 'a', 'semantic', v(0, 1), 5);
    expect(table.queries.at(-1)).toBe(7n);
  });

  it('does not move past rows the catch-up query could not see when an own commit lands during it', async () => {
    const table = new Table();
    const indexes = new MemoryIndexes(table, (d) => new ExactIndex(d));
    table.rows.set(1n, v(1, 0));
    await indexes.search(T, 'a', 'episodic', v(1, 0), 5);
    let release!: () => void;
    table.gate = new Promise((r) => (release = r));
    const racing = indexes.search(T, 'a', 'episodic', v(1, 0), 5); // its snapshot: only row 1
    await new Promise((r) => setImmediate(r));
    // Committed after the snapshot: another replica's 4, then this runner's 6.
    table.rows.set(4n, v(0, 1));
    table.rows.set(6n, v(1, 1));
    indexes.added(T, 'a', 'episodic', [{ id: 6n, vector: v(1, 1) }]);
    release();
    await racing;
    table.gate = undefined;
    // The next catch-up still asks from 1, so row 4 is found.
    expect((await indexes.search(T, 'a', 'episodic', v(0, 1), 5)).map((h) => h.key)).toEqual([4n, 6n, 1n]);
    expect(table.queries).toEqual([0n, 1n, 1n]);
  });

  it('keeps at most maxLoaded indexes (least recently used goes) and forgets removed rows', async () => {
    const table = new Table();
    table.rows.set(1n, v(1, 0));
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
    table.rows.set(1n, v(1, 0));
    const indexes = new MemoryIndexes(table, (d) => new ExactIndex(d));
    await expect(indexes.search(T, 'a', 'semantic', v(1, 0, 0), 1)).rejects.toThrow('embedding: has 3 dimensions, the stored semantic memory 2 (was the embedding model changed?)');
  });
});
