import type { audit, registry, tenancy } from '@weaver/contracts';

export const GATEWAY_CLIENTS = Symbol('gateway.clients');
export const GATEWAY_KAFKA = Symbol('gateway.kafka');

export interface GatewayClients {
  tenancy: tenancy.TenancyServiceClient;
  registry: registry.RegistryServiceClient;
  /** The audit log's AuditService, served by tenancy (same address, TENANCY_URL). */
  audit: audit.AuditServiceClient;
  close(): void;
}
