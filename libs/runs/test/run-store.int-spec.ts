import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA } from '../src';

describe('RunStore on real PostgreSQL', () => {
  let db: TestDatabase & ServiceUrls;
  let ds: DataSource;
  let store: RunStore;

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), [{ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }]);
    // What the agent-runner does with runs, steps and memory, as its role.
    ds = await createDataSource({ url: db.urlOf('agent-runner'), schema: RUNS_SCHEMA }).initialize();
    store = new RunStore(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const step = (output: unknown) => ({ step: 'writer', agent: 'writer', status: 'completed' as const, attempt: 1, inputEventId: 'e1', output, startedAt: new Date(), finishedAt: new Date() });

  it('batches concurrent writes (group commit) with the same results as one by one, per tenant, and a bad write fails alone', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const runs = Array.from({ length: 120 }, (_, i) => ({ tenant: i % 2 ? a : b, runId: randomUUID(), i }));
    // Everything at once: the batcher groups them into a few transactions per tenant.
    const created = await Promise.all(runs.map((r) => store.createRun(r.tenant, { runId: r.runId, workflow: 'wf', input: { i: r.i }, classification: ['internal'], status: 'running' })));
    expect(created.every((c) => c.created)).toBe(true);
    const writes = await Promise.all([
      ...runs.map((r) => store.recordStep(r.tenant, r.runId, step({ i: r.i }))),
      // Redeliveries of the same steps in the same burst: one write wins, both see its output.
      ...runs.slice(0, 10).map((r) => store.recordStep(r.tenant, r.runId, step({ i: -1 }))),
      // jsonb refuses NUL characters: this write fails, the others in its batch must not.
      store.recordStep(a, randomUUID(), step({ bad: 'nul\u0000' })).then(() => 'stored', (e: Error) => e.message),
    ]);
    const bad = writes.pop();
    expect(bad).toMatch(/unsupported Unicode escape sequence|\\u0000/);
    const firsts = writes.filter((w) => typeof w === 'object' && w.firstWrite).length;
    expect(firsts).toBe(runs.length);
    for (let k = 0; k < 10; k++) {
      const [one, two] = [writes[k], writes[runs.length + k]] as Array<{ record: { output: unknown } }>;
      expect(one!.record.output).toEqual(two!.record.output);
    }
    const done = await Promise.all(runs.map((r) => store.completeRun(r.tenant, r.runId, { i: r.i }, `mem://${r.i}`)));
    expect(done.every(Boolean)).toBe(true);
    expect(await store.completeRun(runs[0]!.tenant, runs[0]!.runId, { again: true }, null)).toBe(false); // completed is final
    const sample = await store.getRun(runs[3]!.tenant, runs[3]!.runId);
    expect(sample).toMatchObject({ status: 'completed', result: { i: 3 }, resultUri: 'mem://3', classification: ['internal'] });
    // Row-level security: the other tenant does not see it.
    expect(await store.getRun(runs[3]!.tenant === a ? b : a, runs[3]!.runId)).toBeUndefined();
  });

  it('fails a run once every consumer of an event declined it, and only then', async () => {
    const tenant = randomUUID();
    const runId = randomUUID();
    await store.createRun(tenant, { runId, workflow: 'wf', input: {}, status: 'running' });
    const declined = (agent: string) => ({ ...step(null), step: agent, agent, status: 'skipped' as const, inputEventId: 'evt-1' });
    await store.recordStep(tenant, runId, declined('billing'));
    const d = { inputEventId: 'evt-1', consumers: ['billing', 'support'], reason: 'nobody took it' };
    expect(await store.declineStep(tenant, runId, { ...d, step: 'billing' })).toBe(false); // support may still take it
    await store.recordStep(tenant, runId, declined('support'));
    expect(await store.declineStep(tenant, runId, { ...d, step: 'support' })).toBe(true);
    expect(await store.declineStep(tenant, runId, { ...d, step: 'support' })).toBe(false); // already failed
    expect(await store.getRun(tenant, runId)).toMatchObject({ status: 'failed', error: 'nobody took it', failedStep: 'support' });
  });

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
});
