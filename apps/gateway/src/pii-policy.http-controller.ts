import { Body, Controller, Get, Param, Put, UseGuards } from '@nestjs/common';
import { GRPC_SERVICES, type router } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import { isUuid } from '@weaver/persistence';
import { parsePiiPolicy } from '@weaver/pii';
import { InjectGrpcClient, tenantMetadata, unary } from '@weaver/service-kit';
import { GatewayPolicyGuard } from './policy.guard';

/** A policy as the admin API shows it (the router's wire form, JSON parsed). */
function policyView(tenantId: string, p: router.PiiPolicy | undefined) {
  return {
    tenantId,
    policy: p?.effectiveJson ? (JSON.parse(p.effectiveJson) as Record<string, string>) : {},
    stored: p?.storedJson ? (JSON.parse(p.storedJson) as Record<string, string>) : null,
    source: p?.source ?? 'installation',
    version: p?.version ?? 0,
    updatedAt: p?.updatedAtMs ? new Date(p.updatedAtMs).toISOString() : null,
  };
}

function expectedVersionOf(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ValidationError([{ field: 'expectedVersion', rule: 'must be an integer >= 0 (0: the tenant has no policy yet)' }], 'PII policy');
  return v;
}

/**
 * A tenant's PII policy (docs/pii.md "Policies per tenant in the router"), stored and applied by
 * the router: `PUT {"policy": {"default": "mask", "email": "tokenise"}, "expectedVersion"?: n}`.
 * Validated here first so a bad policy answers 400 naming `policy.<type>` and the rule without a
 * round trip (the router validates again: it is the owner). Decided by the policy engine
 * (GatewayPolicyGuard: `admin.policy.read` / `admin.policy.write` on the tenant's Policy `pii`).
 */
@Controller('v1/admin/tenants/:tenantId/pii-policy')
@UseGuards(GatewayPolicyGuard)
export class PiiPolicyHttpController {
  constructor(@InjectGrpcClient(GRPC_SERVICES.router) private readonly routerClient: router.RouterServiceClient) {}

  @Get()
  async get(@Param('tenantId') tenantId: string) {
    tenantIdOf(tenantId);
    const res = await unary(this.routerClient.getPiiPolicy({ tenantId }, tenantMetadata(tenantId)));
    return policyView(tenantId, res.policy);
  }

  @Put()
  async set(@Param('tenantId') tenantId: string, @Body() body: { policy?: unknown; expectedVersion?: unknown } | undefined) {
    tenantIdOf(tenantId);
    parsePiiPolicy(body?.policy, 'policy');
    const expectedVersion = expectedVersionOf(body?.expectedVersion);
    const res = await unary(this.routerClient.setPiiPolicy({ tenantId, policyJson: JSON.stringify(body?.policy), expectedVersion }, tenantMetadata(tenantId)));
    return policyView(tenantId, res.policy);
  }
}

function tenantIdOf(tenantId: string): void {
  if (!isUuid(tenantId)) throw new ValidationError([{ field: 'tenantId', rule: 'must be a UUID' }], 'path');
}
