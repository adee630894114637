import type { Consumer } from 'kafkajs';
import type { Logger } from '@weaver/observability';
import { backoffMs } from '@weaver/resilience';
import type { InboundRecord } from '../records';
import { kafkaClient, type KafkaConnection } from './connection';
import { toInboundRecord } from './inbound';

export interface BatchConsumerOptions {
  kafka: KafkaConnection;
  group: string;
  topics: string[];
  /** Handles one fetched batch of one partition; the offsets commit only after it resolves. */
  handler: (records: InboundRecord[]) => Promise<void>;
  logger: Logger;
  partitionsConsumedConcurrently?: number;
}

/**
 * At-least-once consumption for sinks outside Kafka (the audit chainer writes PostgreSQL):
 * read-committed, one handler call per fetched partition batch, the batch's offsets committed
 * only once the handler has resolved — so a crash redelivers, never skips, and the sink must
 * be idempotent. A failing handler is retried with backoff without moving the position
 * (records of a partition are never passed over); the EOS layer is for Kafka-to-Kafka work.
 */
export class BatchConsumer {
  private readonly consumer: Consumer;
  private running = false;

  constructor(private readonly opts: BatchConsumerOptions) {
    this.consumer = kafkaClient(opts.kafka).consumer({ groupId: opts.group, readUncommitted: false, maxWaitTimeInMs: 100, allowAutoTopicCreation: false, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  }

  /** Joins and starts fetching; on failure (e.g. a topic not created yet) it disconnects and rethrows, so it may be called again. */
  async start(): Promise<void> {
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: this.opts.topics, fromBeginning: true });
    } catch (error) {
      await this.consumer.disconnect().catch(() => undefined);
      throw error;
    }
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently ?? 4,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        const records = batch.messages.map((m) => toInboundRecord(batch.topic, batch.partition, m));
        const last = records[records.length - 1];
        if (!last) return;
        for (let attempt = 1; ; attempt++) {
          if (!isRunning() || isStale() || !this.running) return;
          try {
            await this.opts.handler(records);
            break;
          } catch (error) {
            this.opts.logger.warn({ group: this.opts.group, topic: batch.topic, partition: batch.partition, attempt, err: String(error) }, 'batch handler failed; retrying');
            await new Promise((r) => setTimeout(r, backoffMs(attempt, { baseMs: 100, maxMs: 5_000 })));
            await heartbeat();
          }
        }
        await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
        // Without this kafkajs fetches the same batch again (eachBatchAutoResolve is off so
        // that an unhandled batch is never marked consumed).
        resolveOffset(last.offset);
        await heartbeat();
      },
    });
  }

  /** Stops fetching; a batch being handled finishes (or is redelivered to the next owner). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.consumer.disconnect();
  }
}
