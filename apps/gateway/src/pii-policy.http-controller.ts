import { Controller, Get, Put, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { getPiiPolicy, setPiiPolicy, type RouteResponse } from '@weaver/api-schema';
import { GRPC_SERVICES, type router } from '@weaver/contracts';
import { parsePiiPolicy } from '@weaver/pii';
import { InjectGrpcClient, tenantMetadata, unary } from '@weaver/service-kit';
import { parseRequest } from './parse-request';
import { GatewayPolicyGuard } from './policy.guard';

/** A policy as the admin API shows it (the router's wire form, JSON parsed). */
function policyView(tenantId: string, p: router.PiiPolicy | undefined): RouteResponse<typeof getPiiPolicy> {
  return {
    tenantId,
    policy: p?.effectiveJson ? (JSON.parse(p.effectiveJson) as Record<string, string>) : {},
    stored: p?.storedJson ? (JSON.parse(p.storedJson) as Record<string, string>) : null,
    source: p?.source === 'tenant' ? 'tenant' : 'installation',
    version: p?.version ?? 0,
    updatedAt: p?.updatedAtMs ? new Date(p.updatedAtMs).toISOString() : null,
  };
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
  async get(@Req() req: FastifyRequest): Promise<RouteResponse<typeof getPiiPolicy>> {
    const { tenantId } = parseRequest(getPiiPolicy, req).params;
    const res = await unary(this.routerClient.getPiiPolicy({ tenantId }, tenantMetadata(tenantId)));
    return policyView(tenantId, res.policy);
  }

  @Put()
  async set(@Req() req: FastifyRequest): Promise<RouteResponse<typeof setPiiPolicy>> {
    const { params, body } = parseRequest(setPiiPolicy, req);
    const { tenantId } = params;
    parsePiiPolicy(body.policy, 'policy'); // the router's own rules (the schema mirrors them)
    const res = await unary(this.routerClient.setPiiPolicy({ tenantId, policyJson: JSON.stringify(body.policy), expectedVersion: body.expectedVersion ?? undefined }, tenantMetadata(tenantId)));
    return policyView(tenantId, res.policy);
  }
}
