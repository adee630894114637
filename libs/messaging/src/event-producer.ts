import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { OutboundRecord } from './records';

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

  constructor(kafka: Kafka, transactionalId?: string, options: EventProducerOptions = {}) {
    this.producer = kafka.producer({
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

  async send(records: OutboundRecord[]): Promise<void> {
    await this.connect();
    await this.producer.sendBatch({ acks: -1, topicMessages: group(records) });
  }

  /**
   * Writes the records atomically; with `consumed`, also commits that group's position on a
   * topic in the same transaction (records out and position in, or neither).
   */
  async sendTransactional(records: OutboundRecord[], consumed?: { group: string; topic: string; offsets: Map<number, bigint> }): Promise<void> {
    await this.connect();
    const txn = await this.producer.transaction();
    try {
      if (records.length) await txn.sendBatch({ acks: -1, topicMessages: group(records) });
      if (consumed && consumed.offsets.size) {
        await txn.sendOffsets({
          consumerGroupId: consumed.group,
          topics: [{ topic: consumed.topic, partitions: [...consumed.offsets].map(([partition, offset]) => ({ partition, offset: offset.toString() })) }],
        });
      }
      await txn.commit();
    } catch (error) {
      await txn.abort().catch(() => undefined);
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = null;
  }
}

function group(records: OutboundRecord[]): Array<{ topic: string; messages: Array<{ key: string | null; value: Buffer; headers?: Record<string, string> }> }> {
  const byTopic = new Map<string, Array<{ key: string | null; value: Buffer; headers?: Record<string, string> }>>();
  for (const r of records) {
    const list = byTopic.get(r.topic) ?? [];
    list.push({ key: r.key, value: r.value, headers: r.headers });
    byTopic.set(r.topic, list);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
