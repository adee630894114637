import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { MemoryStore, RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA } from '../src';

describe('RunStore on real PostgreSQL', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: RunStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    await runMigrations({ url: db.ownerUrl, schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS, appRole: { password: 'weaver_app_test' } });
    ds = await createDataSource({ url: db.appUrl, schema: RUNS_SCHEMA }).initialize();
    store = new RunStore(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const step = (output: unknown) => ({ step: 'writer', agent: 'writer', status: 'completed' as const, attempt: 1, inputEventId: 'e1', output, startedAt: new Date(), finishedAt: new Date() });

  it('creates runs idempotently, records a step once, and keeps the first result', async () => {
    const tenant = randomUUID();
    const runId = randomUUID();
    expect(await store.createRun(tenant, { runId, workflow: 'wf', input: { topic: 'x' } })).toEqual({ created: true });
    expect(await store.createRun(tenant, { runId, workflow: 'wf', input: { topic: 'x' } })).toEqual({ created: false });
    const first = await store.recordStep(tenant, runId, step({ draft: 'one' }));
    const second = await store.recordStep(tenant, runId, step({ draft: 'two' }));
    expect(first.firstWrite).toBe(true);
    expect(second.firstWrite).toBe(false);
    expect(second.record.output).toEqual({ draft: 'one' });
    await store.markRunning(tenant, runId);
    expect(await store.completeRun(tenant, runId, { ok: true }, null)).toBe(true);
    expect(await store.markRunning(tenant, runId).then(() => store.getRun(tenant, runId))).toMatchObject({ status: 'completed', result: { ok: true } });
    const run = await store.getRun(tenant, runId);
    expect(run?.steps.map((s) => s.step)).toEqual(['writer']);
  });

  it('keeps tenants apart', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const runId = randomUUID();
    await store.createRun(a, { runId, workflow: 'wf', input: {} });
    expect(await store.getRun(b, runId)).toBeUndefined();
    expect(await store.listRuns(b)).toEqual([]);
    expect((await store.listRuns(a)).map((r) => r.runId)).toEqual([runId]);
  });

  it('keeps agent memory across a restart (a new connection pool), per tenant and scope', async () => {
    const tenant = randomUUID();
    const other = randomUUID();
    const runId = randomUUID();
    const memory = new MemoryStore(ds);
    await memory.scoped({ tenantId: tenant, runId, agent: 'writer' }).set('draft', { words: 3 });
    await memory.scoped({ tenantId: tenant, runId: '*', agent: 'writer' }).set('style', 'terse');
    const restarted = await createDataSource({ url: db.appUrl, schema: RUNS_SCHEMA }).initialize();
    try {
      const again = new MemoryStore(restarted);
      expect(await again.scoped({ tenantId: tenant, runId, agent: 'writer' }).get('draft')).toEqual({ words: 3 });
      expect(await again.scoped({ tenantId: tenant, runId: randomUUID(), agent: 'writer' }).get('draft')).toBeUndefined();
      expect(await again.scoped({ tenantId: tenant, runId: '*', agent: 'writer' }).get('style')).toBe('terse');
      expect(await again.scoped({ tenantId: other, runId: '*', agent: 'writer' }).get('style')).toBeUndefined();
      await expect(again.scoped({ tenantId: tenant, runId, agent: 'writer' }).set('x', undefined)).rejects.toThrow('memory.x');
    } finally {
      await restarted.destroy();
    }
  });
});
