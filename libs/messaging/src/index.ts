/**
 * @weaver/messaging — Weaver's exactly-once event layer; the only library that imports kafkajs.
 *
 * - `Topics`: every topic name (versioned) in one place; `provisionTopics` creates them.
 * - `EosProcessor`: consume-transform-produce in Kafka transactions. Give it a consumer group,
 *   topics and a `RecordHandler` returning the records to produce; outputs and the consumed
 *   offset commit atomically, records of a partition run concurrently (ordered per key),
 *   failures retry with backoff and then go to `Topics.dlq(group)` with the error.
 * - `replayDeadLetters`, `replayRange`: re-drive from the DLQ, an offset or a time range.
 * - `EventProducer`: idempotent/transactional producer for flow starts (run triggers).
 * - `createKafka`: a kafkajs client logging through Weaver's logger.
 */
export * from './topics';
export * from './records';
export * from './kafka-client';
export * from './eos-processor';
export { fenceTransactionalId } from './transactional-fence';
export type { RetryPolicy } from './partition-worker';
export * from './dead-letter';
export * from './event-producer';
export * from './topic-provisioner';
export * from './replay';
export { backoffMs } from './backoff';
export * from './envelope-codec';
export * from './topic-tail';
export * from './topic-reader';
export * from './range-reader';
