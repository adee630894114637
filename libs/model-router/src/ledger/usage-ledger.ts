import type { EntityManager } from 'typeorm';

export interface UsageEntry {
  tenantId: string;
  workflow: string;
  agent: string;
  runId: string;
  step: string;
  model: string;
  provider: string;
  operation: 'generate' | 'stream' | 'embed';
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  cached: boolean;
  experiment: string;
  arm: string;
  idempotencyKey?: string;
}

export interface UsageFilter {
  workflow?: string;
  agent?: string;
  model?: string;
  since?: Date;
  /** Exclusive upper bound. */
  until?: Date;
}

export interface UsageRow {
  workflow: string;
  agent: string;
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** One model call of a run, as the ledger recorded it. */
export interface ModelCallRow {
  step: string;
  agent: string;
  model: string;
  provider: string;
  operation: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  cached: boolean;
  at: Date;
}

/** Most calls one read returns: a run has a handful of steps, each a few calls. */
export const MODEL_CALLS_MAX = 1000;
export const MODEL_CALLS_DEFAULT = 500;

/**
 * The append-only ledger of tokens and cost; at most one billed row per idempotency key. Rows
 * are written with their settlement (settle-batch.ts); this reads the totals.
 */
export class UsageLedger {
  /** Totals per workflow, agent and model (RLS limits rows to the current tenant). */
  async query(em: EntityManager, tenantId: string, f: UsageFilter): Promise<UsageRow[]> {
    const rows = (await em.query(
      `SELECT workflow, agent, model, count(*)::int AS requests, sum(input_tokens)::bigint AS input_tokens,
              sum(output_tokens)::bigint AS output_tokens, sum(cost_usd) AS cost_usd
       FROM router.usage_ledger
       WHERE tenant_id = $1 AND ($2::text IS NULL OR workflow = $2) AND ($3::text IS NULL OR agent = $3)
         AND ($4::text IS NULL OR model = $4) AND ($5::timestamptz IS NULL OR created_at >= $5)
         AND ($6::timestamptz IS NULL OR created_at < $6)
       GROUP BY workflow, agent, model ORDER BY workflow, agent, model`,
      [tenantId, f.workflow ?? null, f.agent ?? null, f.model ?? null, f.since ?? null, f.until ?? null],
    )) as Array<{ workflow: string; agent: string; model: string; requests: number; input_tokens: string; output_tokens: string; cost_usd: string }>;
    return rows.map((r) => ({
      workflow: r.workflow,
      agent: r.agent,
      model: r.model,
      requests: r.requests,
      inputTokens: Number(r.input_tokens),
      outputTokens: Number(r.output_tokens),
      costUsd: Number(r.cost_usd),
    }));
  }

  /** One run's calls, oldest first, through index usage_ledger_tenant_run (RLS limits rows to the current tenant). */
  async calls(em: EntityManager, tenantId: string, runId: string, limit = MODEL_CALLS_DEFAULT): Promise<ModelCallRow[]> {
    const rows = (await em.query(
      `SELECT step, agent, model, provider, operation, input_tokens, output_tokens, cost_usd, cached, created_at
       FROM router.usage_ledger WHERE tenant_id = $1 AND run_id = $2 ORDER BY created_at, id LIMIT $3`,
      [tenantId, runId, Math.min(Math.max(1, limit), MODEL_CALLS_MAX)],
    )) as Array<{ step: string; agent: string; model: string; provider: string; operation: string; input_tokens: number; output_tokens: number; cost_usd: string; cached: boolean; created_at: Date }>;
    return rows.map((r) => ({
      step: r.step,
      agent: r.agent,
      model: r.model,
      provider: r.provider,
      operation: r.operation,
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
      costUsd: Number(r.cost_usd),
      cached: r.cached,
      at: r.created_at,
    }));
  }
}
