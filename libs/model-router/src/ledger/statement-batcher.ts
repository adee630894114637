import type { Pool } from 'pg';
import { assertUuid } from '@weaver/persistence';
import { Coalescer, type CoalescerOptions } from '@weaver/resilience';

/** Writes one tenant's group with ONE statement that is its own transaction (see billing-functions.migration.ts). */
export type StatementWrite<Op, Result> = (pool: Pool, tenantId: string, ops: readonly Op[]) => Promise<Result[]>;

/**
 * Group commit (a `Coalescer` keyed by tenant) for writes that are one self-contained statement —
 * a SQL function that sets `weaver.tenant_id` locally and does all of a group's writes — so a
 * group costs one PostgreSQL round trip, where `TenantBatcher`'s groups cost three (BEGIN +
 * tenant, the statements, COMMIT). As there, a group that fails is written again one operation
 * at a time, so one bad operation fails alone.
 */
export class StatementBatcher<Op, Result> {
  private readonly coalescer: Coalescer<Op, Result>;

  constructor(
    private readonly pool: Pool,
    private readonly write: StatementWrite<Op, Result>,
    opts: CoalescerOptions = {},
  ) {
    this.coalescer = new Coalescer((tenant, ops) => this.write(this.pool, tenant, ops), { ...opts, isolateFailures: true });
  }

  submit(tenantId: string, op: Op): Promise<Result> {
    assertUuid(tenantId, 'tenantId');
    return this.coalescer.submit(tenantId.toLowerCase(), op);
  }
}
