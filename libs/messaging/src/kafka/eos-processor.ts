import { Partitioners, type Admin, type Consumer, type EachBatchPayload } from 'kafkajs';
import type { Logger } from '@weaver/observability';
import { EosMetrics } from '../eos-metrics';
import { PartitionWorker, type RetryPolicy } from './partition-worker';
import { kafkaClient, type KafkaConnection } from './connection';
import { fenceTransactionalId } from './transactional-fence';
import { toInboundRecord } from './inbound';
import { DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_TRANSACTION_BYTES } from '../record-size';
import type { InboundRecord, OutboundRecord, RecordHandler } from '../records';
import type { Metrics } from '@weaver/observability';

export interface EosProcessorOptions {
  kafka: KafkaConnection;
  /** Consumer group: one per agent type; scaling an agent = more members of its group. */
  group: string;
  topics: string[];
  handler: RecordHandler;
  /** Extra records committed with each dead letter, e.g. a "run failed" event. */
  onDeadLetter?: (record: InboundRecord, error: unknown) => Promise<OutboundRecord[]>;
  logger: Logger;
  metrics: Metrics;
  retry?: Partial<RetryPolicy>;
  /** Records in flight per partition before the fetch loop waits. */
  maxWindow?: number;
  maxRecordsPerTransaction?: number;
  /** Output bytes per transaction (default 4 MiB) and per record (default 1,000,000: the broker's limit). */
  maxTransactionBytes?: number;
  maxRecordBytes?: number;
  /** Partitions fetched and handed over concurrently. */
  partitionsConsumedConcurrently?: number;
  /** Prefix of transactional ids; must be stable across restarts for fencing to work. */
  transactionalIdPrefix?: string;
  sessionTimeoutMs?: number;
  fromBeginning?: boolean;
}

type ProcessorState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';
const legal: Record<ProcessorState, ProcessorState[]> = {
  created: ['starting'],
  starting: ['running', 'stopping'],
  running: ['stopping'],
  stopping: ['stopped'],
  stopped: [],
};

/**
 * Exactly-once consume-transform-produce over kafkajs.
 *
 * - Outputs and the consumed offsets commit in one transaction; consumers read committed only.
 * - kafkajs lacks KIP-447 (consumer-group-aware fencing), so transactional ids are stable per
 *   input partition (`<prefix>.<group>.<topic>.<partition>`), the KIP-98 scheme: whoever owns a
 *   partition fences every earlier owner when it initialises that id.
 * - Offsets are read only after fencing (kafkajs reads them at join, which can be before a
 *   zombie's last commit lands), and the fetch position is corrected with `seek` if needed.
 * - Records of a partition run concurrently, ordered per key, through a `PartitionWorker`;
 *   kafkajs' fetch position moves on (`resolveOffset`) while commits trail at the completed
 *   prefix, so one slow step does not stall its partition.
 */
export class EosProcessor {
  private state: ProcessorState = 'created';
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private readonly workers = new Map<string, PartitionWorker>();
  private readonly pendingWorkers = new Map<string, Promise<PartitionWorker>>();
  private readonly metrics: EosMetrics;
  private readonly retry: RetryPolicy;
  /** Group joins seen; a partition whose owner was fenced gets a new owner only in a later one. */
  private generation = 0;
  /** Partitions whose owner ended on its own: no new owner before a later generation or `until`. */
  private readonly blocked = new Map<string, { generation: number; until: number }>();
  private assigned = new Set<string>();
  /** Partitions whose failed owner was not replaced yet: whoever owns them next rewinds first. */
  private readonly rewindPending = new Set<string>();

  constructor(private readonly opts: EosProcessorOptions) {
    this.metrics = new EosMetrics(opts.metrics);
    this.retry = { maxAttempts: 5, baseMs: 100, maxMs: 5_000, ...opts.retry };
    this.consumer = kafkaClient(opts.kafka).consumer({
      groupId: opts.group,
      readUncommitted: false,
      sessionTimeout: opts.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 30_000,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
    this.admin = kafkaClient(opts.kafka).admin();
  }

  get assignedPartitions(): string[] {
    return [...this.workers.keys()];
  }

  get inFlight(): number {
    let n = 0;
    for (const w of this.workers.values()) n += w.size;
    return n;
  }

  async start(): Promise<void> {
    this.transition('starting');
    await this.admin.connect();
    await this.consumer.connect();
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => void this.onAssignment(event.payload.memberAssignment));
    await this.consumer.subscribe({ topics: this.opts.topics, fromBeginning: this.opts.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently ?? 8,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.transition('running');
    this.opts.logger.info({ group: this.opts.group, topics: this.opts.topics }, 'exactly-once processor started');
  }

  /**
   * Graceful stop: stop fetching, let in-flight records finish and commit (bounded by
   * `timeoutMs`), then leave the group so the partitions move to the other members at once.
   */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.state === 'stopped' || this.state === 'stopping') return;
    this.transition('stopping');
    this.consumer.pause(this.opts.topics.map((topic) => ({ topic })));
    const drained = Promise.all([...this.workers.values()].map((w) => w.drained()));
    const timedOut = await Promise.race([drained.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs).unref())]);
    if (timedOut) this.opts.logger.warn({ group: this.opts.group, inFlight: this.inFlight }, 'stop timed out; in-flight records will be redelivered');
    await Promise.all([...this.workers.values()].map((w) => w.retire()));
    this.workers.clear();
    await this.consumer.disconnect();
    await this.admin.disconnect();
    this.transition('stopped');
    this.opts.logger.info({ group: this.opts.group }, 'exactly-once processor stopped');
  }

  private transition(to: ProcessorState): void {
    if (!legal[this.state].includes(to)) throw new Error(`EosProcessor cannot go from ${this.state} to ${to}`);
    this.state = to;
  }

  private onAssignment(assignment: Record<string, number[]>): void {
    this.generation++;
    for (const id of [...this.paused]) {
      const at = id.lastIndexOf(':');
      this.resumeFetch(id.slice(0, at), Number(id.slice(at + 1)));
    }
    const owned = new Set<string>();
    for (const [topic, partitions] of Object.entries(assignment)) for (const p of partitions) owned.add(`${topic}:${p}`);
    this.assigned = owned;
    for (const [id, worker] of this.workers) {
      if (owned.has(id)) continue;
      this.workers.delete(id);
      void worker.retire();
    }
    this.opts.logger.info({ group: this.opts.group, partitions: [...owned] }, 'partitions assigned');
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (this.state !== 'running' && this.state !== 'starting') return;
    const { topic, partition } = batch;
    const worker = await this.workerFor(topic, partition);
    if (!worker) {
      // Its last owner ended in this generation: stop fetching it until the wait is over.
      this.pauseFetch(topic, partition);
      return;
    }
    if (worker.mustRewind) {
      // This worker replaces one that failed: kafkajs' fetch position is past the committed
      // offset, so go back once or the records in between would never be processed. (A gap
      // alone proves nothing: under read-committed, transaction markers leave offset gaps.)
      worker.mustRewind = false;
      await this.rewind(topic, partition, worker);
      return;
    }
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || worker.isRetired) return;
      if (BigInt(message.offset) < worker.position) continue; // already in flight or committed
      await worker.waitForSpace(heartbeat);
      if (worker.isRetired) return;
      worker.accept(toInboundRecord(topic, partition, message));
      resolveOffset(message.offset);
    }
    await heartbeat();
  }

  private async workerFor(topic: string, partition: number): Promise<PartitionWorker | undefined> {
    const id = `${topic}:${partition}`;
    const existing = this.workers.get(id);
    if (existing && !existing.isRetired) return existing;
    // A fenced owner means another member took over: never re-fence it from here. Only a later
    // group generation (this process rejoined and was given the partition) may make a new owner.
    const block = this.blocked.get(id);
    if (block && block.generation >= this.generation && Date.now() < block.until) return undefined;
    this.blocked.delete(id);
    const pending = this.pendingWorkers.get(id);
    if (pending) return pending;
    const created = this.createWorker(topic, partition).finally(() => this.pendingWorkers.delete(id));
    this.pendingWorkers.set(id, created);
    const worker = await created;
    // A replaced owner, or a recovery that could not build one: kafkajs' fetch position is past
    // the committed offset, so the new owner must rewind or the records in between are skipped.
    if (existing || this.rewindPending.delete(id)) worker.mustRewind = true;
    this.workers.set(id, worker);
    return worker;
  }

  private async createWorker(topic: string, partition: number): Promise<PartitionWorker> {
    const prefix = this.opts.transactionalIdPrefix ?? 'weaver';
    const producer = kafkaClient(this.opts.kafka).producer({
      transactionalId: `${prefix}.${this.opts.group}.${topic}.${partition}`,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 60_000,
      // The broker answers CONCURRENT_TRANSACTIONS to the next transaction while the previous
      // one's markers are being written (a few ms): retry that fast, or every back-to-back
      // transaction waits out the default 100+ ms backoff.
      retry: { initialRetryTime: 5, maxRetryTime: 1_000, retries: 30, factor: 0.2, multiplier: 1.5 },
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    // The fencing state: initialise the transactional id (bump the epoch, so any former owner's
    // open transaction is aborted or completed and its later commits fail) BEFORE reading where
    // to start. kafkajs' connect() does not do this; the first transaction() would, too late.
    await fenceTransactionalId(producer);
    const committed = await this.committedOffset(topic, partition);
    this.opts.logger.debug({ group: this.opts.group, topic, partition, committed: committed.toString() }, 'partition worker ready');
    return new PartitionWorker(
      {
        group: this.opts.group,
        topic,
        partition,
        producer,
        handler: this.opts.handler,
        onDeadLetter: this.opts.onDeadLetter,
        retry: this.retry,
        maxWindow: this.opts.maxWindow ?? 1_000,
        maxRecordsPerTransaction: this.opts.maxRecordsPerTransaction ?? 500,
        maxTransactionBytes: this.opts.maxTransactionBytes ?? DEFAULT_MAX_TRANSACTION_BYTES,
        maxRecordBytes: this.opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
        maxCommitAttempts: 5,
        logger: this.opts.logger,
        metrics: this.metrics,
        onEnded: (state) => this.onOwnerEnded(topic, partition, state),
      },
      committed,
    );
  }

  /**
   * An owner ended on its own (fenced, or failed: its producer could not even abort). Its
   * partition gets no new owner in this group generation for one session timeout: long enough
   * for a stale member — ours, or the one that fenced us from a batch it should no longer have
   * had — to learn from the group that it was replaced. A rebalance in that time decides (a
   * legitimate move of the partition bumps every member's generation). If none came, the
   * partition is still ours: make a new owner, which re-fences and rewinds the fetch to the
   * committed offset. The partition's fetch is paused meanwhile (no busy refetching).
   */
  private onOwnerEnded(topic: string, partition: number, state: 'fenced' | 'failed'): void {
    const id = `${topic}:${partition}`;
    this.workers.delete(id);
    const pause = this.opts.sessionTimeoutMs ?? 10_000;
    this.rewindPending.add(id);
    const generation = this.generation;
    this.blocked.set(id, { generation, until: Date.now() + pause });
    this.opts.logger.info({ group: this.opts.group, topic, partition, state, pauseMs: pause }, 'partition owner ended; waiting for the group before taking it again');
    setTimeout(() => {
      this.resumeFetch(topic, partition);
      if (this.state !== 'running' || !this.assigned.has(id) || this.workers.has(id) || this.generation !== generation) return;
      void this.workerFor(topic, partition)
        .then(async (worker) => {
          if (!worker) return;
          worker.mustRewind = false;
          await this.rewind(topic, partition, worker);
        })
        .catch((error: unknown) => this.opts.logger.warn({ group: this.opts.group, topic, partition, err: String(error) }, 'partition recovery deferred to the next batch'));
    }, pause + 50).unref();
  }

  private readonly paused = new Set<string>();

  private pauseFetch(topic: string, partition: number): void {
    const id = `${topic}:${partition}`;
    if (this.paused.has(id)) return;
    this.paused.add(id);
    this.consumer.pause([{ topic, partitions: [partition] }]);
  }

  private resumeFetch(topic: string, partition: number): void {
    if (!this.paused.delete(`${topic}:${partition}`) || this.state !== 'running') return;
    this.consumer.resume([{ topic, partitions: [partition] }]);
  }

  private async rewind(topic: string, partition: number, worker: PartitionWorker): Promise<void> {
    const offset = worker.position >= 0n ? worker.position.toString() : await this.earliestOffset(topic, partition);
    this.consumer.seek({ topic, partition, offset });
  }

  private async earliestOffset(topic: string, partition: number): Promise<string> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return offsets.find((o) => o.partition === partition)?.low ?? '0';
  }

  /** The group's committed offset for a partition, or -1 when it has none yet. */
  private async committedOffset(topic: string, partition: number): Promise<bigint> {
    const offsets = await this.admin.fetchOffsets({ groupId: this.opts.group, topics: [topic] });
    const found = offsets.find((t) => t.topic === topic)?.partitions.find((p) => p.partition === partition);
    return found ? BigInt(found.offset) : -1n;
  }
}
