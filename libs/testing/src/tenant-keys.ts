/**
 * For tests that are not about tenancy (they make tenant ids with randomUUID): every tenant
 * exists and has no trigger keys, so gateway-style triggers run and unsigned `kafka:` records
 * are still refused. Shaped as agent-runtime's `TenantKeys`; use it as `new TenantGate(everyTenantExists)`.
 * Tenant verification itself is tested against the real tenancy schema (kafka-trigger.int-spec.ts).
 */
export const everyTenantExists = {
  triggerKeys: async (): Promise<ReadonlyArray<{ keyId: string; publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string } }>> => [],
};
