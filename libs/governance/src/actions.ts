/**
 * The vocabulary of who may do what: one list of actions shared by the policy engine (Cedar
 * action ids `Weaver::Action::"<action>"`), the audit trail (`AuditEvent.action`) and the
 * enforcement points (REST routes, gRPC methods, model and tool calls). An action not listed
 * here cannot be allowed: there is no policy text that could name it.
 */
export const ACTIONS = [
  'run.start',
  'run.read',
  'run.list',
  'run.cancel',
  'run.retry',
  'result.read',
  'model.call',
  'tool.call',
  'tool.list',
  'agent.list',
  'memory.read',
  'memory.write',
  'dlq.replay',
  'dlq.read',
  'dlq.discard',
  'admin.run.read',
  'admin.tenant.create',
  'admin.tenant.read',
  'admin.tenant.update',
  'admin.tenant.delete',
  'admin.key.manage',
  'admin.policy.read',
  'admin.policy.write',
  'admin.audit.read',
  'admin.tool-grant.manage',
  'admin.erasure',
  // The admin API (issue 12, docs/security.md "Admin roles")
  'admin.tenant.list',
  'admin.tenant.suspend',
  'admin.key.read',
  'admin.budget.write',
  'admin.agent.read',
  'admin.agent.drain',
] as const;
export type Action = (typeof ACTIONS)[number];

export function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}

/** Who acts: a tenant's API key, a person (console / SSO, later), a Weaver service, or an agent in a run. */
export const PRINCIPAL_TYPES = ['ApiKey', 'User', 'Service', 'Agent', 'Admin'] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

export interface Principal {
  type: PrincipalType;
  /** Stable id: the key's id (never the key), the user, the service name, `<workflow>/<agent>`. */
  id: string;
  /** The tenant it acts for; absent for platform admins and services acting for all tenants. */
  tenantId?: string;
  /** Roles (admin / operator / runner / reader …) and other attributes policies may test. */
  roles?: readonly string[];
}

/** What is acted on: its type and id plus the attributes policies decide by. */
export interface ResourceRef {
  type: 'Run' | 'Result' | 'Model' | 'Tool' | 'Memory' | 'Workflow' | 'Tenant' | 'ApiKey' | 'Policy' | 'AuditLog' | 'DeadLetter';
  id: string;
  /** The tenant that owns it; absent for platform-level resources (dead-letter groups, the tenant list). */
  tenantId?: string;
  /** Tools: the MCP server the tool is on (the id is `<server>/<tool>`). */
  server?: string;
  /** Wire classification of the data involved (see classification.ts). */
  classification?: readonly string[];
  workflow?: string;
  /** The principal that created it, where known (runs: the starting key). */
  owner?: string;
}
