import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA, ScheduleTickStore } from '../src';

describe('runs.joins and runs.schedule_ticks on real PostgreSQL', () => {
  let db: TestDatabase & ServiceUrls;
  let ds: DataSource;
  let store: RunStore;
  let ticks: ScheduleTickStore;

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), [{ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }]);
    // Enough connections that the racing arrivals really run in parallel transactions.
    ds = await createDataSource({ url: db.urlOf('agent-runner'), schema: RUNS_SCHEMA, poolSize: 12 }).initialize();
    store = new RunStore(ds);
    ticks = new ScheduleTickStore(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const required = ['a.done', 'b.done', 'c.done'];

  it('lets exactly one of many racing last arrivals complete a join, and keeps its parts', async () => {
    const tenant = randomUUID();
    for (let round = 0; round < 10; round++) {
      const runId = randomUUID();
      await store.arriveAtJoin(tenant, runId, 'merger', { type: 'a.done', eventId: 'a', payload: { a: round } }, required);
      // Two events of each missing type race (as redeliveries and duplicates would).
      const racers = ['b1', 'b2', 'c1', 'c2'].map((id) => store.arriveAtJoin(tenant, runId, 'merger', { type: `${id[0]}.done`, eventId: id, payload: { [id[0]!]: id } }, required));
      const states = await Promise.all(racers);
      const completers = new Set(states.map((s) => s.completedBy).filter(Boolean));
      expect(completers.size).toBe(1);
      const winner = [...completers][0]!;
      // Only the winner sees itself as the completer; everyone sees the same, complete parts.
      expect(states.filter((s, i) => s.completedBy === ['b1', 'b2', 'c1', 'c2'][i])).toHaveLength(1);
      const stored = await store.getJoin(tenant, runId, 'merger');
      expect(stored).toMatchObject({ completedBy: winner, missing: [], required });
      expect(Object.keys(stored!.parts).sort()).toEqual(required);
      // A redelivery of any part after completion changes nothing.
      expect(await store.arriveAtJoin(tenant, runId, 'merger', { type: 'b.done', eventId: 'b9', payload: {} }, required)).toEqual({ completedBy: winner, parts: stored!.parts, missing: [], classification: ['internal'] });
    }
  });

  it('keeps joins per tenant (row-level security)', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const runId = randomUUID();
    await store.arriveAtJoin(a, runId, 'merger', { type: 'a.done', eventId: 'x', payload: 1 }, required);
    expect(await store.getJoin(b, runId, 'merger')).toBeUndefined();
    expect((await store.arriveAtJoin(b, runId, 'merger', { type: 'b.done', eventId: 'y', payload: 2 }, required)).parts).toEqual({ 'b.done': 2 });
    expect((await store.getJoin(a, runId, 'merger'))?.parts).toEqual({ 'a.done': 1 });
  });

  it('gives each (tenant, workflow, tick) to one claimant, and finds claims left unproduced', async () => {
    const tenant = randomUUID();
    const tickAt = new Date('2026-04-01T00:00:00Z');
    const claims = await Promise.all(['r1', 'r2', 'r3', 'r4'].map((who) => ticks.claim(tenant, { workflow: 'report', tickAt, runId: randomUUID(), input: { who }, claimedBy: who })));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const [claim] = await ticks.list(tenant, 'report');
    expect(claim).toMatchObject({ tenantId: tenant, workflow: 'report', producedAt: null });
    const owner = claim!.claimedBy;
    expect(claim!.input).toEqual({ who: owner });
    // Its claimant finds it; another replica only once it is stale.
    expect(await ticks.unproduced(tenant, { claimedBy: owner, staleBefore: new Date(0) })).toHaveLength(1);
    expect(await ticks.unproduced(tenant, { claimedBy: 'someone-else', staleBefore: new Date(0) })).toHaveLength(0);
    expect(await ticks.unproduced(tenant, { claimedBy: null, staleBefore: new Date(Date.now() + 1000) })).toHaveLength(1);
    await ticks.markProduced(tenant, 'report', tickAt);
    expect(await ticks.unproduced(tenant, { claimedBy: owner, staleBefore: new Date(Date.now() + 1000) })).toHaveLength(0);
    // Another tenant's tick at the same time is its own claim.
    expect(await ticks.claim(randomUUID(), { workflow: 'report', tickAt, runId: randomUUID(), input: {}, claimedBy: 'r1' })).toBe(true);
    expect(await ticks.list(randomUUID(), 'report')).toEqual([]);
  });
});
