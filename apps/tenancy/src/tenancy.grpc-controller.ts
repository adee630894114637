import { Controller } from '@nestjs/common';
import { tenancy } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import { TenantDirectory, TriggerKeyStore, type Tenant, type TenantTier, type TriggerKey } from '@weaver/tenancy-core';

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
    private readonly triggerKeys: TriggerKeyStore,
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

  async registerTriggerKey(req: tenancy.RegisterTriggerKeyRequest): Promise<tenancy.RegisterTriggerKeyResponse> {
    return { key: keyToProto(await this.triggerKeys.register(req.tenantId, req.publicJwkJson, req.name)) };
  }

  async revokeTriggerKey(req: tenancy.RevokeTriggerKeyRequest): Promise<tenancy.RevokeTriggerKeyResponse> {
    await this.triggerKeys.revoke(req.tenantId, req.keyId);
    return {};
  }

  async listTriggerKeys(req: tenancy.ListTriggerKeysRequest): Promise<tenancy.ListTriggerKeysResponse> {
    return { keys: (await this.triggerKeys.list(req.tenantId)).map(keyToProto) };
  }
}

const keyToProto = (k: TriggerKey): tenancy.TriggerKey => ({ keyId: k.keyId, publicJwkJson: JSON.stringify(k.publicJwk), name: k.name, createdAtMs: k.createdAt.getTime() });
