import type { Principal } from '@weaver/governance';
import type { Authorizer } from '@weaver/policy';

/** What a model request says about who calls which model with which data (Generate and Embed alike). */
export interface ModelCallFacts {
  tenantId: string;
  workflow: string;
  agent: string;
  modelHint?: string;
  classification?: readonly string[];
  idempotencyKey?: string;
}

/** Only agent-runners may call the router's model methods (GRPC_ACCESS_RULES): the peer of every decision. */
const PEER = 'agent-runner';

/**
 * `model.call` at the router's request entry, before routing: principal Agent
 * `<workflow>/<agent>` of the call's tenant (gRPC, from a runner), or the tenant's ApiKey with its
 * roles (the OpenAI-compatible API), resource Model (the requested model, `auto` when the router
 * chooses) with the request's classification. In process and normally answered from the
 * decision cache; a refusal is PermissionDeniedError naming the determining policies.
 */
export class ModelCallGate {
  constructor(private readonly authz: Authorizer) {}

  async check(call: ModelCallFacts): Promise<void> {
    await this.decide({ type: 'Agent', id: `${call.workflow}/${call.agent}`, tenantId: call.tenantId }, call, PEER);
  }

  /** The same decision for a call made with a tenant's API key; `source`: the caller's address. */
  async checkKey(call: ModelCallFacts, key: { keyId: string; roles: readonly string[] }, source: string | undefined): Promise<void> {
    await this.decide({ type: 'ApiKey', id: key.keyId, tenantId: call.tenantId, roles: key.roles }, call, source ?? 'openai-api');
  }

  private async decide(principal: Principal, call: ModelCallFacts, source: string): Promise<void> {
    await this.authz.authorize(
      {
        principal,
        action: 'model.call',
        resource: { type: 'Model', id: call.modelHint || 'auto', tenantId: call.tenantId, classification: call.classification ? [...call.classification] : undefined, workflow: call.workflow },
      },
      { source, correlationId: call.idempotencyKey || undefined },
    );
  }
}
