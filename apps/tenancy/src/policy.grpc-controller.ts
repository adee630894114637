import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { policy } from '@weaver/contracts';
import { PolicyStore, policyViolations, type StoredPolicy } from '@weaver/policy';
import { tenantOf } from '@weaver/service-kit';

const toProto = (p: StoredPolicy): policy.Policy => ({ policyId: p.id, text: p.text, description: p.description, updatedAtMs: p.updatedAt.getTime() });

/**
 * weaver.policy.v1.PolicyService: tenants' Cedar policies. The tenant is the call's
 * authenticated one (tenantOf), never the request's tenant_id; who may call is GRPC_ACCESS_RULES.
 */
@Controller()
@policy.PolicyServiceControllerMethods()
export class PolicyGrpcController implements policy.PolicyServiceController {
  constructor(private readonly store: PolicyStore) {}

  async putPolicy(req: policy.PutPolicyRequest, metadata?: Metadata): Promise<policy.PutPolicyResponse> {
    return { version: await this.store.put(tenantOf(metadata), { id: req.policyId, text: req.text }, req.description) };
  }

  async getPolicy(req: policy.GetPolicyRequest, metadata?: Metadata): Promise<policy.GetPolicyResponse> {
    return { policy: toProto(await this.store.get(tenantOf(metadata), req.policyId)) };
  }

  async listPolicies(_req: policy.ListPoliciesRequest, metadata?: Metadata): Promise<policy.ListPoliciesResponse> {
    const { version, policies } = await this.store.list(tenantOf(metadata));
    return { version, policies: policies.map(toProto) };
  }

  async deletePolicy(req: policy.DeletePolicyRequest, metadata?: Metadata): Promise<policy.DeletePolicyResponse> {
    return { version: await this.store.delete(tenantOf(metadata), req.policyId) };
  }

  async validatePolicy(req: policy.ValidatePolicyRequest): Promise<policy.ValidatePolicyResponse> {
    return { violations: policyViolations(req.text).map((v) => ({ line: v.line, column: v.column, message: v.message, help: v.help ?? '' })) };
  }

  async getPolicySet(req: policy.GetPolicySetRequest, metadata?: Metadata): Promise<policy.GetPolicySetResponse> {
    const tenantId = tenantOf(metadata);
    // The version first (one row): an unchanged set is answered without reading the policies.
    if (req.knownVersion > 0 && (await this.store.version(tenantId)) === req.knownVersion) return { version: req.knownVersion, unchanged: true, policies: [] };
    const { version, policies } = await this.store.list(tenantId);
    return { version, unchanged: version === req.knownVersion, policies: version === req.knownVersion ? [] : policies.map(toProto) };
  }
}
