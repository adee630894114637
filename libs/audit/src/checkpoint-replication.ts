import type { DataSource } from 'typeorm';
import { ValidationError } from '@weaver/errors';
import { AUDIT_CHECKPOINT_REPLICA_GROUP, BatchConsumer, provisionTopics, type KafkaConnection, type TopicNames } from '@weaver/messaging';
import type { Logger, Metrics } from '@weaver/observability';
import { decodeCheckpointRecord } from './checkpoint-record';
import { RemoteCheckpointStore, type TrustedPeerKeys } from './remote-checkpoints';

/** Partitions of every region's checkpoint topic; the mirrored copies get the same count. */
export const CHECKPOINT_PARTITIONS = 3;

/** This region's checkpoint topic and the peers' mirrored copies (`<peer>.weaver.audit-checkpoints.v1`, MM2's default policy). */
export function checkpointTopics(names: TopicNames, peers: readonly string[]): { own: string; mirrored: Map<string, string> } {
  return { own: names.auditCheckpoints, mirrored: new Map(peers.map((peer) => [`${peer}.${names.auditCheckpoints}`, peer])) };
}

/**
 * Creates the checkpoint topics (compacted; the mirrored ones too, so this consumer can subscribe
 * before MirrorMaker 2 has copied anything) and stores the peers' checkpoints that verify
 * (RemoteCheckpointStore). At-least-once; storing is idempotent. A refused record is logged and
 * counted, never retried: no retry makes a bad signature good.
 */
export async function startCheckpointReplication(opts: {
  kafka: KafkaConnection;
  ds: DataSource;
  names: TopicNames;
  peers: readonly string[];
  trusted: TrustedPeerKeys;
  logger: Logger;
  metrics: Metrics;
  replicationFactor?: number;
}): Promise<BatchConsumer> {
  const { own, mirrored } = checkpointTopics(opts.names, opts.peers);
  const rf = opts.replicationFactor ?? 1;
  await provisionTopics(opts.kafka, [own, ...mirrored.keys()].map((name) => ({ name, partitions: CHECKPOINT_PARTITIONS, replicationFactor: rf, config: { 'cleanup.policy': 'compact' } })));
  const store = new RemoteCheckpointStore(opts.ds, opts.trusted);
  const outcomes = opts.metrics.counter('weaver_audit_remote_checkpoints_total', 'Checkpoints of peer regions received, by outcome (the region is in the log line of a refusal)', ['outcome']);
  const consumer = new BatchConsumer({
    kafka: opts.kafka,
    group: opts.names.group(AUDIT_CHECKPOINT_REPLICA_GROUP),
    topics: [...mirrored.keys()],
    logger: opts.logger,
    handler: async (records) => {
      for (const record of records) {
        const region = mirrored.get(record.topic)!;
        let outcome;
        try {
          outcome = await store.apply(region, decodeCheckpointRecord(record.value));
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error; // PostgreSQL down: the batch is redelivered
          outcome = 'refused-undecodable' as const;
        }
        outcomes.inc({ outcome });
        if (outcome !== 'stored' && outcome !== 'duplicate') opts.logger.error({ topic: record.topic, offset: record.offset, region, outcome }, 'peer audit checkpoint not stored');
      }
    },
  });
  if (mirrored.size > 0) await consumer.start();
  return consumer;
}
