import type { Metadata } from '@grpc/grpc-js';
import { Controller, Inject, UseGuards } from '@nestjs/common';
import { adminSchemas as S } from '@weaver/api-schema';
import { GRPC_SERVICES, gatewayAdmin as pb, type tenancy } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import { InjectGrpcClient, QuotaCache, tenantMetadata, unary } from '@weaver/service-kit';
import { GatewayPolicyGuard, principalOfCall } from '../policy.guard';
import { quotasView, quotaUpdateOf } from '../quota-view';
import { parseUsageQuery } from '../usage-query';
import { parsePart } from '../parse-request';
import { OperationsAdmin } from './operations-admin';
import { grpcKeyOf, grpcTenantOf, grpcUsageGroupOf } from './admin-grpc.mapper';
import { TenantAdmin } from './tenant-admin';

const tenantIdOf = (req: { tenantId: string }): string => parsePart(S.tenantParams, { tenantId: req.tenantId }, 'message').tenantId;
const keyOf = (req: { tenantId: string; keyId: string }) => parsePart(S.apiKeyParams, { tenantId: req.tenantId, keyId: req.keyId }, 'message');
/** proto3 leaves unset strings empty: what the REST schema treats as absent. */
const given = (v: string): string | undefined => (v === '' ? undefined : v);
const by = (metadata: Metadata | undefined): string => (metadata && principalOfCall(metadata)?.id) || 'unknown';

function jsonOf(text: string, field: string): unknown {
  try {
    return JSON.parse(text || '{}') as unknown;
  } catch {
    throw new ValidationError([{ field, rule: 'must be a JSON object' }], 'message');
  }
}

/**
 * weaver.gateway.v1.AdminService: the admin API over gRPC. The same TenantAdmin /
 * OperationsAdmin as the REST routes, messages validated with the same api-schema shapes, every
 * method decided by GatewayPolicyGuard (GATEWAY_ACCESS `AdminGrpcController.<method>`).
 */
@Controller()
@pb.AdminServiceControllerMethods()
@UseGuards(GatewayPolicyGuard)
export class AdminGrpcController implements pb.AdminServiceController {
  constructor(
    private readonly tenants: TenantAdmin,
    private readonly operations: OperationsAdmin,
    @InjectGrpcClient(GRPC_SERVICES.tenancy) private readonly tenancyClient: tenancy.TenancyServiceClient,
    @Inject(QuotaCache) private readonly quotas: QuotaCache,
  ) {}

  async createTenant(req: pb.CreateTenantRequest): Promise<pb.CreateTenantResponse> {
    const out = await this.tenants.create(parsePart(S.createTenantBody, { name: req.name, tier: given(req.tier) }, 'message'));
    return { tenant: grpcTenantOf(out.tenant), apiKey: out.apiKey, keyId: out.keyId };
  }

  async listTenants(req: pb.ListTenantsRequest): Promise<pb.ListTenantsResponse> {
    const page = await this.tenants.list(parsePart(S.listTenantsQuery, { limit: req.limit || undefined, cursor: given(req.cursor), state: given(req.state) }, 'message'));
    return { tenants: page.tenants.map(grpcTenantOf), nextCursor: page.nextCursor ?? '' };
  }

  async getTenant(req: pb.GetTenantRequest): Promise<pb.GetTenantResponse> {
    return { tenant: grpcTenantOf((await this.tenants.get(tenantIdOf(req))).tenant) };
  }

  async suspendTenant(req: pb.SuspendTenantRequest, metadata?: Metadata): Promise<pb.SuspendTenantResponse> {
    const out = await this.tenants.change(tenantIdOf(req), 'suspend', by(metadata));
    return { tenant: grpcTenantOf(out.tenant), changed: out.changed };
  }

  async resumeTenant(req: pb.ResumeTenantRequest, metadata?: Metadata): Promise<pb.ResumeTenantResponse> {
    const out = await this.tenants.change(tenantIdOf(req), 'resume', by(metadata));
    return { tenant: grpcTenantOf(out.tenant), changed: out.changed };
  }

  async deleteTenant(req: pb.DeleteTenantRequest, metadata?: Metadata): Promise<pb.DeleteTenantResponse> {
    const out = await this.tenants.change(tenantIdOf(req), 'delete', by(metadata));
    return { tenant: grpcTenantOf(out.tenant), changed: out.changed, erasureRequestedAt: out.erasure.requestedAt ?? '', erasedAt: out.erasure.erasedAt ?? '' };
  }

  async createApiKey(req: pb.CreateApiKeyRequest): Promise<pb.CreateApiKeyResponse> {
    const out = await this.tenants.createKey(tenantIdOf(req), parsePart(S.createApiKeyBody, { name: req.name, roles: req.roles.length ? req.roles : undefined }, 'message'));
    return { apiKey: out.apiKey, key: grpcKeyOf(out.key) };
  }

  async listApiKeys(req: pb.ListApiKeysRequest): Promise<pb.ListApiKeysResponse> {
    return { keys: (await this.tenants.listKeys(tenantIdOf(req), req.includeRevoked)).keys.map(grpcKeyOf) };
  }

  async revokeApiKey(req: pb.RevokeApiKeyRequest): Promise<pb.RevokeApiKeyResponse> {
    const { tenantId, keyId } = keyOf(req);
    return { key: grpcKeyOf((await this.tenants.revokeKey(tenantId, keyId)).key) };
  }

  async rotateApiKey(req: pb.RotateApiKeyRequest): Promise<pb.RotateApiKeyResponse> {
    const { tenantId, keyId } = keyOf(req);
    const out = await this.tenants.rotateKey(tenantId, keyId, parsePart(S.rotateApiKeyBody, { gracePeriodSeconds: req.gracePeriodSeconds }, 'message').gracePeriodSeconds);
    return { apiKey: out.apiKey, key: grpcKeyOf(out.key), replaced: grpcKeyOf(out.replaced) };
  }

  async getBudget(req: pb.GetBudgetRequest): Promise<pb.GetBudgetResponse> {
    const out = await this.operations.budget(tenantIdOf(req));
    return { tenantId: out.tenantId, budget: out.budget ?? undefined };
  }

  async setBudget(req: pb.SetBudgetRequest): Promise<pb.SetBudgetResponse> {
    const out = await this.operations.setBudget(tenantIdOf(req), parsePart(S.setBudgetBody, { limitUsd: req.limitUsd, resetSpent: req.resetSpent }, 'message'));
    return { tenantId: out.tenantId, budget: out.budget ?? undefined };
  }

  async getQuotas(req: pb.GetQuotasRequest): Promise<pb.GetQuotasResponse> {
    const tenantId = tenantIdOf(req);
    const view = quotasView(await unary(this.tenancyClient.getQuotas({ tenantId }, tenantMetadata(tenantId))));
    return { quotasJson: JSON.stringify(view.quotas), overridesJson: JSON.stringify(view.overrides) };
  }

  async setQuotas(req: pb.SetQuotasRequest): Promise<pb.SetQuotasResponse> {
    const tenantId = tenantIdOf(req);
    const view = quotasView(await unary(this.tenancyClient.setQuotas({ tenantId, ...quotaUpdateOf(jsonOf(req.quotasJson, 'quotasJson')) }, tenantMetadata(tenantId))));
    this.quotas.forget(tenantId);
    return { quotasJson: JSON.stringify(view.quotas), overridesJson: JSON.stringify(view.overrides) };
  }

  async getUsage(req: pb.GetUsageRequest): Promise<pb.GetUsageResponse> {
    const q = parseUsageQuery({ from: req.from, to: req.to, groupBy: req.groupBy.join(',') });
    const out = await this.operations.usage(tenantIdOf(req), q, { workflow: given(req.workflow), agent: given(req.agent), model: given(req.model) });
    return { groups: out.groups.map(grpcUsageGroupOf), totals: grpcUsageGroupOf(out.totals), budget: out.budget ?? undefined };
  }

  async listAgents(req: pb.ListAgentsRequest): Promise<pb.ListAgentsResponse> {
    const { capability } = parsePart(S.agentsQuery, { capability: req.capability || undefined }, 'message');
    return { agents: await this.operations.agents(capability) };
  }

  async drainInstance(req: pb.DrainInstanceRequest): Promise<pb.DrainInstanceResponse> {
    return { instance: await this.operations.drain(parsePart(S.instanceParams, { instanceId: req.instanceId }, 'message').instanceId) };
  }
}
