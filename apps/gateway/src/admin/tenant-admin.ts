import { Inject, Injectable } from '@nestjs/common';
import { GRPC_SERVICES, tenancy } from '@weaver/contracts';
import type { adminSchemas } from '@weaver/api-schema';
import { NotFoundError } from '@weaver/errors';
import { provisionTopics, TenantPlacements, type KafkaConnection } from '@weaver/messaging';
import { InjectGrpcClient, SERVICE_CONFIG, tenantMetadata, unary } from '@weaver/service-kit';
import type { z } from 'zod';
import { ApiKeyResolver } from '@weaver/tenancy-core';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_KAFKA } from '../gateway.tokens';
import { apiKeyViewOf, TENANT_STATE_FILTER, tenantViewOf } from './admin-views';

type Out<K extends keyof typeof adminSchemas> = (typeof adminSchemas)[K] extends z.ZodType ? z.output<(typeof adminSchemas)[K]> : never;
const { TenantStateChange: Change, TenantTier: Tier } = tenancy;
const CHANGES = { suspend: Change.TENANT_STATE_CHANGE_SUSPEND, resume: Change.TENANT_STATE_CHANGE_RESUME, delete: Change.TENANT_STATE_CHANGE_DELETE } as const;
const iso = (ms: number): string | null => (ms ? new Date(ms).toISOString() : null);

/**
 * Tenants and API keys for the admin API, one implementation behind both transports (REST
 * controllers and the gRPC AdminService): input is already validated with the api-schema
 * shapes, access already decided by GatewayPolicyGuard. One tenancy call per operation
 * (revoke: two, to answer the key); nothing here is on a run's path.
 */
@Injectable()
export class TenantAdmin {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @InjectGrpcClient(GRPC_SERVICES.tenancy) private readonly tenancyClient: tenancy.TenancyServiceClient,
    @Inject(GATEWAY_KAFKA) private readonly kafka: KafkaConnection,
    private readonly placements: TenantPlacements,
    @Inject(ApiKeyResolver) private readonly keys: ApiKeyResolver,
  ) {}

  async create(input: Out<'createTenantBody'>): Promise<Out<'createTenantResponse'>> {
    const res = await unary(this.tenancyClient.createTenant({ name: input.name, tier: input.tier === 'isolated' ? Tier.TENANT_TIER_ISOLATED : Tier.TENANT_TIER_STANDARD }));
    const tenantId = res.tenant!.tenantId;
    this.placements.remember(tenantId, input.tier);
    // As POST /v1/tenants: an isolated tenant's triggers and progress topics exist before its first run.
    if (input.tier === 'isolated') await provisionTopics(this.kafka, this.placements.base.forTenant(tenantId, 'isolated').platform(this.config.TOPIC_PARTITIONS));
    return { tenant: tenantViewOf(res.tenant!), apiKey: res.apiKey, keyId: res.keyId };
  }

  async list(input: Out<'listTenantsQuery'>): Promise<Out<'tenantPage'>> {
    const state = input.state ? TENANT_STATE_FILTER[input.state] : undefined;
    const res = await unary(this.tenancyClient.listTenants({ limit: input.limit, cursor: input.cursor ?? '', state: state ?? tenancy.TenantState.TENANT_STATE_UNSPECIFIED }));
    return { tenants: res.tenants.map(tenantViewOf), nextCursor: res.nextCursor || null };
  }

  async get(tenantId: string): Promise<Out<'tenantResponse'>> {
    const { tenant } = await unary(this.tenancyClient.getTenant({ tenantId }, tenantMetadata(tenantId)));
    if (!tenant) throw new NotFoundError('tenant', tenantId);
    return { tenant: tenantViewOf(tenant) };
  }

  /** Suspend, resume or delete (an erasure request); `by` is the deciding principal's id, kept with the request. */
  async change(tenantId: string, change: keyof typeof CHANGES, by: string): Promise<Out<'tenantDeletion'>> {
    const res = await unary(this.tenancyClient.changeTenantState({ tenantId, change: CHANGES[change], requestedBy: by }, tenantMetadata(tenantId)));
    // This replica refuses the tenant's keys at once; the others within API_KEY_CACHE_TTL_MS.
    if (res.changed) this.keys.forgetTenant(tenantId);
    return { tenant: tenantViewOf(res.tenant!), changed: res.changed, erasure: { requestedAt: iso(res.erasureRequestedAtMs), erasedAt: iso(res.erasedAtMs) } };
  }

  async createKey(tenantId: string, input: Out<'createApiKeyBody'>): Promise<Out<'issuedKeyResponse'>> {
    const issued = await unary(this.tenancyClient.createApiKey({ tenantId, name: input.name, roles: input.roles }, tenantMetadata(tenantId)));
    const key = (await this.listKeys(tenantId, true)).keys.find((k) => k.keyId === issued.keyId);
    return { apiKey: issued.apiKey, key: key! };
  }

  async listKeys(tenantId: string, includeRevoked: boolean): Promise<Out<'apiKeyList'>> {
    const res = await unary(this.tenancyClient.listApiKeys({ tenantId, includeRevoked }, tenantMetadata(tenantId)));
    return { keys: res.keys.map((k) => apiKeyViewOf(k)) };
  }

  async revokeKey(tenantId: string, keyId: string): Promise<Out<'apiKeyResponse'>> {
    await unary(this.tenancyClient.revokeApiKey({ tenantId, keyId }, tenantMetadata(tenantId)));
    this.keys.forgetKey(keyId);
    const key = (await this.listKeys(tenantId, true)).keys.find((k) => k.keyId === keyId);
    if (!key) throw new NotFoundError('api key', keyId);
    return { key };
  }

  async rotateKey(tenantId: string, keyId: string, graceSeconds: number): Promise<Out<'rotatedKeyResponse'>> {
    const res = await unary(this.tenancyClient.rotateApiKey({ tenantId, keyId, gracePeriodSeconds: graceSeconds }, tenantMetadata(tenantId)));
    if (graceSeconds === 0) this.keys.forgetKey(keyId);
    return { apiKey: res.apiKey, key: apiKeyViewOf(res.key!), replaced: apiKeyViewOf(res.replaced!) };
  }
}
