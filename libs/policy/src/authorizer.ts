import { randomUUID } from 'node:crypto';
import { PermissionDeniedError } from '@weaver/errors';
import type { AuditEvent, AuditRecorder } from '@weaver/governance';
import type { DecisionRequest } from './entities';
import { PolicyEngine, type Decision } from './policy-engine';
import type { PolicySource } from './policy-source';

/** Where the request came from, for the audit trail. */
export interface RequestOrigin {
  /** Caller address (REST), peer service (gRPC), or the service doing internal work. */
  source: string;
  correlationId?: string;
}

/** The reason an audit entry gives for a denial nothing forbade. */
export const DEFAULT_DENY = 'weaver.default-deny';

/** The safe refusal: the action and the determining policies, never the data or the resource's id. */
export function deniedError(req: DecisionRequest, d: Decision): PermissionDeniedError {
  const why = d.policies.length ? `forbidden by policy ${d.policies.join(', ')}` : 'no policy permits it (denied by default)';
  return new PermissionDeniedError(`${req.action} on ${req.resource.type} denied: ${why}`, { action: req.action, policies: d.policies.length ? d.policies : [DEFAULT_DENY] });
}

/**
 * An enforcement point's one call: loads the tenant's set through the source (cached there, so
 * a request normally pays no round trip), decides, and hands the audit event to the recorder
 * without waiting for it (the recorder batches; a failed hand-over is reported to onError, not
 * thrown). The source answers from its cache (a resolved promise) except once per TTL per
 * tenant, when one request waits for a version check; a new version applies within the TTL.
 */
export class Authorizer {
  constructor(
    readonly engine: PolicyEngine,
    private readonly source: PolicySource,
    private readonly recorder: AuditRecorder,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  async decide(req: DecisionRequest, origin: RequestOrigin): Promise<Decision> {
    const tenantId = PolicyEngine.tenantOf(req);
    if (tenantId) await this.refresh(tenantId);
    const decision = this.engine.decide(req);
    this.record(req, decision, origin);
    return decision;
  }

  /** decide, then throw PermissionDeniedError on deny. */
  async authorize(req: DecisionRequest, origin: RequestOrigin): Promise<Decision> {
    const decision = await this.decide(req, origin);
    if (!decision.allowed) throw deniedError(req, decision);
    return decision;
  }

  /** Loads the tenant's current set (the source caches; the engine re-parses only on a new version). */
  async refresh(tenantId: string): Promise<void> {
    const set = await this.source.setOf(tenantId);
    this.engine.load(tenantId, set.version, set.policies);
  }

  private record(req: DecisionRequest, d: Decision, origin: RequestOrigin): void {
    const event: AuditEvent = {
      id: randomUUID(),
      tenantId: d.tenantId || req.principal.tenantId || '',
      at: new Date().toISOString(),
      principal: req.principal,
      action: req.action,
      resource: req.resource,
      decision: d.allowed ? 'allow' : 'deny',
      reasons: d.policies.length ? d.policies : d.allowed ? [] : [DEFAULT_DENY],
      source: origin.source,
      ...(origin.correlationId ? { correlationId: origin.correlationId } : {}),
    };
    this.recorder.record([event]).catch(this.onError);
  }
}
