import { Controller, Delete, Get, HttpCode, Inject, Post, Put, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import * as api from '@weaver/api-schema';
import type { RouteResponse } from '@weaver/api-schema';
import { GRPC_SERVICES, type policy } from '@weaver/contracts';
import { NotFoundError, ValidationError } from '@weaver/errors';
import { Authorizer, DEFAULT_DENY, fieldViolationsOf, GrpcPolicySource, policyViolations } from '@weaver/policy';
import { InjectGrpcClient, tenantMetadata, unary } from '@weaver/service-kit';
import { explainRequestOf } from './explain-request';
import { parseRequest } from './parse-request';
import { GatewayPolicyGuard } from './policy.guard';

const view = (p: policy.Policy) => ({ id: p.policyId, text: p.text, description: p.description, updatedAt: new Date(p.updatedAtMs).toISOString() });

/**
 * A tenant's access policies over the admin API (docs/policies.md): stored by tenancy
 * (PolicyService), validated against Weaver's Cedar schema with `text:<line>:<column>` errors,
 * and `policies:explain` — what the engine decides for a given request and which policies decided.
 * A change applies at once on this replica and within POLICY_CACHE_TTL_MS on the others.
 */
@Controller('v1/admin/tenants/:tenantId')
@UseGuards(GatewayPolicyGuard)
export class PolicyHttpController {
  constructor(
    @InjectGrpcClient(GRPC_SERVICES.policy) private readonly policyClient: policy.PolicyServiceClient,
    @Inject(Authorizer) private readonly authz: Authorizer,
    @Inject(GrpcPolicySource) private readonly policies: GrpcPolicySource,
  ) {}

  @Put('policies/:id')
  async put(@Req() req: FastifyRequest): Promise<RouteResponse<typeof api.putPolicy>> {
    const { params, body } = parseRequest(api.putPolicy, req);
    const { tenantId, id } = params;
    const { text, description } = body;
    const res = await unary(this.policyClient.putPolicy({ tenantId, policyId: id, text, description }, tenantMetadata(tenantId)));
    await this.applied(tenantId);
    return { id, version: res.version };
  }

  @Get('policies')
  async list(@Req() req: FastifyRequest): Promise<RouteResponse<typeof api.listPolicies>> {
    const { tenantId } = parseRequest(api.listPolicies, req).params;
    const res = await unary(this.policyClient.listPolicies({ tenantId }, tenantMetadata(tenantId)));
    return { version: res.version, policies: res.policies.map(view) };
  }

  @Get('policies/:id')
  async get(@Req() req: FastifyRequest): Promise<RouteResponse<typeof api.getPolicy>> {
    const { tenantId, id } = parseRequest(api.getPolicy, req).params;
    const res = await unary(this.policyClient.getPolicy({ tenantId, policyId: id }, tenantMetadata(tenantId)));
    if (!res.policy) throw new NotFoundError('policy', id); // tenancy answers NOT_FOUND itself; this keeps the answer's shape honest
    return { policy: view(res.policy) };
  }

  @Delete('policies/:id')
  async delete(@Req() req: FastifyRequest): Promise<RouteResponse<typeof api.deletePolicy>> {
    const { tenantId, id } = parseRequest(api.deletePolicy, req).params;
    const res = await unary(this.policyClient.deletePolicy({ tenantId, policyId: id }, tenantMetadata(tenantId)));
    await this.applied(tenantId);
    return { id, version: res.version };
  }

  /** 200 `{valid: true}`, or 400 with `text:<line>:<column>` violations carrying Cedar's message (nothing stored). */
  @Post('policies::validate')
  @HttpCode(200)
  validate(@Req() req: FastifyRequest): RouteResponse<typeof api.validatePolicy> {
    const violations = policyViolations(parseRequest(api.validatePolicy, req).body.text);
    if (violations.length) throw new ValidationError(fieldViolationsOf(violations), 'policy', { details: { policyViolations: violations } });
    return { valid: true };
  }

  /** The decision for a request in this tenant and the policies that determined it (with their text). */
  @Post('policies::explain')
  @HttpCode(200)
  async explain(@Req() req: FastifyRequest): Promise<RouteResponse<typeof api.explainPolicy>> {
    const { params, body } = parseRequest(api.explainPolicy, req);
    const { tenantId } = params;
    await this.authz.refresh(tenantId);
    const d = this.authz.engine.decide(explainRequestOf(tenantId, body));
    return {
      decision: d.allowed ? 'allow' : 'deny',
      version: d.version,
      policies: d.policies.length ? d.policies.map((id) => ({ id, text: this.authz.engine.textOf(tenantId, id) })) : d.allowed ? [] : [{ id: DEFAULT_DENY, text: 'no policy permits this request' }],
      errors: [...d.errors],
    };
  }

  private async applied(tenantId: string): Promise<void> {
    this.policies.forget(tenantId);
    await this.authz.refresh(tenantId);
  }
}
