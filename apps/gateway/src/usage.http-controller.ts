import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { getUsage, type RouteResponse } from '@weaver/api-schema';
import { GRPC_SERVICES, type router } from '@weaver/contracts';
import { InjectGrpcClient, tenantMetadata, unary } from '@weaver/service-kit';
import { parseRequest } from './parse-request';
import { GatewayPolicyGuard } from './policy.guard';
import { groupUsage, parseUsageQuery } from './usage-query';

/**
 * A tenant's model usage and cost over a time range, from the router's ledger (exact: one row
 * per billed call) through its GetUsage RPC: `GET /v1/admin/tenants/:tenantId/usage?from=&to=&groupBy=`.
 * One gRPC call and one indexed ledger query (tenant_id, created_at) per request. Decided by
 * the policy engine (GatewayPolicyGuard: `admin.tenant.read` on the Tenant).
 */
@Controller('v1/admin/tenants/:tenantId/usage')
@UseGuards(GatewayPolicyGuard)
export class UsageHttpController {
  constructor(@InjectGrpcClient(GRPC_SERVICES.router) private readonly routerClient: router.RouterServiceClient) {}

  @Get()
  async get(@Req() req: FastifyRequest): Promise<RouteResponse<typeof getUsage>> {
    const { params, query } = parseRequest(getUsage, req);
    const { tenantId } = params;
    const q = parseUsageQuery(query);
    const res = await unary(
      this.routerClient.getUsage({ tenantId, workflow: '', agent: '', model: '', sinceMs: q.from?.getTime() ?? 0, untilMs: q.to?.getTime() ?? 0 }, tenantMetadata(tenantId)),
    );
    const groups = groupUsage(res.rows, q.groupBy);
    const totals = groupUsage(res.rows, [])[0] ?? { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    const b = res.budget;
    return {
      tenantId,
      from: q.from?.toISOString() ?? null,
      to: q.to?.toISOString() ?? null,
      groupBy: q.groupBy,
      groups,
      totals,
      // The budget now (not over the range): what the router enforces on the next call.
      budget: b ? { limitUsd: b.limitUsd, spentUsd: b.spentUsd, reservedUsd: b.reservedUsd, remainingUsd: Math.max(0, b.limitUsd - b.spentUsd - b.reservedUsd) } : null,
    };
  }
}
