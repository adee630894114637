import { PartitionWindow } from './partition-window';

describe('PartitionWindow', () => {
  it('commits only the contiguous completed prefix', () => {
    const w = new PartitionWindow<string>();
    const a = w.accept(10n);
    const b = w.accept(11n);
    const c = w.accept(13n); // offsets may have gaps (transaction markers)
    c.done = true;
    expect(w.takeCommittablePrefix()).toEqual([]);
    a.done = true;
    expect(w.takeCommittablePrefix().map((e) => e.offset)).toEqual([10n]);
    b.done = true;
    expect(w.takeCommittablePrefix().map((e) => e.offset)).toEqual([11n, 13n]);
    w.confirm(3);
    expect(w.size).toBe(0);
  });

  it('gives the prefix back when the transaction aborts', () => {
    const w = new PartitionWindow<string>();
    w.accept(1n).done = true;
    w.accept(2n).done = true;
    expect(w.takeCommittablePrefix(1).length).toBe(1);
    w.restore();
    expect(w.takeCommittablePrefix().map((e) => e.offset)).toEqual([1n, 2n]);
  });

  it('keeps entries taken by an in-flight transaction out of the next prefix', () => {
    const w = new PartitionWindow<string>();
    w.accept(1n).done = true;
    const first = w.takeCommittablePrefix();
    w.accept(2n).done = true;
    const second = w.takeCommittablePrefix();
    expect(first.map((e) => e.offset)).toEqual([1n]);
    expect(second.map((e) => e.offset)).toEqual([2n]);
    w.confirm(1);
    w.confirm(1);
    expect(w.size).toBe(0);
  });

  it('refuses offsets out of order', () => {
    const w = new PartitionWindow<string>();
    w.accept(5n);
    expect(() => w.accept(5n)).toThrow(/append-only/);
  });

  it('caps a prefix in bytes, but always takes at least one entry', () => {
    const w = new PartitionWindow<string>();
    for (const [offset, bytes] of [[1n, 600], [2n, 600], [3n, 5_000]] as const) {
      const e = w.accept(offset);
      e.done = true;
      e.bytes = bytes;
    }
    expect(w.takeCommittablePrefix(100, 1_000).map((e) => e.offset)).toEqual([1n]);
    expect(w.takeCommittablePrefix(100, 1_000).map((e) => e.offset)).toEqual([2n]);
    expect(w.takeCommittablePrefix(100, 1_000).map((e) => e.offset)).toEqual([3n]); // alone, over the cap
  });
});
