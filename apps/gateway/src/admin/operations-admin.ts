import { Injectable } from '@nestjs/common';
import { GRPC_SERVICES, type registry, type router } from '@weaver/contracts';
import type { adminSchemas } from '@weaver/api-schema';
import { InjectGrpcClient, tenantMetadata, unary } from '@weaver/service-kit';
import type { z } from 'zod';
import { groupUsage, type UsageGroup, type UsageQuery } from '../usage-query';
import { agentViewOf, budgetViewOf, instanceViewOf } from './admin-views';

type Out<K extends keyof typeof adminSchemas> = (typeof adminSchemas)[K] extends z.ZodType ? z.output<(typeof adminSchemas)[K]> : never;

/** Only ledger rows of this workflow / agent / model (empty: all). */
export interface UsageFilter {
  workflow?: string;
  agent?: string;
  model?: string;
}

/**
 * Budgets, usage and agents for the admin API (both transports): the router's budget and ledger
 * (GetUsage / SetBudget) and the registry's agents and instances (ListAgents / DrainInstance).
 * One gRPC call per operation.
 */
@Injectable()
export class OperationsAdmin {
  constructor(
    @InjectGrpcClient(GRPC_SERVICES.router) private readonly routerClient: router.RouterServiceClient,
    @InjectGrpcClient(GRPC_SERVICES.registry) private readonly registryClient: registry.RegistryServiceClient,
  ) {}

  /** The budget alone: an empty ledger range (now, now+1), so no ledger rows are read. */
  async budget(tenantId: string): Promise<Out<'budgetResponse'>> {
    const now = Date.now();
    const res = await unary(this.routerClient.getUsage({ tenantId, workflow: '', agent: '', model: '', sinceMs: now, untilMs: now + 1 }, tenantMetadata(tenantId)));
    return { tenantId, budget: budgetViewOf(res.budget) };
  }

  async setBudget(tenantId: string, input: Out<'setBudgetBody'>): Promise<Out<'budgetResponse'>> {
    const res = await unary(this.routerClient.setBudget({ tenantId, limitUsd: input.limitUsd, resetSpent: input.resetSpent }, tenantMetadata(tenantId)));
    return { tenantId, budget: budgetViewOf(res.budget) };
  }

  /** Usage over the range, grouped, and its totals (as GET /v1/admin/tenants/{id}/usage), optionally filtered. */
  async usage(tenantId: string, q: UsageQuery, filter: UsageFilter): Promise<{ groups: UsageGroup[]; totals: UsageGroup; budget: Out<'budgetView'> | null }> {
    const res = await unary(
      this.routerClient.getUsage(
        { tenantId, workflow: filter.workflow ?? '', agent: filter.agent ?? '', model: filter.model ?? '', sinceMs: q.from?.getTime() ?? 0, untilMs: q.to?.getTime() ?? 0 },
        tenantMetadata(tenantId),
      ),
    );
    const totals = groupUsage(res.rows, [])[0] ?? { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    return { groups: groupUsage(res.rows, q.groupBy), totals, budget: budgetViewOf(res.budget) };
  }

  /** As the registry answers (the gRPC AdminService passes them on); `agentsView` for REST. */
  async agents(capability: string | undefined): Promise<registry.RegisteredAgent[]> {
    return (await unary(this.registryClient.listAgents({ capability }))).agents;
  }

  async agentsView(capability: string | undefined): Promise<Out<'agentList'>> {
    return { agents: (await this.agents(capability)).map(agentViewOf) };
  }

  async drain(instanceId: string): Promise<registry.AgentInstance> {
    return (await unary(this.registryClient.drainInstance({ instanceId }))).instance!;
  }

  async drainView(instanceId: string): Promise<Out<'instanceResponse'>> {
    return { instance: instanceViewOf(await this.drain(instanceId)) };
  }
}
