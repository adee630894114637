import type { ServiceIdentity } from './service-identity';

/** Who may call one gRPC method. */
export interface AccessRule {
  /**
   * The identities (from their mTLS certificates) that may call it, or 'public' for the
   * gateway's tenant-facing API, which authenticates with the tenant's API key instead.
   */
  readonly callers: readonly ServiceIdentity[] | 'public';
  /**
   * The method acts for one tenant. The tenant is taken from the call metadata entry
   * `weaver-tenant-id` (tenantOf), which only the callers above can set; request fields
   * naming a tenant are ignored. Absent → the entry is stripped before the handler runs.
   */
  readonly tenant?: true;
}

/** Rules of one service's methods, keyed by the proto method name. */
type ServiceRules = Readonly<Record<string, AccessRule>>;

const GATEWAY: readonly ServiceIdentity[] = ['gateway'];
const RUNNER: readonly ServiceIdentity[] = ['agent-runner'];
/** Operator work (admin API, CLI, tests): the gateway on an admin's behalf, or an operator certificate. */
const ADMIN: readonly ServiceIdentity[] = ['gateway', 'operator'];

/**
 * THE authorisation table of every internal gRPC method: which service identity may call it
 * and whether it acts for a tenant. Enforced once, in the gRPC server interceptor
 * (grpcAccessInterceptor) of every service, before any handler; a method missing here is
 * denied (PERMISSION_DENIED), and grpc-access.table.spec.ts fails until every method of every
 * proto service has a rule. Derived from the actual callers in apps/ and libs/:
 *  - gateway → tenancy ResolveApiKey (every API key), CreateTenant (admin route);
 *    gateway → registry ListAgents (GET /v1/agents), ListTools (GET /v1/tools);
 *  - router, publisher → tenancy GetQuotas (the quotas they enforce, cached);
 *  - router → tenancy ResolveApiKey (the keys of its OpenAI-compatible API, cached);
 *  - gateway, router, agent-runner → PolicyService GetPolicySet (the policies they enforce, cached);
 *  - agent-runner → router Generate*, Embed (this.llm), publisher PutResult (step results),
 *    registry Register*, Heartbeat, Deregister, ReportTools (RegistryPresence), discovery reads;
 *  - everything else is operator work (ADMIN).
 */
export const GRPC_ACCESS_RULES: Readonly<Record<string, ServiceRules>> = {
  'weaver.gateway.v1.GatewayService': {
    StartRun: { callers: 'public' },
    GetRun: { callers: 'public' },
    StreamRun: { callers: 'public' },
  },
  // The gateway's runs admin: tenant-facing like GatewayService (API keys, decided by its policy guard).
  'weaver.gateway.v1.RunAdminService': {
    ListRuns: { callers: 'public' },
    CancelRun: { callers: 'public' },
    RetryRun: { callers: 'public' },
    ListDeadLetters: { callers: 'public' },
    GetDeadLetter: { callers: 'public' },
    ReplayDeadLetter: { callers: 'public' },
    ReplayDeadLetters: { callers: 'public' },
    DiscardDeadLetter: { callers: 'public' },
  },
  // The admin API over gRPC (served by the gateway): authenticated by the admin token or a
  // tenant key and decided by the gateway's access table, like the REST admin routes.
  'weaver.gateway.v1.AdminService': Object.fromEntries(
    ['CreateTenant', 'ListTenants', 'GetTenant', 'SuspendTenant', 'ResumeTenant', 'DeleteTenant', 'CreateApiKey', 'ListApiKeys', 'RevokeApiKey', 'RotateApiKey', 'GetBudget', 'SetBudget', 'GetQuotas', 'SetQuotas', 'GetUsage', 'ListAgents', 'DrainInstance'].map((m) => [m, { callers: 'public' } as const]),
  ),
  'weaver.tenancy.v1.TenancyService': {
    // Minting keys and tenants is admin work; only the gateway turns an API key into a tenant.
    CreateTenant: { callers: ADMIN },
    GetTenant: { callers: ADMIN, tenant: true },
    // The router resolves the keys of its OpenAI-compatible API (cached, like the gateway).
    ResolveApiKey: { callers: [...GATEWAY, 'router'] },
    CreateApiKey: { callers: ADMIN, tenant: true },
    RevokeApiKey: { callers: ADMIN, tenant: true },
    // A tenant's public keys for signed `kafka:` triggers: registered by an admin, read by the
    // runner's dispatcher (TenantGate) to verify a record's signature.
    RegisterTriggerKey: { callers: ADMIN, tenant: true },
    RevokeTriggerKey: { callers: ADMIN, tenant: true },
    ListTriggerKeys: { callers: ['agent-runner', 'gateway', 'operator'], tenant: true },
    // Quotas: read (cached) by the gateway on intake, the router when it bills (tokens_per_day,
    // budget_usd) and the publisher on puts (stored_bytes); set by an admin.
    GetQuotas: { callers: ['gateway', 'operator', 'router', 'publisher'], tenant: true },
    SetQuotas: { callers: ADMIN, tenant: true },
    // Admin API (issue 12): the tenant list is platform-wide; the rest act for one tenant.
    ListTenants: { callers: ADMIN },
    ChangeTenantState: { callers: ADMIN, tenant: true },
    ListApiKeys: { callers: ADMIN, tenant: true },
    RotateApiKey: { callers: ADMIN, tenant: true },
  },
  // The audit log (served by tenancy): read by admins through the gateway or by operators; every
  // call is itself audited (admin.audit.read). The signing key is public: anyone listed may fetch it.
  'weaver.audit.v1.AuditService': {
    ListEntries: { callers: ADMIN, tenant: true },
    GetInclusionProof: { callers: ADMIN, tenant: true },
    GetConsistencyProof: { callers: ADMIN, tenant: true },
    ExportBundle: { callers: ADMIN, tenant: true },
    GetSigningKey: { callers: ADMIN },
  },
  // Tenants' Cedar policies (served by tenancy): managed by an admin through the gateway's admin
  // routes; the current set fetched (by version, cached) by every enforcing service.
  'weaver.policy.v1.PolicyService': {
    PutPolicy: { callers: ADMIN, tenant: true },
    GetPolicy: { callers: ADMIN, tenant: true },
    ListPolicies: { callers: ADMIN, tenant: true },
    DeletePolicy: { callers: ADMIN, tenant: true },
    ValidatePolicy: { callers: ADMIN },
    GetPolicySet: { callers: ['gateway', 'router', 'agent-runner', 'operator'], tenant: true },
  },
  'weaver.router.v1.RouterService': {
    Generate: { callers: RUNNER, tenant: true },
    GenerateStream: { callers: RUNNER, tenant: true },
    Embed: { callers: RUNNER, tenant: true },
    GetUsage: { callers: ADMIN, tenant: true },
    SetBudget: { callers: ADMIN, tenant: true },
    // PII policies (admin API: GET/PUT /v1/admin/tenants/:tenantId/pii-policy, or an operator).
    GetPiiPolicy: { callers: ADMIN, tenant: true },
    SetPiiPolicy: { callers: ADMIN, tenant: true },
    // A run's model calls (GET /v1/runs/:runId/model-calls: the gateway, for the run's tenant).
    ListModelCalls: { callers: ADMIN, tenant: true },
  },
  'weaver.publisher.v1.PublisherService': {
    PutResult: { callers: RUNNER, tenant: true },
    // Also gated by the capability token (publisher-core); the gateway serves results to tenants.
    GetResult: { callers: ['gateway', 'agent-runner', 'operator'], tenant: true },
  },
  'weaver.registry.v1.RegistryService': {
    RegisterAgent: { callers: RUNNER },
    RegisterInstance: { callers: RUNNER },
    Heartbeat: { callers: RUNNER },
    // A runner deregisters itself on clean shutdown; operators remove dead instances.
    Deregister: { callers: ['agent-runner', 'gateway', 'operator'] },
    DrainInstance: { callers: ADMIN },
    ListAgents: { callers: ['gateway', 'agent-runner', 'operator'] },
    ListInstances: { callers: ['gateway', 'agent-runner', 'operator'] },
    WhatRunsNext: { callers: ['gateway', 'agent-runner', 'operator'] },
    // MCP servers a runner discovered (platform-level, like definitions): reported by runners, read for GET /v1/tools.
    ReportTools: { callers: RUNNER },
    ListTools: { callers: ['gateway', 'agent-runner', 'operator'] },
  },
};

/** The rule of a grpc-js method path ("/weaver.tenancy.v1.TenancyService/CreateApiKey"), if any. */
export function accessRuleOf(path: string, rules = GRPC_ACCESS_RULES): AccessRule | undefined {
  const match = /^\/([^/]+)\/([^/]+)$/.exec(path);
  if (!match) return undefined;
  const [, service = '', method = ''] = match;
  return Object.hasOwn(rules, service) && Object.hasOwn(rules[service] ?? {}, method) ? rules[service]?.[method] : undefined;
}
