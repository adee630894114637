import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import type { Logger } from '@weaver/observability';
import type { InboundRecord } from '../records';
import { kafkaClient, type KafkaConnection } from './connection';
import { toInboundRecord } from './inbound';

/**
 * Follows a topic from its end, read-committed, without committing offsets: for fan-out to live
 * subscribers (e.g. the gateway's run streams), where a restart simply starts at the new end and
 * the subscriber re-reads current state from the database first.
 */
export class TopicTail {
  private readonly consumer: Consumer;
  private started = false;

  constructor(
    connection: KafkaConnection,
    private readonly topic: string,
    private readonly onRecord: (record: InboundRecord) => Promise<void> | void,
    private readonly logger: Logger,
    groupPrefix = 'weaver.tail',
  ) {
    this.consumer = kafkaClient(connection).consumer({ groupId: `${groupPrefix}.${randomUUID()}`, readUncommitted: false, maxWaitTimeInMs: 50 });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topic], fromBeginning: false });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        try {
          await this.onRecord(toInboundRecord(topic, partition, message));
        } catch (error) {
          this.logger.warn({ topic, err: String(error) }, 'tail subscriber failed on a record');
        }
      },
    });
    this.started = true;
  }

  async stop(): Promise<void> {
    if (this.started) await this.consumer.disconnect();
    this.started = false;
  }
}
