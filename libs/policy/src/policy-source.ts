import type { TenantPolicy } from './policy-validation';

/** A tenant's policies at one version (0: none of its own, the baseline alone). */
export interface PolicySet {
  version: number;
  policies: readonly TenantPolicy[];
}

/** Where an enforcement point gets a tenant's current set (cached by the implementation). */
export interface PolicySource {
  setOf(tenantId: string): Promise<PolicySet>;
}

/** Only the baseline for every tenant (unit tests; processes without tenancy). */
export const BASELINE_ONLY: PolicySource = { setOf: async () => ({ version: 0, policies: [] }) };

/** Fixed sets per tenant (tests). */
export class StaticPolicySource implements PolicySource {
  private readonly sets = new Map<string, PolicySet>();

  put(tenantId: string, policies: readonly TenantPolicy[]): void {
    this.sets.set(tenantId, { version: (this.sets.get(tenantId)?.version ?? 0) + 1, policies });
  }

  async setOf(tenantId: string): Promise<PolicySet> {
    return this.sets.get(tenantId) ?? { version: 0, policies: [] };
  }
}
