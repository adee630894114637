/**
 * The in-flight window of one input partition (the Confluent Parallel Consumer pattern).
 *
 * Records are accepted in offset order and may finish in any order (records of different run
 * keys run concurrently; records of one key run in sequence). Only the contiguous completed
 * prefix may be committed: committing offset N+1 tells Kafka that everything up to N is done.
 * `takeCommittablePrefix()` hands that prefix to the transaction; `confirm()` drops it once the
 * transaction committed, `restore()` gives it back when the transaction aborted.
 */
export interface WindowEntry<O> {
  readonly offset: bigint;
  done: boolean;
  outputs: O[];
  /** Bytes of `outputs`, for the per-transaction cap. */
  bytes: number;
}

export class PartitionWindow<O> {
  private entries: WindowEntry<O>[] = [];
  private taken = 0;

  get size(): number {
    return this.entries.length;
  }

  accept(offset: bigint): WindowEntry<O> {
    const last = this.entries[this.entries.length - 1];
    if (last && offset <= last.offset) {
      throw new Error(`offset ${offset} accepted after ${last.offset}: partition windows are append-only`);
    }
    const entry: WindowEntry<O> = { offset, done: false, outputs: [], bytes: 0 };
    this.entries.push(entry);
    return entry;
  }

  /**
   * The completed entries at the head of the window not already handed to a transaction: at
   * most `max` entries and `maxBytes` of outputs (always at least one entry, whatever its size).
   */
  takeCommittablePrefix(max = Number.POSITIVE_INFINITY, maxBytes = Number.POSITIVE_INFINITY): WindowEntry<O>[] {
    const prefix: WindowEntry<O>[] = [];
    let bytes = 0;
    for (let i = this.taken; i < this.entries.length && prefix.length < max; i++) {
      const entry = this.entries[i]!;
      if (!entry.done) break;
      if (prefix.length > 0 && bytes + entry.bytes > maxBytes) break;
      bytes += entry.bytes;
      prefix.push(entry);
    }
    this.taken += prefix.length;
    return prefix;
  }

  /** The prefix committed: forget it. */
  confirm(count: number): void {
    this.entries.splice(0, count);
    this.taken -= count;
  }

  /** The transaction aborted: the prefix is committable again. */
  restore(): void {
    this.taken = 0;
  }

  get hasCommittable(): boolean {
    return this.entries[this.taken]?.done === true;
  }
}
