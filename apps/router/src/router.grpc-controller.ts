import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { router } from '@weaver/contracts';
import { MODEL_CALLS_MAX, ModelRouter } from '@weaver/model-router';
import { ValidationError } from '@weaver/errors';
import { tenantOf } from '@weaver/service-kit';
import { defer, from, map, mergeMap, type Observable } from 'rxjs';
import { ModelCallGate } from './model-call-gate';
import { piiPolicyMessage } from './pii-policy.view';
import { toChunk, toEmbedCall, toGenerateResponse, toModelCall } from './router-proto.mapper';

const budgetOf = (b: { limitUsd: number; spentUsd: number; reservedUsd: number } | undefined): router.Budget | undefined =>
  b && { limitUsd: b.limitUsd, spentUsd: b.spentUsd, reservedUsd: b.reservedUsd };

/**
 * weaver.router.v1.RouterService: the only way agents reach models. Every method acts for the
 * call's authenticated tenant (tenantOf: metadata vouched for by the caller's certificate, see
 * GRPC_ACCESS_RULES); a request's tenant_id is overwritten, never trusted.
 */
@Controller()
@router.RouterServiceControllerMethods()
export class RouterGrpcController implements router.RouterServiceController {
  constructor(
    private readonly models: ModelRouter,
    private readonly gate: ModelCallGate,
  ) {}

  async generate(req: router.GenerateRequest, metadata?: Metadata): Promise<router.GenerateResponse> {
    const tenantId = tenantOf(metadata);
    await this.gate.check({ ...req, tenantId });
    return toGenerateResponse(await this.models.generate(toModelCall({ ...req, tenantId })));
  }

  generateStream(req: router.GenerateRequest, metadata?: Metadata): Observable<router.GenerateChunk> {
    const tenantId = tenantOf(metadata);
    // Decided before the first chunk: a refused call streams nothing.
    return defer(() => this.gate.check({ ...req, tenantId })).pipe(mergeMap(() => from(this.models.generateStream(toModelCall({ ...req, tenantId })))), map(toChunk));
  }

  async embed(req: router.EmbedRequest, metadata?: Metadata): Promise<router.EmbedResponse> {
    await this.gate.check({ ...req, tenantId: tenantOf(metadata) });
    const out = await this.models.embed(toEmbedCall({ ...req, tenantId: tenantOf(metadata) }));
    return { vectors: out.vectors.map((values) => ({ values })), model: out.model, usage: { inputTokens: out.inputTokens, outputTokens: 0, costUsd: out.costUsd }, replayed: out.replayed };
  }

  async getUsage(req: router.GetUsageRequest, metadata?: Metadata): Promise<router.GetUsageResponse> {
    const filter = { workflow: req.workflow || undefined, agent: req.agent || undefined, model: req.model || undefined, since: req.sinceMs ? new Date(Number(req.sinceMs)) : undefined, until: req.untilMs ? new Date(Number(req.untilMs)) : undefined };
    const { rows, budget } = await this.models.getUsage(tenantOf(metadata), filter);
    return { rows, budget: budgetOf(budget) };
  }

  async listModelCalls(req: router.ListModelCallsRequest, metadata?: Metadata): Promise<router.ListModelCallsResponse> {
    if (!req.runId) throw new ValidationError([{ field: 'run_id', rule: 'is required' }], 'request');
    if (!(Number.isInteger(req.limit) && req.limit >= 0 && req.limit <= MODEL_CALLS_MAX)) throw new ValidationError([{ field: 'limit', rule: `must be an integer 0-${MODEL_CALLS_MAX}` }], 'request');
    const calls = await this.models.listModelCalls(tenantOf(metadata), req.runId, req.limit || undefined);
    return { calls: calls.map(({ at, ...c }) => ({ ...c, atMs: at.getTime() })) };
  }

  async setBudget(req: router.SetBudgetRequest, metadata?: Metadata): Promise<router.SetBudgetResponse> {
    if (!(req.limitUsd >= 0) || !Number.isFinite(req.limitUsd)) throw new ValidationError([{ field: 'limit_usd', rule: 'must be a number >= 0' }], 'request');
    return { budget: budgetOf(await this.models.setBudget(tenantOf(metadata), req.limitUsd, req.resetSpent)) };
  }

  async getPiiPolicy(_req: router.GetPiiPolicyRequest, metadata?: Metadata): Promise<router.GetPiiPolicyResponse> {
    return { policy: piiPolicyMessage(await this.models.getPiiPolicy(tenantOf(metadata))) };
  }

  async setPiiPolicy(req: router.SetPiiPolicyRequest, metadata?: Metadata): Promise<router.SetPiiPolicyResponse> {
    let policy: unknown;
    try {
      policy = JSON.parse(req.policyJson);
    } catch {
      throw new ValidationError([{ field: 'policy_json', rule: 'must be a JSON object of entity type -> action' }], 'request');
    }
    if (req.expectedVersion !== undefined && !(Number.isInteger(req.expectedVersion) && req.expectedVersion >= 0)) {
      throw new ValidationError([{ field: 'expected_version', rule: 'must be an integer >= 0' }], 'request');
    }
    return { policy: piiPolicyMessage(await this.models.setPiiPolicy(tenantOf(metadata), policy, req.expectedVersion)) };
  }
}
