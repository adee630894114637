import { Controller } from '@nestjs/common';
import { router } from '@weaver/contracts';
import { ModelRouter } from '@weaver/model-router';
import { ValidationError } from '@weaver/errors';
import { from, map, type Observable } from 'rxjs';
import { toChunk, toEmbedCall, toGenerateResponse, toModelCall } from './router-proto.mapper';

const budgetOf = (b: { limitUsd: number; spentUsd: number; reservedUsd: number } | undefined): router.Budget | undefined =>
  b && { limitUsd: b.limitUsd, spentUsd: b.spentUsd, reservedUsd: b.reservedUsd };

/** weaver.router.v1.RouterService: the only way agents reach models. */
@Controller()
@router.RouterServiceControllerMethods()
export class RouterGrpcController implements router.RouterServiceController {
  constructor(private readonly models: ModelRouter) {}

  async generate(req: router.GenerateRequest): Promise<router.GenerateResponse> {
    return toGenerateResponse(await this.models.generate(toModelCall(req)));
  }

  generateStream(req: router.GenerateRequest): Observable<router.GenerateChunk> {
    return from(this.models.generateStream(toModelCall(req))).pipe(map(toChunk));
  }

  async embed(req: router.EmbedRequest): Promise<router.EmbedResponse> {
    const out = await this.models.embed(toEmbedCall(req));
    return { vectors: out.vectors.map((values) => ({ values })), model: out.model, usage: { inputTokens: out.inputTokens, outputTokens: 0, costUsd: out.costUsd } };
  }

  async getUsage(req: router.GetUsageRequest): Promise<router.GetUsageResponse> {
    const filter = { workflow: req.workflow || undefined, agent: req.agent || undefined, model: req.model || undefined, since: req.sinceMs ? new Date(Number(req.sinceMs)) : undefined };
    const { rows, budget } = await this.models.getUsage(req.tenantId, filter);
    return { rows, budget: budgetOf(budget) };
  }

  async setBudget(req: router.SetBudgetRequest): Promise<router.SetBudgetResponse> {
    if (!(req.limitUsd >= 0) || !Number.isFinite(req.limitUsd)) throw new ValidationError([{ field: 'limit_usd', rule: 'must be a number >= 0' }], 'request');
    return { budget: budgetOf(await this.models.setBudget(req.tenantId, req.limitUsd, req.resetSpent)) };
  }
}
