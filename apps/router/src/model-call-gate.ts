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
 * `<workflow>/<agent>` of the call's tenant, resource Model (the requested model, `auto` when
 * the router chooses) with the request's classification. In process and normally answered from
 * the decision cache; a refusal is PermissionDeniedError naming the determining policies.
 */
export class ModelCallGate {
  constructor(private readonly authz: Authorizer) {}

  async check(call: ModelCallFacts): Promise<void> {
    await this.authz.authorize(
      {
        principal: { type: 'Agent', id: `${call.workflow}/${call.agent}`, tenantId: call.tenantId },
        action: 'model.call',
        resource: { type: 'Model', id: call.modelHint || 'auto', tenantId: call.tenantId, classification: call.classification ? [...call.classification] : undefined, workflow: call.workflow },
      },
      { source: PEER, correlationId: call.idempotencyKey || undefined },
    );
  }
}
