import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminRunListQuery } from '@weaver/api-schema';
import { PermissionDeniedError } from '@weaver/errors';
import { RunAdmin } from '@weaver/run-api';
import { GatewayPolicyGuard, principalOfCall } from './policy.guard';
import { parsePart, timeOf } from './parse-request';
import { runAccessOf } from './run-access';

/**
 * Run admin (libs/api-schema routes/runs-admin.ts): the admin list across tenants, and cancel /
 * retry with a tenant's key. Decided by GatewayPolicyGuard (GATEWAY_ACCESS) first.
 */
@Controller('v1')
@UseGuards(GatewayPolicyGuard)
export class RunsAdminHttpController {
  constructor(@Inject(RunAdmin) private readonly admin: RunAdmin) {}

  /** The admin token lists every tenant's runs (or `tenantId`'s); a tenant's admin key only its own. */
  @Get('admin/runs')
  async list(@Req() req: FastifyRequest, @Query() query: unknown) {
    const q = parsePart(AdminRunListQuery, query, 'run list');
    const own = principalOfCall(req)?.tenantId;
    if (own && q.tenantId && q.tenantId !== own) throw new PermissionDeniedError(`a key of tenant ${own} lists only its own runs`);
    return this.admin.list({ ...q, tenantId: own ?? q.tenantId, from: timeOf(q.from), to: timeOf(q.to) });
  }

  @Post('runs/:runId/cancel')
  @HttpCode(200)
  async cancel(@Req() req: FastifyRequest, @Param('runId') runId: string) {
    const { tenantId, actor } = this.caller(req);
    return { run: await this.admin.cancel(tenantId, runId, actor, runAccessOf(req)) };
  }

  @Post('runs/:runId/retry')
  @HttpCode(200)
  async retry(@Req() req: FastifyRequest, @Param('runId') runId: string) {
    const { tenantId, actor } = this.caller(req);
    return { run: await this.admin.retry(tenantId, runId, actor, runAccessOf(req)) };
  }

  private caller(req: FastifyRequest): { tenantId: string; actor: string } {
    const principal = principalOfCall(req);
    if (!principal?.tenantId) throw new PermissionDeniedError('cancel and retry take an API key of the run\'s tenant');
    return { tenantId: principal.tenantId, actor: `${principal.type}:${principal.id}` };
  }
}
