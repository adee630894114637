import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { RunControl, RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA, type RunRecord } from '../src';

describe('run lists by keyset pages, and cancel, on real PostgreSQL as the gateway role', () => {
  let db: TestDatabase & ServiceUrls;
  let runner: DataSource;
  let gateway: DataSource;
  let writes: RunStore;
  let reads: RunStore;
  const [a, b] = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), [{ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }]);
    runner = await createDataSource({ url: db.urlOf('agent-runner'), schema: RUNS_SCHEMA }).initialize();
    gateway = await createDataSource({ url: db.urlOf('gateway'), schema: RUNS_SCHEMA }).initialize();
    writes = new RunStore(runner);
    reads = new RunStore(gateway);
  });
  afterAll(async () => {
    await runner?.destroy();
    await gateway?.destroy();
    await db?.drop();
  });

  /** Runs created one after another (distinct created_at), oldest first. */
  const create = async (tenant: string, n: number, workflow = 'wf', subjectId: string | null = null): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const runId = randomUUID();
      await writes.createRun(tenant, { runId, workflow, input: { i }, subjectId, status: 'running' });
      ids.push(runId);
    }
    return ids;
  };
  const ids = (runs: RunRecord[]): string[] => runs.map((r) => r.runId);

  it('pages newest first, stable while runs are inserted between pages, and filters', async () => {
    const older = await create(a, 5);
    const p1 = await reads.listRunsPage({ tenantId: a, limit: 2 });
    expect(ids(p1.runs)).toEqual([older[4], older[3]]);
    await create(a, 3); // newer runs arrive while the client pages: later pages do not shift
    const p2 = await reads.listRunsPage({ tenantId: a, limit: 2, cursor: p1.nextCursor });
    expect(ids(p2.runs)).toEqual([older[2], older[1]]);
    const p3 = await reads.listRunsPage({ tenantId: a, limit: 2, cursor: p2.nextCursor });
    expect(ids(p3.runs)).toEqual([older[0]]);
    expect(p3.nextCursor).toBeUndefined();

    const [other] = await create(a, 1, 'other-wf', 'person-1');
    expect(ids((await reads.listRunsPage({ tenantId: a, workflow: 'other-wf', limit: 10 })).runs)).toEqual([other]);
    expect(ids((await reads.listRunsPage({ tenantId: a, subjectId: 'person-1', limit: 10 })).runs)).toEqual([other]);
    const all = (await reads.listRunsPage({ tenantId: a, limit: 100 })).runs;
    const mid = all[4]!.createdAt;
    const since = (await reads.listRunsPage({ tenantId: a, from: mid, limit: 100 })).runs;
    expect(since.every((r) => r.createdAt >= mid)).toBe(true);
    expect(ids(since)).toEqual(ids(all).slice(0, 5));
    expect(ids((await reads.listRunsPage({ tenantId: a, to: mid, limit: 100 })).runs)).toEqual(ids(all).slice(5));
    await expect(reads.listRunsPage({ tenantId: a, limit: 2, cursor: 'nope' })).rejects.toThrow('cursor: must be a nextCursor this API returned');
  });

  it("a tenant's list holds only its runs; the admin list (no tenant) holds every tenant's", async () => {
    const [mine] = await create(b, 1);
    expect(ids((await reads.listRunsPage({ tenantId: b, limit: 100 })).runs)).toEqual([mine]);
    const everyone = (await reads.listRunsPage({ limit: 500 })).runs;
    expect(new Set(everyone.map((r) => r.tenantId))).toEqual(new Set([a, b]));
    expect(everyone).toHaveLength((await reads.listRunsPage({ tenantId: a, limit: 500 })).runs.length + 1);
  });

  it('cancels through the transition table once; a cancelled run records no more steps and is listed by status', async () => {
    const [runId] = await create(b, 1);
    const control = new RunControl(gateway);
    expect(await control.cancel(b, runId!, 'cancelled by test')).toEqual({ moved: true, status: 'cancelled' });
    expect(await control.cancel(b, runId!, 'cancelled by test')).toEqual({ moved: false, status: 'cancelled' });
    const step = { step: 's', agent: 's', status: 'completed' as const, attempt: 1, inputEventId: 'e', output: { x: 1 }, startedAt: new Date(), finishedAt: new Date() };
    expect(await writes.recordStep(b, runId!, step)).toMatchObject({ cancelled: true, firstWrite: false });
    expect((await writes.getRun(b, runId!))!.steps).toEqual([]);
    expect(await writes.completeRun(b, runId!, { late: true }, null)).toBe(false);
    expect(ids((await reads.listRunsPage({ tenantId: b, status: 'cancelled', limit: 10 })).runs)).toEqual([runId]);
    // The cancel event's claim: the first position wins, it wins again, any other loses.
    expect(await writes.claimCancelEvent(b, runId!, 't/0@1')).toBe(true);
    expect(await writes.claimCancelEvent(b, runId!, 't/0@1')).toBe(true);
    expect(await writes.claimCancelEvent(b, runId!, 't/0@2')).toBe(false);
    const [done] = await create(b, 1);
    await writes.completeRun(b, done!, 1, null);
    expect(await control.cancel(b, done!, 'x')).toEqual({ moved: false, status: 'completed' });
  });
});
