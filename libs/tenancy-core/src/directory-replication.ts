import type { DataSource } from 'typeorm';
import { BatchConsumer, DIRECTORY_REPLICA_GROUP, provisionTopics, type KafkaConnection, type TopicNames } from '@weaver/messaging';
import type { Logger } from '@weaver/observability';
import { decodeDirectoryRecord } from './directory-record';
import { DirectoryReplica } from './directory-replica';

/** Partitions of every region's directory topic; the mirrored copy gets the same count. */
export const DIRECTORY_PARTITIONS = 3;
const COMPACTED = { 'cleanup.policy': 'compact' };

/** This region's directory topic and the mirrored ones of its peers (`<peer>.weaver.directory.v1`). */
export function directoryTopics(names: TopicNames, peers: readonly string[]): { own: string; mirrored: string[] } {
  return { own: names.directory, mirrored: peers.map((peer) => `${peer}.${names.directory}`) };
}

/**
 * Creates the directory topics (compacted; the mirrored ones too, so this consumer can subscribe
 * before MirrorMaker 2 has seen a record — MM2 then writes into them) and consumes the peers'
 * copies into tenancy.region_directory. At-least-once; the replica is idempotent.
 */
export async function startDirectoryReplication(opts: {
  kafka: KafkaConnection;
  ds: DataSource;
  names: TopicNames;
  peers: readonly string[];
  logger: Logger;
  replicationFactor?: number;
}): Promise<BatchConsumer> {
  const { own, mirrored } = directoryTopics(opts.names, opts.peers);
  const rf = opts.replicationFactor ?? 1;
  await provisionTopics(opts.kafka, [own, ...mirrored].map((name) => ({ name, partitions: DIRECTORY_PARTITIONS, replicationFactor: rf, config: COMPACTED })));
  const replica = new DirectoryReplica(opts.ds);
  const consumer = new BatchConsumer({
    kafka: opts.kafka,
    group: opts.names.group(DIRECTORY_REPLICA_GROUP),
    topics: mirrored,
    logger: opts.logger,
    handler: async (records) => {
      for (const record of records) {
        // A record that does not decode is logged and passed over: retrying cannot fix it.
        let decoded;
        try {
          decoded = decodeDirectoryRecord(record.value);
        } catch (error) {
          opts.logger.warn({ topic: record.topic, offset: record.offset, err: String(error) }, 'undecodable directory record skipped');
          continue;
        }
        await replica.apply(decoded);
      }
    },
  });
  if (mirrored.length > 0) await consumer.start();
  return consumer;
}
