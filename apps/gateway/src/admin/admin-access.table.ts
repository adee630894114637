import { ValidationError } from '@weaver/errors';
import type { Action, ResourceRef } from '@weaver/governance';
import { isUuid } from '@weaver/persistence';
import type { RequestFacts, RouteAccess } from '../gateway-access.table';

/**
 * The tenant a call names: the REST path's `tenantId`, or the gRPC message's. Checked here,
 * before the decision (which loads that tenant's policies), so a malformed id is a 400 naming
 * the field, the same rule as the route's schema, on both transports.
 */
function tenantOf(r: RequestFacts): string {
  const id = r.params['tenantId'] ?? (typeof r.body['tenantId'] === 'string' ? r.body['tenantId'] : '');
  if (!isUuid(id)) throw new ValidationError([{ field: 'tenantId', rule: "must be a UUID (the tenant's id)" }], r.params['tenantId'] === undefined ? 'message' : 'path');
  return id;
}
const named = (r: RequestFacts, name: string): string => r.params[name] ?? (typeof r.body[name] === 'string' ? (r.body[name] as string) : '');

const tenant = (r: RequestFacts): ResourceRef => ({ type: 'Tenant', id: tenantOf(r), tenantId: tenantOf(r) });
const key = (id: (r: RequestFacts) => string) => (r: RequestFacts): ResourceRef => ({ type: 'ApiKey', id: id(r), tenantId: tenantOf(r) });
/** Platform-level: no tenant owns the tenant list, a new tenant or a shared agent instance. */
const platform = (type: ResourceRef['type'], id: (r: RequestFacts) => string) => (r: RequestFacts): ResourceRef => ({ type, id: id(r) });
const entry = (action: Action, resource: RouteAccess['resource']): RouteAccess => ({ action, credentials: 'admin', resource });

/**
 * The admin API's operations (issue 12 item 2): action and resource of each, the same for its
 * REST route and its gRPC method. Spread into GATEWAY_ACCESS, the gateway's one access table;
 * who holds each action is the baseline policies' (docs/security.md "Admin roles").
 */
const OPERATIONS: Readonly<Record<string, RouteAccess>> = {
  createTenant: entry('admin.tenant.create', platform('Tenant', () => 'new')),
  listTenants: entry('admin.tenant.list', platform('Tenant', () => '*')),
  getTenant: entry('admin.tenant.read', tenant),
  suspendTenant: entry('admin.tenant.suspend', tenant),
  resumeTenant: entry('admin.tenant.suspend', tenant),
  deleteTenant: entry('admin.tenant.delete', tenant),
  createApiKey: entry('admin.key.manage', key(() => 'new')),
  listApiKeys: entry('admin.key.read', key(() => '*')),
  revokeApiKey: entry('admin.key.manage', key((r) => named(r, 'keyId'))),
  rotateApiKey: entry('admin.key.manage', key((r) => named(r, 'keyId'))),
  getBudget: entry('admin.tenant.read', tenant),
  setBudget: entry('admin.budget.write', tenant),
  // The agent catalogue is the platform's, read for the caller's own tenant (a key's) or any (the token).
  listAgentInstances: entry('admin.agent.read', (r) => ({ type: 'Workflow', id: '*', tenantId: r.principal.tenantId })),
  drainInstance: entry('admin.agent.drain', platform('Workflow', (r) => `instance/${named(r, 'instanceId')}`)),
  // gRPC only (REST: the existing quota and usage routes, same actions)
  getQuotas: entry('admin.tenant.read', tenant),
  setQuotas: entry('admin.tenant.update', tenant),
  getUsage: entry('admin.tenant.read', tenant),
};

const REST = { TenantsAdminHttpController: ['createTenant', 'listTenants', 'getTenant', 'suspendTenant', 'resumeTenant', 'deleteTenant', 'createApiKey', 'listApiKeys', 'revokeApiKey', 'rotateApiKey'], OperationsAdminHttpController: ['getBudget', 'setBudget', 'listAgentInstances', 'drainInstance'] };
/** gRPC method (handler) → operation, where the names differ. */
const GRPC: Record<string, string> = { listAgents: 'listAgentInstances' };
const GRPC_METHODS = ['createTenant', 'listTenants', 'getTenant', 'suspendTenant', 'resumeTenant', 'deleteTenant', 'createApiKey', 'listApiKeys', 'revokeApiKey', 'rotateApiKey', 'getBudget', 'setBudget', 'getQuotas', 'setQuotas', 'getUsage', 'listAgents', 'drainInstance'];

export const ADMIN_ACCESS: Readonly<Record<string, RouteAccess>> = Object.fromEntries([
  ...Object.entries(REST).flatMap(([controller, handlers]) => handlers.map((h) => [`${controller}.${h}`, OPERATIONS[h]!] as const)),
  ...GRPC_METHODS.map((m) => [`AdminGrpcController.${m}`, OPERATIONS[GRPC[m] ?? m]!] as const),
]);
