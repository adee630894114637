/**
 * @weaver/messaging — Weaver's exactly-once event layer; only its ./kafka folder imports kafkajs.
 *
 * - `TopicNames`: every topic and group name (versioned, in an installation's namespace) in one
 *   place, made once from config and injected; `provisionTopics` creates them.
 * - `EosProcessor`: consume-transform-produce in Kafka transactions. Give it a consumer group,
 *   topics and a `RecordHandler` returning the records to produce; outputs and the consumed
 *   offset commit atomically, records of a partition run concurrently (ordered per key),
 *   failures retry with backoff and then go to `dlqTopic(group)` with the error.
 * - `replayDeadLetters`, `replayRange`: re-drive from the DLQ, an offset or a time range;
 *   `readDeadLetters`/`describeDeadLetter`/`redriveDeadLetters`: the admin API's letters.
 * - `EventProducer`: idempotent/transactional producer for flow starts (run triggers).
 * - `createKafka`: a `KafkaConnection` (Weaver's handle; the kafkajs client stays inside ./kafka),
 *   with TLS/SASL from `kafkaConfigFields` (`kafkaSecurityOf`); `checkKafkaConnection` at start.
 */
export * from './topics';
export * from './tenant-placements';
export * from './records';
export * from './kafka';
export * from './kafka-config';
export * from './acl-plan';
export * from './kafka/eos-processor';
export type { RetryPolicy } from './kafka/partition-worker';
export * from './dead-letter';
export * from './replay';
export * from './dead-letter-reader';
export * from './envelope-codec';
export * from './envelope-sealing';
export * from './record-format';
export * from './record-tracing';
