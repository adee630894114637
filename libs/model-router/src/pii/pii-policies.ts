import type { DataSource } from 'typeorm';
import { FailedPreconditionError, ValidationError } from '@weaver/errors';
import { parsePiiPolicy, PII_TYPES, type PiiPolicy, type PiiPolicyInput } from '@weaver/pii';
import { withTenant } from '@weaver/persistence';
import { LoadingCache } from '@weaver/resilience';
import { PiiPolicyStore } from './pii-policy-store';

/** The policy the router applies to a tenant's calls, and where it comes from. */
export interface TenantPiiPolicy {
  /** Effective: an action for every entity type. */
  readonly policy: PiiPolicy;
  /** `tenant`: its row of router.pii_policies; `installation`: ROUTER_PII_POLICY (no row). */
  readonly source: 'tenant' | 'installation';
  /** The row's version (0 for the installation default). */
  readonly version: number;
  /** As the tenant wrote it (`default` plus overrides); absent for the installation default. */
  readonly stored?: PiiPolicyInput;
  readonly updatedAt?: Date;
}

export interface PiiPoliciesOptions {
  /** The installation default (ROUTER_PII_POLICY, validated at start). */
  readonly installationDefault: PiiPolicy;
  /** How long a replica applies a policy before reading it again (ROUTER_PII_POLICY_CACHE_TTL_MS). */
  readonly ttlMs: number;
  /** Whether `tokenise` can be honoured (the router has tenants' data keys). */
  readonly canTokenise: boolean;
  readonly now?: () => number;
}

const usesTokenise = (p: PiiPolicyInput): boolean => Object.values(p).includes('tokenise');

/**
 * Tenants' PII policies, cached per process like quotas (QuotaCache's LoadingCache): a call
 * costs a map lookup; the table is read once per tenant per TTL (concurrent misses share it).
 * SetPiiPolicy applies at once on the replica that took it and within the TTL on the others.
 */
export class PiiPolicies {
  private readonly store = new PiiPolicyStore();
  private readonly cache: LoadingCache<TenantPiiPolicy>;

  constructor(
    private readonly ds: DataSource,
    private readonly opts: PiiPoliciesOptions,
  ) {
    this.cache = new LoadingCache((tenantId) => this.load(tenantId), opts.ttlMs, 10_000, opts.now);
  }

  readonly get = (tenantId: string): Promise<TenantPiiPolicy> => this.cache.get(tenantId.toLowerCase());

  /** Validates (errors name `policy.<type>` and the rule), stores, and applies it here at once. */
  async set(tenantId: string, input: unknown, expectedVersion?: number): Promise<TenantPiiPolicy> {
    const policy = parsePiiPolicy(input, 'policy');
    const stored = input as PiiPolicyInput;
    if (!this.opts.canTokenise && usesTokenise(stored)) {
      throw new ValidationError([{ field: 'policy', rule: 'tokenise needs per-tenant data keys, and encryption is off on this router (WEAVER_ENCRYPTION=off): use mask or refuse' }], 'PII policy');
    }
    const row = await withTenant(this.ds, tenantId, (em) => this.store.set(em, tenantId, stored, expectedVersion));
    const out: TenantPiiPolicy = { policy, source: 'tenant', version: row.version, stored: row.policy, updatedAt: row.updatedAt };
    this.cache.remember(tenantId.toLowerCase(), out);
    return out;
  }

  forget(tenantId: string): void {
    this.cache.forget(tenantId.toLowerCase());
  }

  private async load(tenantId: string): Promise<TenantPiiPolicy> {
    const row = await withTenant(this.ds, tenantId, (em) => this.store.get(em, tenantId));
    if (!row) return { policy: this.withoutKeys(this.opts.installationDefault), source: 'installation', version: 0 };
    let policy: PiiPolicy;
    try {
      policy = parsePiiPolicy(row.policy, 'policy');
    } catch (err) {
      // Fail closed: a row an older or newer router wrote that this one cannot read sends nothing.
      const why = err instanceof ValidationError ? err.message : String(err);
      throw new FailedPreconditionError(`the tenant's stored PII policy (version ${row.version}) is not valid here: ${why}; set it again`, { reason: 'PII_POLICY_INVALID' });
    }
    return { policy: this.withoutKeys(policy), source: 'tenant', version: row.version, stored: row.policy, updatedAt: row.updatedAt };
  }

  /** Without data keys (encryption turned off after a tokenise policy was set) a tokenised type is masked: the provider still never sees it. */
  private withoutKeys(policy: PiiPolicy): PiiPolicy {
    if (this.opts.canTokenise) return policy;
    const out = { ...policy };
    for (const t of PII_TYPES) if (out[t] === 'tokenise') out[t] = 'mask';
    return out;
  }
}
