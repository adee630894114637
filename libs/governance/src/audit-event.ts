import type { Action, Principal, ResourceRef } from './actions';

/**
 * One line of the audit trail: who (principal), for which tenant, did what (action) to which
 * resource, what was decided and why, when and from where. Every data access and every
 * administrative action produces one; the audit library chains them (hash chain + Merkle
 * checkpoints) and mirrors them to `weaver.audit.v1`.
 */
export interface AuditEvent {
  /** Unique and deterministic where the access is (a step's read: its step id), so a retried write is one entry. */
  id: string;
  tenantId: string;
  /** ISO-8601 time of the access. */
  at: string;
  principal: Principal;
  action: Action;
  resource: ResourceRef;
  decision: 'allow' | 'deny';
  /** Ids of the policies that decided (Cedar's determining policies), or the rule that refused. */
  reasons: readonly string[];
  /** Caller address (REST), peer service (gRPC), or `<service>` for internal work. */
  source: string;
  /** The request's correlation id, the same one its server log lines carry. */
  correlationId?: string;
  /** Failure code when the action was allowed but failed (no message text: it may carry data). */
  errorCode?: string;
}

/** Where enforcement points hand their events; implementations batch (one write per many events). */
export interface AuditRecorder {
  record(events: readonly AuditEvent[]): Promise<void>;
}
