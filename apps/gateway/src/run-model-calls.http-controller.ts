import { Controller, Get, Inject, Param, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RunModelCallsParamsSchema } from '@weaver/api-schema';
import { violationsOf } from '@weaver/config';
import { GRPC_SERVICES, type router } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import { RunService } from '@weaver/run-api';
import { InjectGrpcClient, tenantMetadata, unary } from '@weaver/service-kit';
import { ApiKeyResolver, apiKeyFromHeaders } from '@weaver/tenancy-core';
import { GatewayPolicyGuard } from './policy.guard';
import { runAccessOf } from './run-access';

/**
 * A run's model calls with tokens and cost, from the router's ledger (ListModelCalls):
 * `GET /v1/runs/:runId/model-calls` (libs/api-schema routes/console.ts). The run is read first,
 * so another tenant's run is 404 and the policy decides `run.read` with the run's attributes,
 * as for GET /v1/runs/:runId. Costs one run read and one indexed ledger read; nothing on the step path.
 */
@Controller('v1/runs/:runId/model-calls')
@UseGuards(GatewayPolicyGuard)
export class RunModelCallsHttpController {
  constructor(
    private readonly runs: RunService,
    @Inject(ApiKeyResolver) private readonly keys: ApiKeyResolver,
    @InjectGrpcClient(GRPC_SERVICES.router) private readonly routerClient: router.RouterServiceClient,
  ) {}

  @Get()
  async list(@Req() req: FastifyRequest, @Param('runId') runId: string) {
    const params = RunModelCallsParamsSchema.safeParse({ runId });
    if (!params.success) throw new ValidationError(violationsOf(params.error), 'path');
    const tenant = await this.keys.tenantOf(apiKeyFromHeaders(req.headers), req.ip);
    const run = await this.runs.get(tenant, runId, runAccessOf(req));
    const { calls } = await unary(this.routerClient.listModelCalls({ tenantId: tenant, runId: run.runId, limit: 0 }, tenantMetadata(tenant)));
    return { calls: calls.map(({ atMs, ...call }) => ({ ...call, at: new Date(atMs).toISOString() })) };
  }
}
