import type { DataSource } from 'typeorm';
import { ValidationError } from '@weaver/errors';
import { withTenant } from '@weaver/persistence';
import { LoadingCache } from '@weaver/resilience';
import { toolGrantProblems } from '@weaver/sdk/internal';

const AGENT_NAME = /^[a-z][a-z0-9-]*$/;

/** Tools granted by an admin, per (tenant, agent), besides what the agent's definition grants. */
export interface GrantSource {
  adminGrants(tenantId: string, agent: string): Promise<readonly string[]>;
}

/** No admin grants (unit tests; runners without a database). */
export const NO_ADMIN_GRANTS: GrantSource = { adminGrants: async () => [] };

/**
 * `tools.tool_grants` (row-level security per tenant). The gateway's admin route writes it; the
 * agent-runner reads a tenant's grants once per `ttlMs` (all agents in one query), so a step
 * pays no round trip for them and a revoked grant stops working at most `ttlMs` later.
 */
export class ToolGrantStore implements GrantSource {
  private readonly cache: LoadingCache<Map<string, string[]>>;

  constructor(
    private readonly ds: DataSource,
    ttlMs = 10_000,
  ) {
    this.cache = new LoadingCache((tenant) => this.load(tenant), ttlMs);
  }

  async adminGrants(tenantId: string, agent: string): Promise<readonly string[]> {
    return (await this.cache.get(tenantId)).get(agent) ?? [];
  }

  /** Every admin grant of the tenant, by agent. */
  async list(tenantId: string): Promise<Record<string, string[]>> {
    return Object.fromEntries(await this.load(tenantId));
  }

  /** Replaces the agent's admin grants (an empty list revokes them all). */
  async set(tenantId: string, agent: string, grants: string[]): Promise<void> {
    const problems = [...(AGENT_NAME.test(agent) ? [] : [{ field: 'agent', rule: `must be kebab-case ([a-z][a-z0-9-]*), got ${JSON.stringify(agent)}` }]), ...toolGrantProblems(grants, 'grants')];
    if (problems.length) throw new ValidationError(problems, 'tool grants');
    await withTenant(this.ds, tenantId, async (em) => {
      await em.query(`DELETE FROM tools.tool_grants WHERE tenant_id = $1 AND agent = $2`, [tenantId, agent]);
      if (grants.length) await em.query(`INSERT INTO tools.tool_grants (tenant_id, agent, grant_pattern) SELECT $1, $2, unnest($3::text[])`, [tenantId, agent, grants]);
    });
    this.cache.forget(tenantId);
  }

  private async load(tenantId: string): Promise<Map<string, string[]>> {
    const rows: Array<{ agent: string; grant_pattern: string }> = await withTenant(this.ds, tenantId, (em) =>
      em.query(`SELECT agent, grant_pattern FROM tools.tool_grants WHERE tenant_id = $1 ORDER BY agent, grant_pattern`, [tenantId]),
    );
    const byAgent = new Map<string, string[]>();
    for (const r of rows) byAgent.set(r.agent, [...(byAgent.get(r.agent) ?? []), r.grant_pattern]);
    return byAgent;
  }
}
