import type { Producer } from 'kafkajs';
import { asWeaverError } from '@weaver/errors';
import type { Logger } from '@weaver/observability';
import { backoffMs, sleep } from './backoff';
import { deadLetterOf } from './dead-letter';
import { KeyedSequencer } from './keyed-sequencer';
import { PartitionWindow, type WindowEntry } from './partition-window';
import type { InboundRecord, OutboundRecord, RecordHandler } from './records';
import type { EosMetrics } from './eos-metrics';

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
  logger: Logger;
  metrics: EosMetrics;
  /** Extra records to commit with a dead letter (e.g. "run failed" progress); errors are logged. */
  onDeadLetter?: (record: InboundRecord, error: unknown) => Promise<OutboundRecord[]>;
  /** Called once when a transaction fails and the worker retires itself. */
  onFailure: () => void;
}

/**
 * Owns one input partition while this process holds it: runs records concurrently (ordered per
 * key), and commits the completed prefix's outputs and its offset in one Kafka transaction.
 * Transactions are serialised (kafkajs must not run two on one producer); records that finish
 * while one is in flight ride in the next, which batches naturally under load.
 */
export class PartitionWorker {
  /** The next offset this worker expects; lower offsets are already in the window or committed. */
  position: bigint;
  /** Set when this worker replaced a failed one: the fetch must go back to `position` first. */
  mustRewind = false;
  private readonly window = new PartitionWindow<OutboundRecord>();
  private readonly sequencer = new KeyedSequencer();
  private flushing: Promise<void> | null = null;
  private retired = false;
  private spaceWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];

  constructor(
    private readonly opts: PartitionWorkerOptions,
    committedOffset: bigint,
  ) {
    this.position = committedOffset;
  }

  get isRetired(): boolean {
    return this.retired;
  }

  get size(): number {
    return this.window.size;
  }

  /** Waits while the window is full: backpressure on the fetch loop instead of unbounded memory. */
  async waitForSpace(heartbeat: () => Promise<void>): Promise<void> {
    while (!this.retired && this.window.size >= this.opts.maxWindow) {
      await Promise.race([new Promise<void>((r) => this.spaceWaiters.push(r)), sleep(1000)]);
      await heartbeat();
    }
  }

  accept(record: InboundRecord): void {
    const offset = BigInt(record.offset);
    this.position = offset + 1n;
    const entry = this.window.accept(offset);
    this.opts.metrics.windowSize(this.opts.topic, this.opts.partition, this.window.size);
    const key = record.key ?? `offset:${record.offset}`;
    void this.sequencer.run(key, () => this.process(record, entry));
  }

  private async process(record: InboundRecord, entry: WindowEntry<OutboundRecord>): Promise<void> {
    const started = performance.now();
    for (let attempt = 1; !this.retired; attempt++) {
      try {
        entry.outputs = await this.opts.handler(record, { attempt });
        this.opts.metrics.processed(this.opts.group, 'ok', (performance.now() - started) / 1000);
        break;
      } catch (error) {
        const err = asWeaverError(error);
        if (err.retriable && attempt < this.opts.retry.maxAttempts) {
          this.opts.metrics.retried(this.opts.group);
          await sleep(backoffMs(attempt, this.opts.retry.baseMs, this.opts.retry.maxMs));
          continue;
        }
        this.opts.logger.warn(
          { group: this.opts.group, topic: record.topic, partition: record.partition, offset: record.offset, attempts: attempt, code: err.code },
          `record dead-lettered: ${err.message}`,
        );
        const extra = await this.deadLetterExtras(record, err);
        entry.outputs = [deadLetterOf(record, this.opts.group, err, attempt), ...extra];
        this.opts.metrics.processed(this.opts.group, 'dead_lettered', (performance.now() - started) / 1000);
        break;
      }
    }
    entry.done = true;
    this.scheduleFlush();
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
    if (this.flushing || this.retired) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
      if (this.window.hasCommittable && !this.retired) this.scheduleFlush();
    });
  }

  private async flushLoop(): Promise<void> {
    while (!this.retired && this.window.hasCommittable) {
      const prefix = this.window.takeCommittablePrefix(this.opts.maxRecordsPerTransaction);
      try {
        await this.commit(prefix);
        this.window.confirm(prefix.length);
        this.opts.metrics.windowSize(this.opts.topic, this.opts.partition, this.window.size);
        this.release();
      } catch (error) {
        this.window.restore();
        // A failed commit may mean another instance now owns this partition (it fenced our
        // transactional id) or a broker hiccup; either way this worker's state can no longer be
        // trusted. Retire it: the next batch builds a fresh worker that re-fences and re-reads
        // the committed offset, so nothing is lost and nothing is committed twice.
        this.opts.logger.warn(
          { group: this.opts.group, topic: this.opts.topic, partition: this.opts.partition, err: String(error) },
          'transaction failed; retiring partition worker',
        );
        this.opts.metrics.transactionFailed(this.opts.group);
        await this.retire();
        this.opts.onFailure();
        return;
      }
    }
  }

  private async commit(prefix: WindowEntry<OutboundRecord>[]): Promise<void> {
    const last = prefix[prefix.length - 1];
    if (!last) return;
    const started = performance.now();
    const byTopic = new Map<string, Array<{ key: string | null; value: Buffer; headers?: Record<string, string> }>>();
    for (const entry of prefix) {
      for (const out of entry.outputs) {
        const list = byTopic.get(out.topic) ?? [];
        list.push({ key: out.key, value: out.value, headers: out.headers });
        byTopic.set(out.topic, list);
      }
    }
    const txn = await this.opts.producer.transaction();
    try {
      if (byTopic.size) {
        await txn.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      }
      await txn.sendOffsets({
        consumerGroupId: this.opts.group,
        topics: [{ topic: this.opts.topic, partitions: [{ partition: this.opts.partition, offset: (last.offset + 1n).toString() }] }],
      });
      await txn.commit();
    } catch (error) {
      await txn.abort().catch(() => undefined);
      throw error;
    }
    this.opts.metrics.committed(this.opts.group, prefix.length, (performance.now() - started) / 1000);
  }

  /** Resolves once every accepted record is committed (or the worker is retired). */
  drained(): Promise<void> {
    if (this.window.size === 0 || this.retired) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Stop committing for this partition (revoked, fenced or shutting down) and close its producer. */
  async retire(): Promise<void> {
    if (this.retired) return;
    this.retired = true;
    this.release();
    for (const resolve of this.drainWaiters.splice(0)) resolve();
    await this.opts.producer.disconnect().catch(() => undefined);
  }

  private release(): void {
    for (const resolve of this.spaceWaiters.splice(0)) resolve();
    if (this.window.size === 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
  }
}
