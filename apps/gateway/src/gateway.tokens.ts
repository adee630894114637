import type { registry, router, tenancy } from '@weaver/contracts';

export const GATEWAY_CLIENTS = Symbol('gateway.clients');
export const GATEWAY_KAFKA = Symbol('gateway.kafka');

export interface GatewayClients {
  tenancy: tenancy.TenancyServiceClient;
  registry: registry.RegistryServiceClient;
  /** PII policies (admin API); the gateway makes no model calls. */
  router: router.RouterServiceClient;
  close(): void;
}
