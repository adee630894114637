import type { AuditEvent, AuditRecorder } from '@weaver/governance';
import type { Logger } from '@weaver/observability';

/** Nest provider token of the process's AuditRecorder (enforcement points inject it). */
export const AUDIT_RECORDER = Symbol('weaver.audit-recorder');

/**
 * AUDIT_RECORDER=log: each decision as a debug log line, for a service run alone in a test.
 * It keeps nothing and proves nothing; deployments use the audit trail's Kafka recorder
 * (connectAuditRecorder, the default).
 */
export class DebugLogAuditRecorder implements AuditRecorder {
  constructor(private readonly logger: Logger) {}

  async record(events: readonly AuditEvent[]): Promise<void> {
    for (const e of events) {
      this.logger.debug({ audit: { id: e.id, tenantId: e.tenantId, principal: `${e.principal.type}:${e.principal.id}`, action: e.action, resource: `${e.resource.type}:${e.resource.id}`, decision: e.decision, reasons: e.reasons, source: e.source, correlationId: e.correlationId } }, 'audit decision');
    }
  }
}

/** Keeps every event in memory: tests assert on it. */
export class MemoryAuditRecorder implements AuditRecorder {
  readonly events: AuditEvent[] = [];

  async record(events: readonly AuditEvent[]): Promise<void> {
    this.events.push(...events);
  }
}
