import type { Action, Principal, ResourceRef } from '@weaver/governance';
import { ADMIN_ACCESS } from './admin/admin-access.table';

/** What a route's entry sees of its request: path parameters (REST) or the message (gRPC), and who asks. */
export interface RequestFacts {
  params: Readonly<Record<string, string | undefined>>;
  body: Readonly<Record<string, unknown>>;
  principal: Principal;
}

/** How one gateway route or gRPC method is decided. */
export interface RouteAccess {
  action: Action;
  /** `api-key`: a tenant's API key only; `admin`: the admin token or an API key (a key with the admin role administers its own tenant). */
  credentials: 'api-key' | 'admin';
  resource: (r: RequestFacts) => ResourceRef;
  /**
   * The resource's attributes are the run's (classification, workflow), known once the handler
   * read it: the guard authenticates and hands the handler a RunAccess (run-access.ts) that
   * decides with them, so the run is read once.
   */
  decidedWithRun?: true;
  /** `authorization: Capability <token>` is accepted instead of a key: the token's verification is the decision. */
  capability?: true;
}

const own = (r: RequestFacts): string | undefined => r.principal.tenantId;
const param = (r: RequestFacts, name: string): string => r.params[name] ?? '';
const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const wire = (v: unknown): string[] | undefined => (Array.isArray(v) ? (v as string[]) : undefined);

const runStart = (r: RequestFacts): ResourceRef => ({
  type: 'Run',
  id: text(r.body['runId']) ?? 'new',
  tenantId: own(r),
  workflow: text(r.body['workflow']),
  classification: wire(r.body['classification']),
  owner: r.principal.id,
});
const run = (type: 'Run' | 'Result') => (r: RequestFacts): ResourceRef => ({ type, id: param(r, 'runId'), tenantId: own(r) });
const tenantRoute = (type: ResourceRef['type'], id: (r: RequestFacts) => string) => (r: RequestFacts): ResourceRef => ({ type, id: id(r), tenantId: param(r, 'tenantId') });
const policyRoute = tenantRoute('Policy', (r) => r.params['id'] ?? '*');
const auditRoute = tenantRoute('AuditLog', (r) => r.params['seq'] ?? '*');

/**
 * THE table of the gateway's tenant and admin API: every REST route and gRPC method, keyed
 * `<Controller>.<handler>`, with the action the policy engine decides and the resource it is
 * decided on. GatewayPolicyGuard enforces it on every call before the handler runs; a handler
 * without an entry is refused, and gateway-access.table.spec.ts fails until every handler of
 * every gateway controller has one.
 */
export const GATEWAY_ACCESS: Readonly<Record<string, RouteAccess>> = {
  // Run API (REST)
  'RunsHttpController.start': { action: 'run.start', credentials: 'api-key', resource: runStart },
  'RunsHttpController.list': { action: 'run.list', credentials: 'api-key', resource: (r) => ({ type: 'Run', id: '*', tenantId: own(r) }) },
  'RunsHttpController.get': { action: 'run.read', credentials: 'api-key', resource: run('Run'), decidedWithRun: true },
  'RunsHttpController.result': { action: 'result.read', credentials: 'api-key', resource: run('Result'), decidedWithRun: true, capability: true },
  'RunsHttpController.events': { action: 'run.read', credentials: 'api-key', resource: run('Run'), decidedWithRun: true },
  // A run's model calls from the router's ledger (the console's run view)
  'RunModelCallsHttpController.list': { action: 'run.read', credentials: 'api-key', resource: run('Run'), decidedWithRun: true },
  // Run API (gRPC, weaver.gateway.v1.GatewayService)
  'GatewayGrpcController.startRun': { action: 'run.start', credentials: 'api-key', resource: runStart },
  'GatewayGrpcController.getRun': { action: 'run.read', credentials: 'api-key', resource: (r) => ({ type: 'Run', id: text(r.body['runId']) ?? '', tenantId: own(r) }), decidedWithRun: true },
  'GatewayGrpcController.streamRun': { action: 'run.read', credentials: 'api-key', resource: (r) => ({ type: 'Run', id: text(r.body['runId']) ?? '', tenantId: own(r) }), decidedWithRun: true },
  // Catalogues (the platform's, read with the tenant's key)
  'AdminHttpController.agents': { action: 'agent.list', credentials: 'api-key', resource: (r) => ({ type: 'Workflow', id: '*', tenantId: own(r) }) },
  'AdminHttpController.tools': { action: 'tool.list', credentials: 'api-key', resource: (r) => ({ type: 'Tool', id: '*', tenantId: own(r) }) },
  // Operator routes
  'AdminHttpController.createTenant': { action: 'admin.tenant.create', credentials: 'admin', resource: () => ({ type: 'Tenant', id: 'new' }) },
  'AdminHttpController.registerTriggerKey': { action: 'admin.key.manage', credentials: 'admin', resource: tenantRoute('ApiKey', () => 'trigger-key') },
  'AdminHttpController.revokeTriggerKey': { action: 'admin.key.manage', credentials: 'admin', resource: tenantRoute('ApiKey', (r) => `trigger-key/${param(r, 'keyId')}`) },
  'AdminHttpController.replay': { action: 'dlq.replay', credentials: 'admin', resource: (r) => ({ type: 'DeadLetter', id: param(r, 'group') }) },
  'AdminHttpController.getQuotas': { action: 'admin.tenant.read', credentials: 'admin', resource: tenantRoute('Tenant', (r) => param(r, 'tenantId')) },
  'AdminHttpController.setQuotas': { action: 'admin.tenant.update', credentials: 'admin', resource: tenantRoute('Tenant', (r) => param(r, 'tenantId')) },
  'AdminHttpController.getToolGrants': { action: 'admin.tool-grant.manage', credentials: 'admin', resource: tenantRoute('Tool', () => 'grants') },
  'AdminHttpController.setToolGrants': { action: 'admin.tool-grant.manage', credentials: 'admin', resource: tenantRoute('Tool', (r) => `grants/${param(r, 'agent')}`) },
  // Policies (policy.http-controller.ts)
  'PolicyHttpController.put': { action: 'admin.policy.write', credentials: 'admin', resource: policyRoute },
  'PolicyHttpController.list': { action: 'admin.policy.read', credentials: 'admin', resource: policyRoute },
  'PolicyHttpController.get': { action: 'admin.policy.read', credentials: 'admin', resource: policyRoute },
  'PolicyHttpController.delete': { action: 'admin.policy.write', credentials: 'admin', resource: policyRoute },
  'PolicyHttpController.validate': { action: 'admin.policy.read', credentials: 'admin', resource: policyRoute },
  'PolicyHttpController.explain': { action: 'admin.policy.read', credentials: 'admin', resource: policyRoute },
  // The tenant's PII policy, applied by the router (pii-policy.http-controller.ts)
  'PiiPolicyHttpController.get': { action: 'admin.policy.read', credentials: 'admin', resource: tenantRoute('Policy', () => 'pii') },
  // Usage and cost from the router's ledger (GET /v1/admin/tenants/:tenantId/usage)
  'UsageHttpController.get': { action: 'admin.tenant.read', credentials: 'admin', resource: tenantRoute('Tenant', (r) => param(r, 'tenantId')) },
  'PiiPolicyHttpController.set': { action: 'admin.policy.write', credentials: 'admin', resource: tenantRoute('Policy', () => 'pii') },
  // The audit log (audit.http-controller.ts); tenancy records each read in the log too
  'AuditHttpController.entries': { action: 'admin.audit.read', credentials: 'admin', resource: auditRoute },
  'AuditHttpController.inclusion': { action: 'admin.audit.read', credentials: 'admin', resource: auditRoute },
  'AuditHttpController.consistency': { action: 'admin.audit.read', credentials: 'admin', resource: auditRoute },
  'AuditHttpController.exportBundle': { action: 'admin.audit.read', credentials: 'admin', resource: auditRoute },
  // Run admin and dead letters (runs-admin.http-controller.ts, dead-letters.http-controller.ts; issue 12 item 2).
  // Admin lists: the admin token across tenants; a tenant's admin key only its own (the handler narrows to it).
  'RunsAdminHttpController.list': { action: 'admin.run.read', credentials: 'admin', resource: (r) => ({ type: 'Run', id: '*', tenantId: own(r) }) },
  'RunsAdminHttpController.cancel': { action: 'run.cancel', credentials: 'api-key', resource: run('Run'), decidedWithRun: true },
  'RunsAdminHttpController.retry': { action: 'run.retry', credentials: 'api-key', resource: run('Run'), decidedWithRun: true },
  'DeadLettersHttpController.list': { action: 'dlq.read', credentials: 'admin', resource: (r) => ({ type: 'DeadLetter', id: '*', tenantId: own(r) }) },
  'DeadLettersHttpController.get': { action: 'dlq.read', credentials: 'admin', resource: (r) => ({ type: 'DeadLetter', id: param(r, 'id'), tenantId: own(r) }) },
  'DeadLettersHttpController.replay': { action: 'dlq.replay', credentials: 'admin', resource: (r) => ({ type: 'DeadLetter', id: param(r, 'id'), tenantId: own(r) }) },
  'DeadLettersHttpController.replayMany': { action: 'dlq.replay', credentials: 'admin', resource: (r) => ({ type: 'DeadLetter', id: '*', tenantId: own(r) }) },
  'DeadLettersHttpController.discard': { action: 'dlq.discard', credentials: 'admin', resource: (r) => ({ type: 'DeadLetter', id: param(r, 'id'), tenantId: own(r) }) },
  // The same over gRPC (weaver.gateway.v1.RunAdminService; API keys only, the key's own tenant).
  'RunAdminGrpcController.listRuns': { action: 'admin.run.read', credentials: 'admin', resource: (r) => ({ type: 'Run', id: '*', tenantId: own(r) }) },
  'RunAdminGrpcController.cancelRun': { action: 'run.cancel', credentials: 'api-key', resource: (r) => ({ type: 'Run', id: text(r.body['runId']) ?? '', tenantId: own(r) }), decidedWithRun: true },
  'RunAdminGrpcController.retryRun': { action: 'run.retry', credentials: 'api-key', resource: (r) => ({ type: 'Run', id: text(r.body['runId']) ?? '', tenantId: own(r) }), decidedWithRun: true },
  'RunAdminGrpcController.listDeadLetters': { action: 'dlq.read', credentials: 'admin', resource: (r) => ({ type: 'DeadLetter', id: '*', tenantId: own(r) }) },
  'RunAdminGrpcController.getDeadLetter': { action: 'dlq.read', credentials: 'admin', resource: (r) => ({ type: 'DeadLetter', id: text(r.body['id']) ?? '', tenantId: own(r) }) },
  'RunAdminGrpcController.replayDeadLetter': { action: 'dlq.replay', credentials: 'admin', resource: (r) => ({ type: 'DeadLetter', id: text(r.body['id']) ?? '', tenantId: own(r) }) },
  'RunAdminGrpcController.replayDeadLetters': { action: 'dlq.replay', credentials: 'admin', resource: (r) => ({ type: 'DeadLetter', id: '*', tenantId: own(r) }) },
  'RunAdminGrpcController.discardDeadLetter': { action: 'dlq.discard', credentials: 'admin', resource: (r) => ({ type: 'DeadLetter', id: text(r.body['id']) ?? '', tenantId: own(r) }) },
  'AuditHttpController.signingKey': { action: 'admin.audit.read', credentials: 'admin', resource: () => ({ type: 'AuditLog', id: 'signing-key' }) },
  // The admin API: tenants, keys, budgets, quotas and usage over gRPC, agents and instances (admin/admin-access.table.ts)
  ...ADMIN_ACCESS,
};
