import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
// The schemas ADMIN_ROUTES declares for these routes (@weaver/api-schema routes/admin.ts).
import { adminSchemas as S } from '@weaver/api-schema';
import { GatewayPolicyGuard } from '../policy.guard';
import { parsePart } from '../parse-request';
import { OperationsAdmin } from './operations-admin';

type Params = Record<string, string | undefined>;

/**
 * REST admin routes for budgets, agents and instances (declared in @weaver/api-schema
 * routes/admin.ts). Usage and quotas keep their routes (usage.http-controller.ts, admin.http-controller.ts).
 */
@Controller('v1/admin')
@UseGuards(GatewayPolicyGuard)
export class OperationsAdminHttpController {
  constructor(private readonly operations: OperationsAdmin) {}

  @Get('tenants/:tenantId/budget')
  getBudget(@Param() params: Params) {
    return this.operations.budget(parsePart(S.tenantParams, params, 'path').tenantId);
  }

  @Put('tenants/:tenantId/budget')
  setBudget(@Param() params: Params, @Body() body: unknown) {
    return this.operations.setBudget(parsePart(S.tenantParams, params, 'path').tenantId, parsePart(S.setBudgetBody, body, 'body'));
  }

  @Get('agents')
  listAgentInstances(@Query() query: unknown) {
    return this.operations.agentsView(parsePart(S.agentsQuery, query, 'query').capability);
  }

  @Post('instances/:instanceId/drain')
  @HttpCode(200)
  drainInstance(@Param() params: Params) {
    return this.operations.drainView(parsePart(S.instanceParams, params, 'path').instanceId);
  }
}
