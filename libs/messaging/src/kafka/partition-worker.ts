import type { Producer } from 'kafkajs';
import { asWeaverError } from '@weaver/errors';
import { SpanStatusCode, type Logger, type Span } from '@weaver/observability';
import { backoffMs } from '@weaver/resilience';
import { sleep } from '../backoff';
import { inTransaction, topicMessagesOf } from './transaction';
import { deadLetterOf, deadLetterRef } from '../dead-letter';
import type { EosMetrics } from '../eos-metrics';
import { KeyedSequencer } from '../keyed-sequencer';
import { classifyCommitFailure, PartitionOwnership, type OwnershipState } from '../partition-ownership';
import { PartitionWindow, type WindowEntry } from '../partition-window';
import { assertRecordSizes, fitDeadLetter, recordBytes } from '../record-size';
import type { InboundRecord, OutboundRecord, RecordHandler } from '../records';
import { consumeSpan, traceRecords } from '../record-tracing';

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export interface PartitionWorkerOptions {
  group: string;
  topic: string;
  partition: number;
  producer: Producer;
  handler: RecordHandler;
  retry: RetryPolicy;
  maxWindow: number;
  maxRecordsPerTransaction: number;
  maxTransactionBytes: number;
  maxRecordBytes: number;
  /** Consecutive failed commits (not caused by the records) before the owner starts over with a new producer. */
  maxCommitAttempts: number;
  logger: Logger;
  metrics: EosMetrics;
  /** Extra records to commit with a dead letter (e.g. "run failed" progress); errors are logged. */
  onDeadLetter?: (record: InboundRecord, error: unknown) => Promise<OutboundRecord[]>;
  /** Called once when this owner ends other than by `retire()`: fenced, or failed (producer unusable). */
  onEnded: (state: Extract<OwnershipState, 'fenced' | 'failed'>) => void;
}

interface Entry extends WindowEntry<OutboundRecord> {
  record: InboundRecord;
  /** Its outputs were replaced by a dead letter because they would not commit. */
  commitDeadLettered?: boolean;
}

/**
 * Owns one input partition while this process holds it (see PartitionOwnership): runs records
 * concurrently (ordered per key), and commits the completed prefix's outputs and its offset in
 * one Kafka transaction. Transactions are serialised (kafkajs must not run two on one
 * producer); records that finish while one is in flight ride in the next, so commits batch
 * themselves under load, bounded in records and bytes.
 *
 * A commit that fails does not end the owner unless it must: fenced → the owner ends; the
 * producer is broken (lost sequence numbers, cannot abort) or commits keep failing
 * `maxCommitAttempts` times → failed (the processor makes a new owner: new producer id, fenced,
 * rewound); otherwise the window is kept and committed again after a backoff. When the records
 * themselves are the cause (too large, invalid), the transaction is halved until the culprit is
 * alone, and its dead letter is committed instead, naming the error — one bad output never
 * stalls the partition, and no output is ever dropped.
 */
export class PartitionWorker {
  /** The next offset this worker expects; lower offsets are already in the window or committed. */
  position: bigint;
  /** Set when this owner replaced one that had records in flight: the fetch must go back to `position` first. */
  mustRewind = false;
  private readonly ownership = new PartitionOwnership();
  private readonly window = new PartitionWindow<OutboundRecord>();
  private readonly sequencer = new KeyedSequencer();
  private flushing: Promise<void> | null = null;
  private spaceWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];
  /** Consecutive failed commits (reset by a success). */
  private failures = 0;
  /** Set while looking for a record that will not commit: the next transactions take at most this many. */
  private commitLimit: number | undefined;

  constructor(
    private readonly opts: PartitionWorkerOptions,
    committedOffset: bigint,
  ) {
    this.position = committedOffset;
    this.ownership.to('active'); // the processor fenced (initialised the producer) before creating us
  }

  get state(): OwnershipState {
    return this.ownership.state;
  }

  /** The state as of now (a method, so the compiler does not carry a narrowing across awaits). */
  private stateNow(): OwnershipState {
    return this.ownership.state;
  }

  get isRetired(): boolean {
    return this.ownership.ended;
  }

  get size(): number {
    return this.window.size;
  }

  /** Waits while the window is full: backpressure on the fetch loop instead of unbounded memory. */
  async waitForSpace(heartbeat: () => Promise<void>): Promise<void> {
    while (!this.isRetired && this.window.size >= this.opts.maxWindow) {
      await Promise.race([new Promise<void>((r) => this.spaceWaiters.push(r)), sleep(1000)]);
      await heartbeat();
    }
  }

  accept(record: InboundRecord): void {
    const offset = BigInt(record.offset);
    this.position = offset + 1n;
    const entry = this.window.accept(offset) as Entry;
    entry.record = record;
    this.opts.metrics.windowSize(this.opts.topic, this.opts.partition, this.window.size);
    const key = record.key ?? `offset:${record.offset}`;
    void this.sequencer.run(key, () => this.process(record, entry));
  }

  /** One record = one span (the step's, see consumeSpan); its outputs carry that span's context. */
  private process(record: InboundRecord, entry: Entry): Promise<void> {
    return consumeSpan(record, this.opts.group, (span) => this.attempts(record, entry, span)).then(() => {
      entry.done = true;
      this.scheduleFlush();
    });
  }

  private async attempts(record: InboundRecord, entry: Entry, span: Span): Promise<void> {
    const started = performance.now();
    for (let attempt = 1; !this.isRetired; attempt++) {
      try {
        const outputs = traceRecords(await this.opts.handler(record, { attempt }));
        // Checked here, not at commit: an output the broker would refuse fails this record now.
        entry.bytes = assertRecordSizes(outputs, this.opts.maxRecordBytes);
        entry.outputs = outputs;
        this.opts.metrics.processed(this.opts.group, 'ok', (performance.now() - started) / 1000);
        break;
      } catch (error) {
        const err = asWeaverError(error);
        if (err.retriable && attempt < this.opts.retry.maxAttempts) {
          this.opts.metrics.retried(this.opts.group);
          span.addEvent('retry', { 'weaver.attempt': attempt, 'error.type': err.code, 'exception.message': err.message });
          await sleep(backoffMs(attempt, this.opts.retry));
          continue;
        }
        await this.deadLetter(entry, err, attempt);
        this.opts.metrics.processed(this.opts.group, 'dead_lettered', (performance.now() - started) / 1000);
        span.setStatus({ code: SpanStatusCode.ERROR, message: `dead-lettered after ${attempt} attempt(s): ${err.message}` });
        span.setAttribute('weaver.dead_lettered', true);
        break;
      }
    }
  }

  /** Replaces the entry's outputs with its dead letter (and the hook's extras), sized to fit. */
  private async deadLetter(entry: Entry, error: unknown, attempts: number): Promise<void> {
    const err = asWeaverError(error);
    const { record } = entry;
    this.opts.logger.warn(
      { group: this.opts.group, topic: record.topic, partition: record.partition, offset: record.offset, attempts, code: err.code, ref: deadLetterRef(record) },
      `record dead-lettered: ${err.message}`,
    );
    const extra = await this.deadLetterExtras(record, err);
    const dead = fitDeadLetter(deadLetterOf(record, this.opts.group, err, attempts), this.opts.maxRecordBytes);
    const outputs = traceRecords([dead, ...extra.filter((r) => recordBytes(r) <= this.opts.maxRecordBytes)]);
    entry.outputs = outputs;
    entry.bytes = outputs.reduce((n, r) => n + recordBytes(r), 0);
  }

  private async deadLetterExtras(record: InboundRecord, error: unknown): Promise<OutboundRecord[]> {
    if (!this.opts.onDeadLetter) return [];
    try {
      return await this.opts.onDeadLetter(record, error);
    } catch (hookError) {
      this.opts.logger.error({ group: this.opts.group, err: String(hookError) }, 'dead-letter hook failed');
      return [];
    }
  }

  private scheduleFlush(): void {
    if (this.flushing || this.isRetired) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
      if (this.window.hasCommittable && !this.isRetired) this.scheduleFlush();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.ownership.state === 'active' && this.window.hasCommittable) {
      const prefix = this.window.takeCommittablePrefix(this.commitLimit ?? this.opts.maxRecordsPerTransaction, this.opts.maxTransactionBytes);
      this.ownership.to('committing');
      try {
        await this.commit(prefix);
      } catch (error) {
        this.window.restore();
        if (!(await this.onCommitFailed(prefix as Entry[], error))) return;
        continue;
      }
      this.window.confirm(prefix.length);
      this.failures = 0;
      this.commitLimit = undefined;
      if (this.stateNow() === 'committing') this.ownership.to('active');
      this.opts.metrics.windowSize(this.opts.topic, this.opts.partition, this.window.size);
      this.release();
    }
  }

  /** Decides what a failed commit means; false when this owner has ended. */
  private async onCommitFailed(prefix: Entry[], error: unknown): Promise<boolean> {
    this.opts.metrics.transactionFailed(this.opts.group);
    if (this.ownership.state === 'revoked') return false;
    const kind = classifyCommitFailure(error);
    const where = { group: this.opts.group, topic: this.opts.topic, partition: this.opts.partition, err: String(error) };
    if (kind === 'fenced') {
      // Another member owns this partition now (it initialised our transactional id): stop for
      // good. The group's next assignment decides whether this process gets it back.
      this.opts.logger.warn(where, 'fenced by a newer owner; giving up the partition');
      return this.end('fenced');
    }
    if (kind === 'producer' || !(await this.abortable())) {
      // The producer itself is broken (lost sequence numbers, or it cannot even abort): only a
      // new owner — a new producer id, fenced and rewound — can go on. Nothing is dropped.
      this.opts.logger.warn(where, 'transaction failed and the producer cannot go on; the partition gets a new owner');
      return this.end('failed');
    }
    this.failures++;
    if (kind !== 'record' && this.failures >= this.opts.maxCommitAttempts) {
      // Failing again and again for no reason the records explain: start over with a fresh
      // producer rather than dead-letter healthy records.
      this.opts.logger.warn({ ...where, failures: this.failures }, 'transaction keeps failing; the partition gets a new owner');
      return this.end('failed');
    }
    if (kind === 'record') {
      if (prefix.length > 1) {
        // The broker refuses some of these records: halve the transaction until the culprit is
        // alone at the head (a success resets the limit; O(log n) tries).
        this.commitLimit = Math.ceil(prefix.length / 2);
      } else {
        const head = prefix[0]!;
        if (head.commitDeadLettered) {
          // Not even its (size-fitted) dead letter is accepted: never drop it silently.
          this.opts.logger.error({ ...where, offset: head.record.offset }, 'the dead letter of a refused record was refused too; the partition gets a new owner');
          return this.end('failed');
        }
        // The record's outputs cannot be committed: commit its dead letter instead, naming the error.
        await this.deadLetter(head, asWeaverError(error), this.failures);
        head.commitDeadLettered = true;
      }
    }
    // The first failures are routine (e.g. CONCURRENT_TRANSACTIONS while the broker writes the
    // previous transaction's markers); say so loudly only when they keep coming.
    const log = this.failures >= 3 ? this.opts.logger.warn.bind(this.opts.logger) : this.opts.logger.debug.bind(this.opts.logger);
    log({ ...where, failures: this.failures, limit: this.commitLimit }, 'transaction failed; committing again');
    this.ownership.to('active');
    await sleep(backoffMs(this.failures, { baseMs: 20, maxMs: 2_000 }));
    return !this.isRetired;
  }

  /** The failed transaction was aborted by the commit's catch; a producer that is still usable says so. */
  private async abortable(): Promise<boolean> {
    try {
      const txn = await this.opts.producer.transaction();
      await txn.abort();
      return true;
    } catch {
      return false;
    }
  }

  private end(state: 'fenced' | 'failed'): false {
    this.ownership.to(state);
    this.closeOut();
    this.opts.onEnded(state);
    return false;
  }

  private async commit(prefix: WindowEntry<OutboundRecord>[]): Promise<void> {
    const last = prefix[prefix.length - 1];
    if (!last) return;
    const started = performance.now();
    const outputs = prefix.flatMap((e) => e.outputs);
    await inTransaction(this.opts.producer, async (txn) => {
      // One after the other: the coordinator answers CONCURRENT_TRANSACTIONS when a transaction's
      // AddPartitionsToTxn and AddOffsetsToTxn overlap (tried: sending both at once failed so).
      if (outputs.length) await txn.sendBatch({ topicMessages: topicMessagesOf(outputs) });
      await txn.sendOffsets({
        consumerGroupId: this.opts.group,
        topics: [{ topic: this.opts.topic, partitions: [{ partition: this.opts.partition, offset: (last.offset + 1n).toString() }] }],
      });
    });
    this.opts.metrics.committed(this.opts.group, prefix.length, (performance.now() - started) / 1000);
  }

  /** Resolves once every accepted record is committed (or the owner ended). */
  drained(): Promise<void> {
    if (this.window.size === 0 || this.isRetired) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** The partition was revoked or the processor stops: no more commits; the producer closes after an in-flight one. */
  async retire(): Promise<void> {
    if (this.isRetired) return;
    const inFlight = this.flushing;
    this.ownership.to('revoked');
    this.closeOut();
    await inFlight?.catch(() => undefined);
    await this.opts.producer.disconnect().catch(() => undefined);
  }

  private closeOut(): void {
    this.release();
    for (const resolve of this.drainWaiters.splice(0)) resolve();
    if (this.ownership.state !== 'revoked') void this.opts.producer.disconnect().catch(() => undefined);
  }

  private release(): void {
    for (const resolve of this.spaceWaiters.splice(0)) resolve();
    if (this.window.size === 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
  }
}
