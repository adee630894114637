import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ResourceExhaustedError } from '@weaver/errors';
import { createKafka, EventProducer } from '@weaver/messaging';
import { createLogger } from '@weaver/observability';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { createDataSource, withTenant } from '@weaver/persistence';
import { RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA, TriggerOutbox } from '@weaver/runs';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { RunService, TriggerSender } from '../src';

/**
 * The concurrent-runs quota in the intake statement, on real PostgreSQL: two "gateway replicas"
 * (each its own pool and TriggerOutbox) submitting at once never record more active runs than
 * the limit, a finished run frees its slot, and a resubmission of a recorded run is never refused.
 */
describe('intake quotas on PostgreSQL', () => {
  let db: TestDatabase & ServiceUrls;
  /** The agent-runner's connection: it moves runs on (frees quota slots). */
  let runner: DataSource;
  const sources: DataSource[] = [];
  let replicas: TriggerOutbox[];

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), [{ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }]);
    // Two gateway replicas, each as the gateway's own role (the intake statement's rights).
    for (let i = 0; i < 2; i++) sources.push(await createDataSource({ url: db.urlOf('gateway'), schema: RUNS_SCHEMA, poolSize: 4 }).initialize());
    runner = await createDataSource({ url: db.urlOf('agent-runner'), schema: RUNS_SCHEMA, poolSize: 2 }).initialize();
    replicas = sources.map((ds) => new TriggerOutbox(ds, { leaseMs: 60_000 }));
  });
  afterAll(async () => {
    await Promise.all(sources.map((ds) => ds.destroy()));
    await runner?.destroy();
    await db?.drop();
  });

  const active = (tenant: string) =>
    withTenant(sources[0]!, tenant, async (em) => Number(((await em.query(`SELECT count(*)::int AS n FROM runs.runs WHERE status IN ('pending', 'running')`)) as Array<{ n: number }>)[0]!.n));
  const submit = (replica: TriggerOutbox, tenant: string, maxActiveRuns: number, runId = randomUUID()) => replica.recordRun(tenant, { runId, workflow: 'w', input: {}, maxActiveRuns });

  it('admits exactly the limit across two replicas submitting 40 runs at once', async () => {
    const tenant = randomUUID();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => submit(replicas[i % 2]!, tenant, 7)));
    expect(results.filter((r) => r.created)).toHaveLength(7);
    const refused = results.filter((r) => 'refused' in r);
    expect(refused).toHaveLength(33);
    expect(refused[0]).toMatchObject({ refused: 'concurrent_runs', limit: 7 });
    expect(await active(tenant)).toBe(7);
    // Another tenant has its own count.
    expect((await submit(replicas[0]!, randomUUID(), 7)).created).toBe(true);
  });

  it('frees a slot when a run ends, and never refuses a resubmission of a recorded run', async () => {
    const tenant = randomUUID();
    const first = randomUUID();
    expect(await submit(replicas[0]!, tenant, 2, first)).toEqual({ created: true });
    expect(await submit(replicas[1]!, tenant, 2)).toEqual({ created: true });
    expect(await submit(replicas[0]!, tenant, 2)).toMatchObject({ refused: 'concurrent_runs', active: 2 });
    expect(await submit(replicas[1]!, tenant, 2, first)).toEqual({ created: false }); // the same run again: not a new run
    await new RunStore(runner).markRunning(tenant, first);
    expect(await submit(replicas[0]!, tenant, 2)).toMatchObject({ refused: 'concurrent_runs' }); // running still counts
    await new RunStore(runner).completeRun(tenant, first, { ok: true }, null);
    expect(await submit(replicas[0]!, tenant, 2)).toEqual({ created: true });
    expect(await submit(replicas[0]!, tenant, 0)).toMatchObject({ refused: 'concurrent_runs', limit: 0 });
  });

  it('answers RESOURCE_EXHAUSTED naming the quota, before any trigger is sent', async () => {
    const tenant = randomUUID();
    const logger = createLogger('intake-quotas-test', { level: 'silent' });
    // Never connected: a refused run must not reach the send at all.
    const producer = new EventProducer(createKafka({ brokers: ['127.0.0.1:1'], clientId: 'unused' }));
    const runs = new RunService(new RunStore(sources[0]!), replicas[0]!, new TriggerSender(replicas[0]!, producer, { topicFor: () => 'unused', sendTimeoutMs: 100, retryAfterMs: 100, logger }));
    expect(await submit(replicas[0]!, tenant, 1)).toEqual({ created: true });
    const refusal = runs.start(tenant, { workflow: 'w', input: {} }, { maxActiveRuns: 1 });
    await expect(refusal).rejects.toBeInstanceOf(ResourceExhaustedError);
    await expect(refusal).rejects.toMatchObject({ details: { quota: 'concurrent_runs', limit: 1, retryAfterSeconds: 1 } });
    await expect(refusal).rejects.toThrow('quota concurrent_runs exceeded: 1 runs are pending or running (limit 1)');
    expect(await active(tenant)).toBe(1);
  });
});
