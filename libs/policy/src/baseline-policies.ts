/**
 * What every tenant gets before its own policies (ids `weaver.baseline.*`). Cedar denies what
 * no policy permits, and a `forbid` beats every `permit`, so a tenant's policies can narrow
 * these (forbid) or widen them within its own tenant (permit), never across tenants.
 */
/** What the operator role may do on its own tenant (docs/security.md "Admin roles"). */
export const OPERATOR_ACTIONS = ['admin.tenant.read', 'admin.key.read', 'admin.budget.write', 'admin.agent.read', 'agent.list', 'tool.list'] as const;
/** Actions only the platform admin (admin token) may take, whatever a tenant's policies say. */
export const PLATFORM_ACTIONS = ['admin.tenant.create', 'admin.tenant.list', 'admin.tenant.suspend', 'admin.tenant.delete', 'admin.tenant.update', 'admin.agent.drain'] as const;
const A = (...actions: string[]): string => `[${actions.map((a) => `Weaver::Action::"${a}"`).join(', ')}]`;

export const BASELINE_POLICIES: Readonly<Record<string, string>> = {
  // Nothing crosses tenants; only platform admins (the admin token) act on any tenant.
  'weaver.baseline.tenant-boundary': `forbid (principal, action, resource)
unless { principal is Weaver::Admin || principal.tenant == resource.tenant };`,
  // A key with the runner role (every key's default) starts, reads and lists its tenant's runs and results.
  'weaver.baseline.runner': `permit (principal is Weaver::ApiKey, action in ${A('run.start', 'run.read', 'run.list', 'run.cancel', 'run.retry', 'result.read', 'tool.list', 'agent.list')}, resource)
when { principal.roles.contains("runner") };`,
  // A runner key calls its tenant's models through the router's OpenAI-compatible API (model.call decided for the key, not an agent).
  'weaver.baseline.runner-models': `permit (principal is Weaver::ApiKey, action == Weaver::Action::"model.call", resource)
when { principal.roles.contains("runner") };`,
  // A reader key only reads.
  'weaver.baseline.reader': `permit (principal is Weaver::ApiKey, action in ${A('run.read', 'run.list', 'result.read', 'tool.list', 'agent.list')}, resource)
when { principal.roles.contains("reader") };`,
  // An operator key runs its tenant day to day: reads the tenant, its keys (no secrets), usage and
  // quotas, sets its budget, sees agents and their instances. It mints no keys and changes no policy.
  'weaver.baseline.operator': `permit (principal is Weaver::ApiKey, action in ${A(...OPERATOR_ACTIONS)}, resource)
when { principal.roles.contains("operator") };`,
  // What shapes the platform for every tenant is the platform admin's alone (the admin token):
  // creating, listing, suspending and deleting tenants, quotas (they protect the platform, not
  // the tenant), draining shared agent instances. A forbid, so no tenant policy can widen it.
  'weaver.baseline.platform-only': `forbid (principal, action in ${A(...PLATFORM_ACTIONS)}, resource)
unless { principal is Weaver::Admin };`,
  // Administrative actions need the admin role (admin-token holders have it; a tenant key with it administers its own tenant).
  'weaver.baseline.admin': `permit (principal, action in Weaver::Action::"admin", resource)
when { principal.roles.contains("admin") };`,
  // A capability token (verified by the gateway against the run) grants reading that run's result.
  'weaver.baseline.capability': `permit (principal is Weaver::Service, action == Weaver::Action::"result.read", resource)
when { principal.roles.contains("capability") };`,
  // An agent in a run calls its tenant's models, tools and memory and starts runs.
  'weaver.baseline.agent': `permit (principal is Weaver::Agent, action in ${A('model.call', 'tool.call', 'tool.list', 'memory.read', 'memory.write', 'run.start')}, resource);`,
};

export const DEFAULT_KEY_ROLES: readonly string[] = ['runner'];
export const ADMIN_ROLE = 'admin';
/** The role of the Service principal a verified capability token makes its holder. */
export const CAPABILITY_ROLE = 'capability';
