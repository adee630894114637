import { TenantLabel, type Metrics } from '@weaver/observability';
import type { UsageEntry } from './ledger/usage-ledger';

/** What a billing batch answered about the tenant's budget (router.billing_batch's claim rows). */
export interface BudgetReading {
  limit: number | null;
  spent: number | null;
  reserved: number | null;
}

/**
 * The tenant-scoped business series of the router: tokens and cost per tenant, workflow,
 * agent and model (from the ledger entry just settled), and the budget as the last claim batch
 * read it under the budget row lock. The `tenant` label goes through `TenantLabel` (capped, see
 * @weaver/observability metric-labels). No query of its own: everything comes from writes the
 * call makes anyway. Each replica reports the budget it last saw; take `min` across replicas.
 */
export class UsageMetrics {
  private readonly tokens;
  private readonly cost;
  private readonly remaining;
  private readonly limit;
  private readonly tenants: TenantLabel;

  constructor(metrics: Metrics, tenantCap?: number) {
    this.tenants = new TenantLabel(tenantCap);
    const labels = ['tenant', 'workflow', 'agent', 'model'] as const;
    this.tokens = metrics.counter('weaver_model_tokens_total', 'Tokens billed per tenant, workflow, agent, model and direction (input, output)', [...labels, 'direction']);
    this.cost = metrics.counter('weaver_model_cost_usd_total', 'Cost billed in USD per tenant, workflow, agent and model', labels);
    this.remaining = metrics.gauge('weaver_budget_remaining_usd', 'Budget left (limit - spent - reserved) as of the last claim this router saw; tenants with a limit only', ['tenant']);
    this.limit = metrics.gauge('weaver_budget_limit_usd', 'The tenant budget limit in USD (its own or its budget_usd quota)', ['tenant']);
  }

  billed(e: UsageEntry): void {
    const labels = { tenant: this.tenants.of(e.tenantId), workflow: e.workflow, agent: e.agent, model: e.model };
    this.tokens.inc({ ...labels, direction: 'input' }, e.inputTokens);
    this.tokens.inc({ ...labels, direction: 'output' }, e.outputTokens);
    this.cost.inc(labels, e.costUsd);
  }

  budget(tenantId: string, b: BudgetReading): void {
    if (b.limit === null || b.limit === undefined) return;
    const tenant = this.tenants.of(tenantId);
    this.limit.set({ tenant }, Number(b.limit));
    this.remaining.set({ tenant }, Math.max(0, Number(b.limit) - Number(b.spent ?? 0) - Number(b.reserved ?? 0)));
  }
}
