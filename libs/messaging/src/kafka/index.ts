/**
 * The Kafka transport: the only folder of Weaver that imports kafkajs (eslint enforces it).
 * Exported here is what the rest of Weaver may use; `kafkaClient` (the vendor client behind a
 * connection) and the conversion helpers stay internal to libs/messaging.
 */
export { createKafka, KafkaConnection, type KafkaClientOptions } from './connection';
export { checkKafkaConnection, connectServiceKafka, explainKafkaError } from './connection-check';
export { applyAcls } from './acls';
export { EventProducer } from './event-producer';
export { BatchConsumer, type BatchConsumerOptions } from './batch-consumer';
export { provisionTopics, deleteTopics, listTopics } from './topic-provisioner';
export { TopicTail } from './topic-tail';
export { readTopicsToEnd, readTopicsUntil } from './topic-reader';
export { readRange } from './range-reader';
export { topicOffsets, type PartitionOffsets } from './offsets';
// Internal like kafkaClient: EosProcessor should fence a partition's transactional id with
// fenceTransactionalId ('./transactional-fence') before reading its committed offset.
export { ConsumerLagMonitor, type LagTarget } from './consumer-lag-monitor';
