import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from '@weaver/observability';
import { decodeHeaders, type InboundRecord } from './records';

/**
 * Follows a topic from its end, read-committed, without committing offsets: for fan-out to live
 * subscribers (e.g. the gateway's run streams), where a restart simply starts at the new end and
 * the subscriber re-reads current state from the database first.
 */
export class TopicTail {
  private readonly consumer: Consumer;
  private started = false;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
    private readonly onRecord: (record: InboundRecord) => void,
    private readonly logger: Logger,
    groupPrefix = 'weaver.tail',
  ) {
    this.consumer = kafka.consumer({ groupId: `${groupPrefix}.${randomUUID()}`, readUncommitted: false, maxWaitTimeInMs: 50 });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topic], fromBeginning: false });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        try {
          this.onRecord({
            topic,
            partition,
            offset: message.offset,
            key: message.key?.toString('utf8') ?? null,
            value: message.value ?? Buffer.alloc(0),
            headers: decodeHeaders(message.headers),
            timestamp: message.timestamp,
          });
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
