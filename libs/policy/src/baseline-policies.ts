/**
 * What every tenant gets before its own policies (ids `weaver.baseline.*`). Cedar denies what
 * no policy permits, and a `forbid` beats every `permit`, so a tenant's policies can narrow
 * these (forbid) or widen them within its own tenant (permit), never across tenants.
 */
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
