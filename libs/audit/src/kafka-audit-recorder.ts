import type { AuditEvent, AuditRecorder } from '@weaver/governance';
import type { EventProducer, TopicNames } from '@weaver/messaging';
import { auditRecordsOf, validateAuditEvent } from './audit-records';

/**
 * The AuditRecorder of enforcement points and admin routes: validates, then produces to
 * `weaver.audit.v1` (acks=all) and resolves once the broker has the events. Batching is the
 * EventProducer's: concurrent `record` calls that queue behind one produce request share the
 * next one (one round trip for all of them, `Coalescer` with one request in flight), and an idle
 * recorder sends at once. An access is not answered before its audit is durable on Kafka; the
 * chainer makes it tamper-evident in PostgreSQL afterwards.
 */
export class KafkaAuditRecorder implements AuditRecorder {
  constructor(
    private readonly producer: EventProducer,
    private readonly topics: TopicNames,
  ) {}

  async record(events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.producer.send(auditRecordsOf(events.map(validateAuditEvent), this.topics));
  }
}
