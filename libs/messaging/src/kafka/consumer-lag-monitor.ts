import type { Logger, Metrics } from '@weaver/observability';
import { replayGroupOf } from '../replay';
import { dlqTopic } from '../topics';
import { kafkaClient, type KafkaConnection } from './connection';
import { readRange } from './range-reader';

/** One consumer group to watch: its lag on its input topics and its un-replayed dead letters. */
export interface LagTarget {
  /** The `agent` label: the agent's name, `dispatcher`, or `trigger:<workflow>` (a workflow's Kafka-topic trigger). */
  agent: string;
  group: string;
  topics: readonly string[];
}

type Admin = ReturnType<ReturnType<typeof kafkaClient>['admin']>;
type Ends = ReadonlyArray<{ partition: number; high: string; low: string }>;

/** Above this many offsets a DLQ partition is not read: its offset gap is reported (an upper bound). */
const MAX_DLQ_READ = 10_000;
const DLQ_READ_TIMEOUT_MS = 15_000;

/** Records between `from` and `to` per partition; a partition without a committed offset counts from its low watermark. */
function behind(ends: Ends, committed: ReadonlyMap<number, bigint>): number {
  let n = 0n;
  for (const e of ends) {
    const at = committed.get(e.partition) ?? BigInt(e.low);
    const lag = BigInt(e.high) - (at < BigInt(e.low) ? BigInt(e.low) : at);
    if (lag > 0n) n += lag;
  }
  return Number(n);
}

/**
 * Consumer lag and DLQ depth per agent, read with one admin connection on a timer — never on
 * the step path. Lag: last stable offset (what a read-committed consumer can read; kafkajs'
 * fetchTopicOffsets) minus the group's committed offset, summed over partitions. It may read one
 * record per partition high: a transaction's commit marker takes an offset (harmless for a lag
 * alert or autoscaling). DLQ depth must be exact (an alert fires while it is > 0, and dead
 * letters are written and re-driven in transactions, so an empty DLQ still has a marker after
 * the replay position): the records between the replay group's position (`replayGroupOf`) and
 * the end are counted by reading them — only when that range changed since the last poll, so
 * an unchanged DLQ costs two admin calls.
 * Every runner replica reports the same cluster-wide numbers: aggregate with `max`, not `sum`.
 */
export class ConsumerLagMonitor {
  private readonly lag;
  private readonly dlq;
  private admin?: Admin;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private stopped = false;
  /** Per DLQ partition: the range last counted and its count. */
  private readonly counted = new Map<string, { range: string; count: number }>();

  constructor(
    private readonly kafka: KafkaConnection,
    private readonly targets: readonly LagTarget[],
    metrics: Metrics,
    private readonly logger: Logger,
    private readonly intervalMs = 15_000,
  ) {
    this.lag = metrics.gauge('weaver_consumer_lag_records', 'Records the agent\'s consumer group has not committed yet, summed over its input partitions (max across replicas)', ['agent']);
    this.dlq = metrics.gauge('weaver_dlq_records', 'Dead letters of the agent\'s group not re-driven yet (after the replay position)', ['agent']);
  }

  start(): void {
    if (this.timer) return;
    this.stopped = false;
    const tick = (): void => {
      this.polling ??= this.poll()
        .catch((err: unknown) => this.logger.warn({ err: String(err) }, 'consumer lag poll failed'))
        .finally(() => (this.polling = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer; waits for a running poll at most `graceMs` (shutdown must not wait on a DLQ read). */
  async stop(graceMs = 2_000): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopped = true;
    const admin = this.admin;
    this.admin = undefined;
    const polling = this.polling;
    const close = (): Promise<void> => admin?.disconnect().catch(() => undefined) ?? Promise.resolve();
    if (!polling) return close();
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([polling.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), graceMs)))]);
    clearTimeout(timer);
    if (finished) await close();
    else void polling.finally(close); // closes when the poll ends (its own read times out)
  }

  /** One reading of every target (also called by tests). */
  async poll(): Promise<void> {
    const admin = await this.connected();
    const ends = new Map<string, Awaited<ReturnType<Admin['fetchTopicOffsets']>>>();
    const endsOf = async (topic: string) => {
      if (!ends.has(topic)) ends.set(topic, await admin.fetchTopicOffsets(topic));
      return ends.get(topic)!;
    };
    for (const t of this.targets) {
      let lag = 0;
      for (const topic of t.topics) lag += behind(await endsOf(topic), await this.committed(admin, t.group, topic));
      this.lag.set({ agent: t.agent }, lag);
      const dlq = dlqTopic(t.group);
      this.dlq.set({ agent: t.agent }, await this.deadLetters(dlq, await endsOf(dlq), await this.committed(admin, replayGroupOf(t.group), dlq)));
    }
  }

  private async deadLetters(topic: string, ends: Ends, replayed: ReadonlyMap<number, bigint>): Promise<number> {
    let total = 0;
    const unread = new Map<number, { start: bigint; end: bigint }>();
    for (const e of ends) {
      const start = replayed.get(e.partition) ?? BigInt(e.low);
      const end = BigInt(e.high);
      const key = `${topic}:${e.partition}`;
      const range = `${start}-${end}`;
      const known = this.counted.get(key);
      if (end <= start) this.counted.set(key, { range, count: 0 });
      else if (known?.range === range) total += known.count;
      else if (end - start > BigInt(MAX_DLQ_READ)) total += Number(end - start);
      else unread.set(e.partition, { start, end });
    }
    if (unread.size === 0) return total;
    const records = await readRange(this.kafka, topic, unread, DLQ_READ_TIMEOUT_MS);
    for (const [partition, r] of unread) {
      const count = records.filter((rec) => rec.partition === partition).length;
      this.counted.set(`${topic}:${partition}`, { range: `${r.start}-${r.end}`, count });
      total += count;
    }
    return total;
  }

  private async committed(admin: Admin, group: string, topic: string): Promise<Map<number, bigint>> {
    const [found] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return new Map((found?.partitions ?? []).filter((p) => BigInt(p.offset) >= 0n).map((p) => [p.partition, BigInt(p.offset)]));
  }

  private async connected(): Promise<Admin> {
    if (!this.admin) {
      const admin = kafkaClient(this.kafka).admin();
      await admin.connect();
      if (this.stopped) {
        // Stopped while connecting: this poll's reading is not wanted.
        await admin.disconnect().catch(() => undefined);
        throw new Error('consumer lag monitor stopped');
      }
      this.admin = admin;
    }
    return this.admin;
  }
}
