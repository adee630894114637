import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { assertUuid, TENANT_SETTING } from './with-tenant';

/**
 * Group commit for tenant-scoped writes. Callers submit one operation each and await its own
 * result; operations of one tenant that arrive while earlier batches are in flight are written
 * together, in one transaction, by multi-row statements (`execute` gets them all at once).
 *
 * Why: on the machines Weaver runs on, a PostgreSQL round trip (a socket write and a wake-up on
 * each side) costs far more than the SQL. A step recorded with its own transaction paid four
 * (BEGIN, set tenant, INSERT, COMMIT) plus a commit flush; under load, one batch pays three for
 * all of its steps. There is no artificial wait: an operation that finds a free slot starts at
 * once, so an idle system keeps its latency and a busy one batches itself.
 *
 * Row-level security holds as everywhere else: each batch is one tenant's, in a transaction
 * whose `weaver.tenant_id` is set locally first.
 */
export interface BatchExecutor<Op, Result> {
  (client: PoolClient, tenantId: string, ops: readonly Op[]): Promise<Result[]>;
}

interface Pending<Op, Result> {
  op: Op;
  resolve: (r: Result) => void;
  reject: (e: unknown) => void;
}

export interface TenantBatcherOptions {
  /** Batches in flight at once (each holds one pooled connection); default 4. */
  maxInFlight?: number;
  /** Operations per batch; default 500 (bounded statement size). */
  maxBatch?: number;
}

export class TenantBatcher<Op, Result> {
  private readonly queues = new Map<string, Pending<Op, Result>[]>();
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;

  constructor(
    private readonly pool: Pool,
    private readonly execute: BatchExecutor<Op, Result>,
    opts: TenantBatcherOptions = {},
  ) {
    this.maxInFlight = opts.maxInFlight ?? 4;
    this.maxBatch = opts.maxBatch ?? 500;
  }

  submit(tenantId: string, op: Op): Promise<Result> {
    assertUuid(tenantId, 'tenantId');
    const tenant = tenantId.toLowerCase();
    return new Promise<Result>((resolve, reject) => {
      const queue = this.queues.get(tenant) ?? [];
      queue.push({ op, resolve, reject });
      this.queues.set(tenant, queue);
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queues.size > 0) {
      // Oldest tenant first (Map keeps insertion order), so no tenant waits behind a busy one.
      const [tenant, queue] = this.queues.entries().next().value as [string, Pending<Op, Result>[]];
      const batch = queue.splice(0, this.maxBatch);
      if (queue.length === 0) this.queues.delete(tenant);
      else {
        this.queues.delete(tenant);
        this.queues.set(tenant, queue);
      }
      this.inFlight++;
      void this.run(tenant, batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(tenant: string, batch: Pending<Op, Result>[]): Promise<void> {
    let client: PoolClient | undefined;
    try {
      client = await this.pool.connect();
      // One round trip for both; the tenant id is a validated UUID, so inlining it is safe.
      await client.query(`BEGIN; SELECT set_config('${TENANT_SETTING}', '${tenant}', true)`);
      const results = await this.execute(client, tenant, batch.map((p) => p.op));
      await client.query('COMMIT');
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      await client?.query('ROLLBACK').catch(() => undefined);
      client?.release();
      client = undefined;
      // One bad operation must not fail its neighbours: write them one by one, so only it fails.
      if (batch.length > 1) for (const p of batch) await this.run(tenant, [p]);
      else batch[0]?.reject(error);
    } finally {
      client?.release();
    }
  }
}

/** The pg pool under a TypeORM DataSource (PostgreSQL driver), for batched writes. */
export function poolOf(ds: DataSource): Pool {
  const pool = (ds.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error('poolOf: the DataSource is not an initialised PostgreSQL data source');
  return pool;
}
