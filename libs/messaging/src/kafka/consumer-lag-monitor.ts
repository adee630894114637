import type { Logger, Metrics } from '@weaver/observability';
import { replayGroupOf } from '../replay';
import { dlqTopic } from '../topics';
import { kafkaClient, type KafkaConnection } from './connection';

/** One consumer group to watch: its lag on its input topics and its un-replayed dead letters. */
export interface LagTarget {
  /** The `agent` label: the agent's name, or `dispatcher` / `trigger:<workflow>`. */
  agent: string;
  group: string;
  topics: readonly string[];
}

type Admin = ReturnType<ReturnType<typeof kafkaClient>['admin']>;

/** Records between `from` and `to` per partition; a partition without a committed offset counts from its low watermark. */
function behind(ends: ReadonlyArray<{ partition: number; high: string; low: string }>, committed: ReadonlyMap<number, bigint>): number {
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
 * record per partition high: a transaction's commit marker takes an offset. DLQ depth: dead
 * letters after the replay group's position (`replayGroupOf`), i.e. not yet re-driven.
 * Every runner replica reports the same cluster-wide numbers: aggregate with `max`, not `sum`.
 */
export class ConsumerLagMonitor {
  private readonly lag;
  private readonly dlq;
  private admin?: Admin;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;

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
    const tick = (): void => {
      this.polling ??= this.poll()
        .catch((err: unknown) => this.logger.warn({ err: String(err) }, 'consumer lag poll failed'))
        .finally(() => (this.polling = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
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
      this.dlq.set({ agent: t.agent }, behind(await endsOf(dlq), await this.committed(admin, replayGroupOf(t.group), dlq)));
    }
  }

  private async committed(admin: Admin, group: string, topic: string): Promise<Map<number, bigint>> {
    const [found] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return new Map((found?.partitions ?? []).filter((p) => BigInt(p.offset) >= 0n).map((p) => [p.partition, BigInt(p.offset)]));
  }

  private async connected(): Promise<Admin> {
    if (!this.admin) {
      const admin = kafkaClient(this.kafka).admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }
}
