import { Partitioners, type Producer } from 'kafkajs';
import type { OutboundRecord } from '../records';
import { kafkaClient, type KafkaConnection } from './connection';
import { inTransaction, topicMessagesOf } from './transaction';

/**
 * An idempotent producer for records that start a flow (run triggers from the gateway, replays).
 * `sendTransactional` writes a set of records atomically.
 */
export class EventProducer {
  private readonly producer: Producer;
  private connected: Promise<void> | null = null;

  constructor(connection: KafkaConnection, transactionalId?: string) {
    this.producer = kafkaClient(connection).producer({
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
    await this.producer.sendBatch({ acks: -1, topicMessages: topicMessagesOf(records) });
  }

  /**
   * Writes the records atomically; with `consumed`, also commits that group's position on a
   * topic in the same transaction (records out and position in, or neither).
   */
  async sendTransactional(records: OutboundRecord[], consumed?: { group: string; topic: string; offsets: Map<number, bigint> }): Promise<void> {
    await this.connect();
    await inTransaction(this.producer, async (txn) => {
      if (records.length) await txn.sendBatch({ acks: -1, topicMessages: topicMessagesOf(records) });
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
