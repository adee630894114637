import type { audit, policy, registry, router, tenancy } from '@weaver/contracts';

export const GATEWAY_CLIENTS = Symbol('gateway.clients');
export const GATEWAY_KAFKA = Symbol('gateway.kafka');

export interface GatewayClients {
  tenancy: tenancy.TenancyServiceClient;
  registry: registry.RegistryServiceClient;
  /** The audit log's AuditService, served by tenancy (same address, TENANCY_URL). */
  audit: audit.AuditServiceClient;
  /** PolicyService (served by tenancy): the admin policy routes and the policy sets the guard enforces. */
  policy: policy.PolicyServiceClient;
  /** PII policies (admin API); the gateway makes no model calls. */
  router: router.RouterServiceClient;
  close(): void;
}
