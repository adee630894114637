import type { AuditRecorder } from '@weaver/governance';
import { createKafka, EventProducer, kafkaSecurityOf, TopicNames } from '@weaver/messaging';
import type { Logger } from '@weaver/observability';
import { KafkaAuditRecorder } from './kafka-audit-recorder';

type KafkaFields = Parameters<typeof kafkaSecurityOf>[0] & { KAFKA_BROKERS: string[]; KAFKA_NAMESPACE: string };

/** A recorder with its own producer, for a service whose audit is its only Kafka traffic (the router) or that keeps it apart. */
export interface ConnectedAuditRecorder extends AuditRecorder {
  close(): Promise<void>;
}

/**
 * The enforcing service's recorder: a KafkaAuditRecorder on a producer of its own, connected
 * at start (a broker that cannot be reached fails the start, like every Kafka user's). One
 * produce request in flight at a time; decisions made meanwhile share the next one.
 */
export async function connectAuditRecorder(config: KafkaFields, service: string, logger: Logger): Promise<ConnectedAuditRecorder> {
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `weaver-${service}-audit-${process.pid}`, logger, security: kafkaSecurityOf(config) });
  const producer = new EventProducer(kafka);
  await producer.connect();
  const recorder = new KafkaAuditRecorder(producer, new TopicNames(config.KAFKA_NAMESPACE));
  return { record: (events) => recorder.record(events), close: () => producer.disconnect() };
}
