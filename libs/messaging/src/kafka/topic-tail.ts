import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import type { Logger } from '@weaver/observability';
import type { InboundRecord } from '../records';
import { kafkaClient, type KafkaConnection } from './connection';
import { toInboundRecord } from './inbound';
import { topicOffsets } from './offsets';

/**
 * Follows a topic from its end, read-committed, without committing offsets: for fan-out to live
 * subscribers (e.g. the gateway's run streams), where a restart simply starts at the new end and
 * the subscriber re-reads current state from the database first.
 *
 * "Its end" is taken *before* joining and every partition is sought there once assigned, and
 * `start()` resolves only then: a subscriber that subscribes after `start()` and then reads the
 * database misses nothing. (Letting kafkajs reset to "latest" at its first fetch, seconds after
 * `start()` returned, lost what was written during the group join.) The end is the last stable
 * offset, so a transaction open at the start is still seen when it commits.
 */
export class TopicTail {
  private readonly consumer: Consumer;
  private started = false;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly topic: string,
    private readonly onRecord: (record: InboundRecord) => Promise<void> | void,
    private readonly logger: Logger,
    groupPrefix = 'weaver.tail',
  ) {
    this.consumer = kafkaClient(connection).consumer({ groupId: `${groupPrefix}.${randomUUID()}`, readUncommitted: false, maxWaitTimeInMs: 50 });
  }

  async start(): Promise<void> {
    const ends = await topicOffsets(this.connection, this.topic);
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topic], fromBeginning: false });
    const joined = new Promise<void>((resolve) => {
      const off = this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
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
    await joined;
    // The group is this tail's alone, so every partition is ours; seek before the first fetch.
    for (const o of ends) this.consumer.seek({ topic: this.topic, partition: o.partition, offset: o.stable.toString() });
  }

  async stop(): Promise<void> {
    if (this.started) await this.consumer.disconnect();
    this.started = false;
  }
}
