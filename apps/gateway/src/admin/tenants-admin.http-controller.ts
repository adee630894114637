import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
// The schemas ADMIN_ROUTES declares for these routes (@weaver/api-schema routes/admin.ts).
import { adminSchemas as S } from '@weaver/api-schema';
import { GatewayPolicyGuard, principalOfCall } from '../policy.guard';
import { parsePart } from '../parse-request';
import { TenantAdmin } from './tenant-admin';

type Params = Record<string, string | undefined>;
const by = (req: FastifyRequest): string => principalOfCall(req)?.id ?? 'unknown';

/**
 * REST admin routes for tenants and API keys (declared in @weaver/api-schema routes/admin.ts,
 * validated with those schemas). Who may call each: GATEWAY_ACCESS + the baseline policies.
 */
@Controller('v1/admin/tenants')
@UseGuards(GatewayPolicyGuard)
export class TenantsAdminHttpController {
  constructor(private readonly tenants: TenantAdmin) {}

  @Post()
  @HttpCode(201)
  createTenant(@Body() body: unknown) {
    return this.tenants.create(parsePart(S.createTenantBody, body, 'body'));
  }

  @Get()
  listTenants(@Query() query: unknown) {
    return this.tenants.list(parsePart(S.listTenantsQuery, query, 'query'));
  }

  @Get(':tenantId')
  getTenant(@Param() params: Params) {
    return this.tenants.get(parsePart(S.tenantParams, params, 'path').tenantId);
  }

  @Post(':tenantId/suspend')
  @HttpCode(200)
  async suspendTenant(@Param() params: Params, @Req() req: FastifyRequest) {
    const { tenant, changed } = await this.tenants.change(parsePart(S.tenantParams, params, 'path').tenantId, 'suspend', by(req));
    return { tenant, changed };
  }

  @Post(':tenantId/resume')
  @HttpCode(200)
  async resumeTenant(@Param() params: Params, @Req() req: FastifyRequest) {
    const { tenant, changed } = await this.tenants.change(parsePart(S.tenantParams, params, 'path').tenantId, 'resume', by(req));
    return { tenant, changed };
  }

  @Delete(':tenantId')
  @HttpCode(202)
  deleteTenant(@Param() params: Params, @Req() req: FastifyRequest) {
    return this.tenants.change(parsePart(S.tenantParams, params, 'path').tenantId, 'delete', by(req));
  }

  @Post(':tenantId/api-keys')
  @HttpCode(201)
  createApiKey(@Param() params: Params, @Body() body: unknown) {
    return this.tenants.createKey(parsePart(S.tenantParams, params, 'path').tenantId, parsePart(S.createApiKeyBody, body, 'body'));
  }

  @Get(':tenantId/api-keys')
  listApiKeys(@Param() params: Params, @Query() query: unknown) {
    const { tenantId } = parsePart(S.tenantParams, params, 'path');
    return this.tenants.listKeys(tenantId, parsePart(S.listApiKeysQuery, query, 'query').includeRevoked === 'true');
  }

  @Delete(':tenantId/api-keys/:keyId')
  @HttpCode(200)
  revokeApiKey(@Param() params: Params) {
    const { tenantId, keyId } = parsePart(S.apiKeyParams, params, 'path');
    return this.tenants.revokeKey(tenantId, keyId);
  }

  @Post(':tenantId/api-keys/:keyId/rotate')
  @HttpCode(201)
  rotateApiKey(@Param() params: Params, @Body() body: unknown) {
    const { tenantId, keyId } = parsePart(S.apiKeyParams, params, 'path');
    return this.tenants.rotateKey(tenantId, keyId, parsePart(S.rotateApiKeyBody, body, 'body').gracePeriodSeconds);
  }
}
