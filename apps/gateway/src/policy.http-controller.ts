import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, UseGuards } from '@nestjs/common';
import { GRPC_SERVICES, type policy } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import { Authorizer, DEFAULT_DENY, fieldViolationsOf, GrpcPolicySource, policyViolations } from '@weaver/policy';
import { InjectGrpcClient, tenantMetadata, unary } from '@weaver/service-kit';
import { explainRequestOf } from './explain-request';
import { GatewayPolicyGuard } from './policy.guard';

const view = (p: policy.Policy | undefined) => p && { id: p.policyId, text: p.text, description: p.description, updatedAt: new Date(p.updatedAtMs).toISOString() };
const textOf = (body: unknown): string => {
  const text = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['text'] : undefined;
  if (typeof text !== 'string' || !text.trim()) throw new ValidationError([{ field: 'text', rule: 'must be Cedar policy text (docs/policies.md)' }], 'policy');
  return text;
};

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
  async put(@Param('tenantId') tenantId: string, @Param('id') id: string, @Body() body: { description?: unknown } | undefined) {
    const text = textOf(body);
    const description = typeof body?.description === 'string' ? body.description : '';
    const res = await unary(this.policyClient.putPolicy({ tenantId, policyId: id, text, description }, tenantMetadata(tenantId)));
    await this.applied(tenantId);
    return { id, version: res.version };
  }

  @Get('policies')
  async list(@Param('tenantId') tenantId: string) {
    const res = await unary(this.policyClient.listPolicies({ tenantId }, tenantMetadata(tenantId)));
    return { version: res.version, policies: res.policies.map(view) };
  }

  @Get('policies/:id')
  async get(@Param('tenantId') tenantId: string, @Param('id') id: string) {
    const res = await unary(this.policyClient.getPolicy({ tenantId, policyId: id }, tenantMetadata(tenantId)));
    return { policy: view(res.policy) };
  }

  @Delete('policies/:id')
  async delete(@Param('tenantId') tenantId: string, @Param('id') id: string) {
    const res = await unary(this.policyClient.deletePolicy({ tenantId, policyId: id }, tenantMetadata(tenantId)));
    await this.applied(tenantId);
    return { id, version: res.version };
  }

  /** 200 `{valid: true}`, or 400 with `text:<line>:<column>` violations carrying Cedar's message (nothing stored). */
  @Post('policies::validate')
  @HttpCode(200)
  validate(@Body() body: unknown) {
    const violations = policyViolations(textOf(body));
    if (violations.length) throw new ValidationError(fieldViolationsOf(violations), 'policy', { details: { policyViolations: violations } });
    return { valid: true };
  }

  /** The decision for a request in this tenant and the policies that determined it (with their text). */
  @Post('policies::explain')
  @HttpCode(200)
  async explain(@Param('tenantId') tenantId: string, @Body() body: unknown) {
    const req = explainRequestOf(tenantId, body);
    await this.authz.refresh(tenantId);
    const d = this.authz.engine.decide(req);
    return {
      decision: d.allowed ? 'allow' : 'deny',
      version: d.version,
      policies: d.policies.length ? d.policies.map((id) => ({ id, text: this.authz.engine.textOf(tenantId, id) })) : d.allowed ? [] : [{ id: DEFAULT_DENY, text: 'no policy permits this request' }],
      errors: d.errors,
    };
  }

  private async applied(tenantId: string): Promise<void> {
    this.policies.forget(tenantId);
    await this.authz.refresh(tenantId);
  }
}
