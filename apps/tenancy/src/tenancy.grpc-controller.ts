import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { tenancy } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import { tenantOf } from '@weaver/service-kit';
import { QUOTA_FIELDS, QuotaStore, TenantDirectory, TenantLifecycle, TriggerKeyStore, type TenantQuotas, type TenantTier, type TriggerKey } from '@weaver/tenancy-core';
import { apiKeyToProto, changeOf, stateFilterOf, tenantToProto as toProto } from './tenant-admin.mapper';

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


/**
 * weaver.tenancy.v1.TenancyService. Internal: who may call what is GRPC_ACCESS_RULES (mutual
 * TLS identities, enforced before this runs); the tenant of GetTenant / CreateApiKey /
 * RevokeApiKey is the call's authenticated tenant (tenantOf), never the request's tenant_id.
 */
@Controller()
@tenancy.TenancyServiceControllerMethods()
export class TenancyGrpcController implements tenancy.TenancyServiceController {
  constructor(
    private readonly directory: TenantDirectory,
    private readonly triggerKeys: TriggerKeyStore,
    private readonly quotas: QuotaStore,
    private readonly lifecycle: TenantLifecycle,
  ) {}

  async createTenant(req: tenancy.CreateTenantRequest): Promise<tenancy.CreateTenantResponse> {
    const created = await this.directory.createTenant({ name: req.name, tier: tierOf(req.tier ?? undefined) });
    return { tenant: toProto(created.tenant), apiKey: created.apiKey, keyId: created.keyId };
  }

  async getTenant(_req: tenancy.GetTenantRequest, metadata?: Metadata): Promise<tenancy.GetTenantResponse> {
    return { tenant: toProto(await this.directory.getTenant(tenantOf(metadata))) };
  }

  async resolveApiKey(req: tenancy.ResolveApiKeyRequest): Promise<tenancy.ResolveApiKeyResponse> {
    const { tenantId, keyId, roles } = await this.directory.resolveApiKey(req.apiKey);
    return { tenantId, keyId, roles: [...roles] };
  }

  async createApiKey(req: tenancy.CreateApiKeyRequest, metadata?: Metadata): Promise<tenancy.CreateApiKeyResponse> {
    return this.directory.createApiKey(tenantOf(metadata), req.name, req.roles ?? []);
  }

  async revokeApiKey(req: tenancy.RevokeApiKeyRequest, metadata?: Metadata): Promise<tenancy.RevokeApiKeyResponse> {
    await this.directory.revokeApiKey(tenantOf(metadata), req.keyId);
    return {};
  }

  async registerTriggerKey(req: tenancy.RegisterTriggerKeyRequest, metadata?: Metadata): Promise<tenancy.RegisterTriggerKeyResponse> {
    return { key: keyToProto(await this.triggerKeys.register(tenantOf(metadata), req.publicJwkJson, req.name)) };
  }

  async revokeTriggerKey(req: tenancy.RevokeTriggerKeyRequest, metadata?: Metadata): Promise<tenancy.RevokeTriggerKeyResponse> {
    await this.triggerKeys.revoke(tenantOf(metadata), req.keyId);
    return {};
  }

  async listTriggerKeys(_req: tenancy.ListTriggerKeysRequest, metadata?: Metadata): Promise<tenancy.ListTriggerKeysResponse> {
    return { keys: (await this.triggerKeys.list(tenantOf(metadata))).map(keyToProto) };
  }

  async getQuotas(_req: tenancy.GetQuotasRequest, metadata?: Metadata): Promise<tenancy.GetQuotasResponse> {
    return quotasToProto(await this.quotas.get(tenantOf(metadata)));
  }

  async setQuotas(req: tenancy.SetQuotasRequest, metadata?: Metadata): Promise<tenancy.SetQuotasResponse> {
    // Only quota fields actually present: the loader adds `_name` keys for proto3 optional fields.
    const given = (req.set ?? {}) as Record<string, unknown>;
    const set = Object.fromEntries(QUOTA_FIELDS.flatMap((f) => (given[f.name] === undefined || given[f.name] === null ? [] : [[f.name, given[f.name]]])));
    return quotasToProto(await this.quotas.set(tenantOf(metadata), set, req.reset ?? []));
  }

  async listTenants(req: tenancy.ListTenantsRequest): Promise<tenancy.ListTenantsResponse> {
    const page = await this.lifecycle.list({ limit: req.limit, cursor: req.cursor || undefined, state: stateFilterOf(req.state) });
    return { tenants: page.tenants.map(toProto), nextCursor: page.nextCursor };
  }

  async changeTenantState(req: tenancy.ChangeTenantStateRequest, metadata?: Metadata): Promise<tenancy.ChangeTenantStateResponse> {
    const outcome = await this.lifecycle.change(tenantOf(metadata), changeOf(req.change), req.requestedBy);
    return { tenant: toProto(outcome.tenant), changed: outcome.changed, erasureRequestedAtMs: outcome.erasureRequestedAt?.getTime() ?? 0, erasedAtMs: outcome.erasedAt?.getTime() ?? 0 };
  }

  async listApiKeys(req: tenancy.ListApiKeysRequest, metadata?: Metadata): Promise<tenancy.ListApiKeysResponse> {
    return { keys: (await this.directory.listApiKeys(tenantOf(metadata), req.includeRevoked)).map(apiKeyToProto) };
  }

  async rotateApiKey(req: tenancy.RotateApiKeyRequest, metadata?: Metadata): Promise<tenancy.RotateApiKeyResponse> {
    const rotated = await this.directory.rotateApiKey(tenantOf(metadata), req.keyId, req.gracePeriodSeconds);
    return { apiKey: rotated.issued.apiKey, key: apiKeyToProto(rotated.key), replaced: apiKeyToProto(rotated.replaced) };
  }
}

const keyToProto = (k: TriggerKey): tenancy.TriggerKey => ({ keyId: k.keyId, publicJwkJson: JSON.stringify(k.publicJwk), name: k.name, createdAtMs: k.createdAt.getTime() });
