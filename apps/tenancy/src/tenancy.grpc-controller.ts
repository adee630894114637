import { Controller } from '@nestjs/common';
import { tenancy } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import { QUOTA_FIELDS, QuotaStore, TenantDirectory, type Tenant, type TenantQuotas, type TenantTier } from '@weaver/tenancy-core';

const { TenantTier: Tier } = tenancy;

function tierOf(tier: tenancy.TenantTier | undefined): TenantTier {
  switch (tier) {
    case undefined:
    case Tier.TENANT_TIER_UNSPECIFIED:
    case Tier.TENANT_TIER_STANDARD:
      return 'standard';
    case Tier.TENANT_TIER_ISOLATED:
      return 'isolated';
    default:
      throw new ValidationError([{ field: 'tier', rule: 'must be TENANT_TIER_STANDARD or TENANT_TIER_ISOLATED' }]);
  }
}

const quotasToProto = (q: TenantQuotas): tenancy.GetQuotasResponse => ({ quotas: { ...q.quotas }, overrides: { ...q.overrides } });

const toProto = (t: Tenant): tenancy.Tenant => ({
  tenantId: t.id,
  name: t.name,
  tier: t.tier === 'isolated' ? Tier.TENANT_TIER_ISOLATED : Tier.TENANT_TIER_STANDARD,
  createdAtMs: t.createdAt.getTime(),
});

/**
 * weaver.tenancy.v1.TenancyService. Internal: the gateway authenticates callers and calls this
 * over the service network; no API key is checked here.
 */
@Controller()
@tenancy.TenancyServiceControllerMethods()
export class TenancyGrpcController implements tenancy.TenancyServiceController {
  constructor(
    private readonly directory: TenantDirectory,
    private readonly quotas: QuotaStore,
  ) {}

  async createTenant(req: tenancy.CreateTenantRequest): Promise<tenancy.CreateTenantResponse> {
    const created = await this.directory.createTenant({ name: req.name, tier: tierOf(req.tier ?? undefined) });
    return { tenant: toProto(created.tenant), apiKey: created.apiKey, keyId: created.keyId };
  }

  async getTenant(req: tenancy.GetTenantRequest): Promise<tenancy.GetTenantResponse> {
    return { tenant: toProto(await this.directory.getTenant(req.tenantId)) };
  }

  async resolveApiKey(req: tenancy.ResolveApiKeyRequest): Promise<tenancy.ResolveApiKeyResponse> {
    return this.directory.resolveApiKey(req.apiKey);
  }

  async createApiKey(req: tenancy.CreateApiKeyRequest): Promise<tenancy.CreateApiKeyResponse> {
    return this.directory.createApiKey(req.tenantId, req.name);
  }

  async revokeApiKey(req: tenancy.RevokeApiKeyRequest): Promise<tenancy.RevokeApiKeyResponse> {
    await this.directory.revokeApiKey(req.tenantId, req.keyId);
    return {};
  }

  async getQuotas(req: tenancy.GetQuotasRequest): Promise<tenancy.GetQuotasResponse> {
    return quotasToProto(await this.quotas.get(req.tenantId));
  }

  async setQuotas(req: tenancy.SetQuotasRequest): Promise<tenancy.SetQuotasResponse> {
    // Only quota fields actually present: the loader adds `_name` keys for proto3 optional fields.
    const given = (req.set ?? {}) as Record<string, unknown>;
    const set = Object.fromEntries(QUOTA_FIELDS.flatMap((f) => (given[f.name] === undefined || given[f.name] === null ? [] : [[f.name, given[f.name]]])));
    return quotasToProto(await this.quotas.set(req.tenantId, set, req.reset ?? []));
  }
}
