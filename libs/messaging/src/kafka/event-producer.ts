import { Partitioners, type Producer } from 'kafkajs';
import { Coalescer } from '@weaver/resilience';
import type { OutboundRecord } from '../records';
import { traceRecords } from '../record-tracing';
import { kafkaClient, type KafkaConnection } from './connection';
import { inTransaction, topicMessagesOf } from './transaction';

export interface EventProducerOptions {
  /**
   * How often a failed send is retried before it rejects. Unset, kafkajs gives an idempotent
   * producer unlimited retries (a missing topic still took ~18 s to fail here), so a caller that
   * must answer someone (the gateway's intake) bounds it.
   */
  retries?: number;
}

/**
 * An idempotent producer for records that start a flow (run triggers from the gateway, replays).
 * `sendTransactional` writes a set of records atomically.
 */
export class EventProducer {
  private readonly producer: Producer;
  private connected: Promise<void> | null = null;
  /**
   * Concurrent sends share produce requests: kafkajs lets an idempotent producer have one produce
   * request per broker in flight, so 32 callers sending at once used to queue 32 round trips
   * (the gateway's intake at ~80 runs/s); now whatever queued behind one request goes in the next.
   */
  private readonly sends = new Coalescer<OutboundRecord[], void>((_key, groups) => this.sendNow(groups.flat()).then(() => groups.map(() => undefined)), { maxInFlight: 1, maxBatch: 1_000 });

  constructor(connection: KafkaConnection, transactionalId?: string, options: EventProducerOptions = {}) {
    this.producer = kafkaClient(connection).producer({
      ...(options.retries !== undefined ? { retry: { retries: options.retries } } : {}),
      idempotent: true,
      maxInFlightRequests: transactionalId ? 1 : 5,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      ...(transactionalId ? { transactionalId } : {}),
    });
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect();
    return this.connected;
  }

  /** Sends the records (acks=all); concurrent calls are grouped into shared produce requests. */
  async send(records: OutboundRecord[]): Promise<void> {
    await this.connect();
    // The caller's span, taken here: the shared produce request below runs in no one's context.
    await this.sends.submit('', traceRecords(records));
  }

  private async sendNow(records: OutboundRecord[]): Promise<void> {
    await this.producer.sendBatch({ acks: -1, topicMessages: topicMessagesOf(records) });
  }

  /**
   * Writes the records atomically; with `consumed`, also commits that group's position on a
   * topic in the same transaction (records out and position in, or neither).
   */
  async sendTransactional(records: OutboundRecord[], consumed?: { group: string; topic: string; offsets: Map<number, bigint> }): Promise<void> {
    await this.connect();
    await inTransaction(this.producer, async (txn) => {
      if (records.length) await txn.sendBatch({ acks: -1, topicMessages: topicMessagesOf(traceRecords(records)) });
      if (consumed && consumed.offsets.size) {
        await txn.sendOffsets({
          consumerGroupId: consumed.group,
          topics: [{ topic: consumed.topic, partitions: [...consumed.offsets].map(([partition, offset]) => ({ partition, offset: offset.toString() })) }],
        });
      }
    });
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = null;
  }
}
