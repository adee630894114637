import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Client } from 'pg';
import { createDataSource } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { MemoryReader, MemorySweeper, RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA, vectorBytes, type MemoryCaps, type StepMemoryWrites } from '../src';

/**
 * Agent memory at the database layer, as the agent-runner's role: writes ride with the step
 * record (first write only), limits evict in that transaction, expired rows are never read and
 * are swept, rows survive a new connection pool, and row-level security keeps tenants apart.
 */
describe('agent memory on real PostgreSQL', () => {
  let db: TestDatabase & ServiceUrls;
  let ds: DataSource;
  let store: RunStore;
  let reader: MemoryReader;

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), [{ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }]);
    ds = await createDataSource({ url: db.urlOf('agent-runner'), schema: RUNS_SCHEMA }).initialize();
    store = new RunStore(ds);
    reader = new MemoryReader(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const CAPS: MemoryCaps = { shortTermItems: 100, longTermBytes: 1 << 20, episodicItems: 100, semanticBytes: 1 << 20 };
  const HOUR = 3_600_000;
  const vec = (...xs: number[]) => vectorBytes(Float32Array.from(xs));
  const writes = (agent: string, w: Partial<StepMemoryWrites> = {}): StepMemoryWrites => ({ agent, classification: ['internal'], caps: CAPS, shortTerm: [], longTerm: [], episodes: [], facts: [], ...w });
  let n = 0;
  const step = (name: string) => ({ step: name, agent: name, status: 'completed' as const, attempt: 1, inputEventId: `e${++n}`, output: { ok: true }, startedAt: new Date(), finishedAt: new Date() });

  /** Row counts of one tenant, read as the owner (no row-level security in the way). */
  async function rows(tenantId: string): Promise<Record<string, number>> {
    const owner = new Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      const out: Record<string, number> = {};
      for (const t of ['memory_short_term', 'memory_long_term', 'memory_episodic', 'memory_semantic']) {
        out[t] = (await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs.${t} WHERE tenant_id = $1`, [tenantId])).rows[0]!.n;
      }
      return out;
    } finally {
      await owner.end();
    }
  }

  async function usage(tenantId: string, agent: string): Promise<Record<string, { items: number; bytes: number }>> {
    return Object.fromEntries((await reader.usage(tenantId)).filter((u) => u.agent === agent).map((u) => [u.kind, { items: u.items, bytes: u.bytes }]));
  }

  async function newRun(tenantId: string): Promise<string> {
    const runId = randomUUID();
    await store.createRun(tenantId, { runId, workflow: 'wf', input: {}, status: 'running' });
    return runId;
  }

  const everyKind = (agent: string) =>
    writes(agent, {
      shortTerm: [{ key: 'draft', value: { words: 3 }, bytes: 20, expiresAt: new Date(Date.now() + HOUR) }],
      longTerm: [{ key: 'style', value: 'terse', bytes: 12 }],
      episodes: [{ at: new Date(), text: 'met the customer', data: { mood: 'good' }, embedding: vec(1, 0, 0), dims: 3, bytes: 40 }].map((e) => ({ ...e, expiresAt: new Date(Date.now() + HOUR) })),
      facts: [{ text: 'the sky is blue', metadata: { source: 'eyes' }, embedding: vec(0, 1, 0), dims: 3, bytes: 30 }],
    });

  it('stores a redelivered step\'s memory once: the second delivery (and a duplicate in the same batch) writes nothing', async () => {
    const tenant = randomUUID();
    const runId = await newRun(tenant);
    const s = step('writer');
    const first = await store.recordStep(tenant, runId, s, null, everyKind('writer'));
    expect(first.firstWrite).toBe(true);
    expect(first.memory).toMatchObject({ episodeIds: [expect.any(BigInt)], factIds: [expect.any(BigInt)] });
    // The redelivery ran `process` again and made the same writes: none is stored.
    const again = await store.recordStep(tenant, runId, s, null, everyKind('writer'));
    expect(again).toMatchObject({ firstWrite: false });
    expect(again.memory).toBeUndefined();
    // Two deliveries of another step in one burst (one batch): one wins.
    const s2 = step('other');
    const both = await Promise.all([store.recordStep(tenant, runId, s2, null, everyKind('other')), store.recordStep(tenant, runId, s2, null, everyKind('other'))]);
    expect(both.map((b) => b.firstWrite).sort()).toEqual([false, true]);
    expect(await rows(tenant)).toEqual({ memory_short_term: 2, memory_long_term: 2, memory_episodic: 2, memory_semantic: 2 });
    expect(await usage(tenant, 'writer')).toEqual({
      short_term: { items: 1, bytes: 20 },
      long_term: { items: 1, bytes: 12 },
      episodic: { items: 1, bytes: 40 },
      semantic: { items: 1, bytes: 30 },
    });
    // What a later step reads back (values as written; the step's own run for short-term).
    expect(await reader.get({ kind: 'short_term', tenantId: tenant, runId, agent: 'writer' }, 'draft')).toEqual({ value: { words: 3 }, classification: ['internal'] });
    expect(await reader.get({ kind: 'long_term', tenantId: tenant, agent: 'writer' }, 'style')).toEqual({ value: 'terse', classification: ['internal'] });
    expect(await reader.recall(tenant, 'writer', { limit: 10 })).toEqual([{ id: first.memory!.episodeIds[0], text: 'met the customer', data: { mood: 'good' }, at: expect.any(Date), classification: ['internal'] }]);
    expect(await reader.facts(tenant, 'writer', first.memory!.factIds)).toEqual([{ id: first.memory!.factIds[0], text: 'the sky is blue', metadata: { source: 'eyes' }, classification: ['internal'] }]);
    expect((await reader.vectorsAfter(tenant, 'writer', 'semantic', 0n)).rows.map((v) => [...v.vector])).toEqual([[0, 1, 0]]);
  });

  it('replaces and deletes key-value entries, keeping usage exact', async () => {
    const tenant = randomUUID();
    const runId = await newRun(tenant);
    await store.recordStep(tenant, runId, step('kv'), null, writes('kv', { longTerm: [{ key: 'a', value: 1, bytes: 100 }, { key: 'b', value: 2, bytes: 50 }] }));
    await store.recordStep(tenant, runId, step('kv2'), null, writes('kv', { longTerm: [{ key: 'a', value: 3, bytes: 10 }, { key: 'b', value: null, deleted: true, bytes: 0 }, { key: 'c', value: null, bytes: 5 }] }));
    expect(await usage(tenant, 'kv')).toEqual({ long_term: { items: 2, bytes: 15 } });
    expect(await reader.get({ kind: 'long_term', tenantId: tenant, agent: 'kv' }, 'a')).toEqual({ value: 3, classification: ['internal'] });
    expect(await reader.get({ kind: 'long_term', tenantId: tenant, agent: 'kv' }, 'b')).toBeUndefined();
    expect(await reader.get({ kind: 'long_term', tenantId: tenant, agent: 'kv' }, 'c')).toEqual({ value: null, classification: ['internal'] }); // JSON null is a value
  });

  it('evicts by the documented policy: short-term and episodic by items, long-term and semantic by bytes, least recently written first', async () => {
    const tenant = randomUUID();
    const caps: MemoryCaps = { shortTermItems: 3, longTermBytes: 100, episodicItems: 2, semanticBytes: 100 };
    const runId = await newRun(tenant);
    const later = new Date(Date.now() + HOUR);
    const first = await store.recordStep(tenant, runId, step('lim'), null, {
      ...writes('lim'),
      caps,
      shortTerm: ['k1', 'k2'].map((key) => ({ key, value: key, bytes: 10, expiresAt: later })),
      longTerm: ['l1', 'l2'].map((key) => ({ key, value: key, bytes: 40 })),
      episodes: ['e1', 'e2'].map((text) => ({ at: new Date(), text, data: undefined, embedding: vec(1, 1), dims: 2, bytes: 10, expiresAt: later })),
      facts: ['f1', 'f2'].map((text) => ({ text, metadata: {}, embedding: vec(1, 0), dims: 2, bytes: 40 })),
    });
    expect(first.memory!.evictions).toEqual([]);
    // The same run's short-term (another agent step of the same agent scope is the same run and agent).
    const second = await store.recordStep(tenant, runId, { ...step('lim-2'), agent: 'lim' }, null, {
      ...writes('lim'),
      caps,
      shortTerm: ['k3', 'k4'].map((key) => ({ key, value: key, bytes: 10, expiresAt: later })),
      longTerm: [{ key: 'l3', value: 'l3', bytes: 40 }],
      episodes: [{ at: new Date(), text: 'e3', data: undefined, embedding: vec(1, 1), dims: 2, bytes: 10, expiresAt: later }],
      facts: [{ text: 'f3', metadata: {}, embedding: vec(1, 0), dims: 2, bytes: 40 }],
    });
    const evicted = Object.fromEntries(second.memory!.evictions.map((e) => [e.kind, { items: e.items, ids: e.ids.length }]));
    expect(evicted).toEqual({ short_term: { items: 1, ids: 0 }, long_term: { items: 1, ids: 0 }, episodic: { items: 1, ids: 1 }, semantic: { items: 1, ids: 1 } });
    expect(await reader.keys({ kind: 'short_term', tenantId: tenant, runId, agent: 'lim' })).toEqual(['k4', 'k3', 'k2']);
    expect(await reader.keys({ kind: 'long_term', tenantId: tenant, agent: 'lim' })).toEqual(['l3', 'l2']);
    expect((await reader.recall(tenant, 'lim', { limit: 10 })).map((e) => e.text).sort()).toEqual(['e2', 'e3']);
    expect(second.memory!.evictions.find((e) => e.kind === 'semantic')!.ids).toEqual([first.memory!.factIds[0]]);
    expect(await usage(tenant, 'lim')).toEqual({ short_term: { items: 3, bytes: 30 }, long_term: { items: 2, bytes: 80 }, episodic: { items: 2, bytes: 20 }, semantic: { items: 2, bytes: 80 } });
  });

  it('under concurrent writers keeps usage exact and lets a since-last-seen reader miss no row', async () => {
    const tenant = randomUUID();
    const runIds = await Promise.all(Array.from({ length: 120 }, () => newRun(tenant)));
    // A poller doing what a runner's index does, all through the writes: it must end with every row.
    const seen = new Set<bigint>();
    let horizon = 0n;
    let polls = 0;
    let writing = true;
    const poll = async () => {
      const next = await reader.vectorsAfter(tenant, 'busy', 'semantic', horizon, (id) => seen.has(id));
      for (const r of next.rows) seen.add(r.id);
      horizon = next.horizon;
      polls++;
    };
    const poller = (async () => {
      while (writing) await poll();
    })();
    await Promise.all(
      runIds.map((runId, i) =>
        store.recordStep(tenant, runId, step('busy'), null, writes('busy', {
          // Every run rewrites the same long-term key with another size, and adds a fact.
          longTerm: [{ key: 'shared', value: i, bytes: 10 + (i % 7) }],
          facts: [{ text: `fact ${i}`, metadata: {}, embedding: vec(i, 1), dims: 2, bytes: 20 }],
        })),
      ),
    );
    writing = false;
    await poller;
    await poll();
    expect(polls).toBeGreaterThan(2); // it did look while the batches committed
    expect(seen.size).toBe(120);
    const owner = new Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      const actual = (await owner.query<{ items: number; bytes: number }>(`SELECT count(*)::int AS items, sum(bytes)::int AS bytes FROM runs.memory_long_term WHERE tenant_id = $1 AND agent = 'busy'`, [tenant])).rows[0]!;
      expect((await usage(tenant, 'busy'))['long_term']).toEqual(actual);
      expect(actual.items).toBe(1);
    } finally {
      await owner.end();
    }
    expect((await usage(tenant, 'busy'))['semantic']).toEqual({ items: 120, bytes: 2400 });
  });

  it('never returns expired rows, and the sweep deletes them and their usage', async () => {
    const tenant = randomUUID();
    const runId = await newRun(tenant);
    const past = new Date(Date.now() - 1_000);
    await store.recordStep(tenant, runId, step('ttl'), null, {
      ...writes('ttl'),
      shortTerm: [{ key: 'old', value: 1, bytes: 10, expiresAt: past }, { key: 'new', value: 2, bytes: 10, expiresAt: new Date(Date.now() + HOUR) }],
      episodes: [{ at: past, text: 'gone', data: undefined, embedding: vec(1), dims: 1, bytes: 5, expiresAt: past }],
    });
    const short = { kind: 'short_term' as const, tenantId: tenant, runId, agent: 'ttl' };
    expect(await reader.get(short, 'old')).toBeUndefined();
    expect(await reader.keys(short)).toEqual(['new']);
    expect(await reader.recall(tenant, 'ttl', { limit: 10 })).toEqual([]);
    expect((await reader.vectorsAfter(tenant, 'ttl', 'episodic', 0n)).rows).toEqual([]);
    expect(await rows(tenant)).toMatchObject({ memory_short_term: 2, memory_episodic: 1 });
    const swept = await new MemorySweeper(ds).sweepOnce();
    expect(swept.expired.filter((e) => e.tenantId === tenant).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { tenantId: tenant, agent: 'ttl', kind: 'episodic', items: 1 },
      { tenantId: tenant, agent: 'ttl', kind: 'short_term', items: 1 },
    ]);
    expect(await rows(tenant)).toMatchObject({ memory_short_term: 1, memory_episodic: 0 });
    expect(await usage(tenant, 'ttl')).toEqual({ short_term: { items: 1, bytes: 10 }, episodic: { items: 0, bytes: 0 } });
    // A second sweep finds nothing more of this tenant (deletes are idempotent).
    expect((await new MemorySweeper(ds).sweepOnce()).expired.filter((e) => e.tenantId === tenant)).toEqual([]);
  });

  it('keeps memory across a restart (a new connection pool and reader)', async () => {
    const tenant = randomUUID();
    const runId = await newRun(tenant);
    const { memory } = await store.recordStep(tenant, runId, step('durable'), null, everyKind('durable'));
    const restarted = await createDataSource({ url: db.urlOf('agent-runner'), schema: RUNS_SCHEMA }).initialize();
    try {
      const again = new MemoryReader(restarted);
      expect(await again.get({ kind: 'short_term', tenantId: tenant, runId, agent: 'durable' }, 'draft')).toEqual({ value: { words: 3 }, classification: ['internal'] });
      expect(await again.get({ kind: 'long_term', tenantId: tenant, agent: 'durable' }, 'style')).toEqual({ value: 'terse', classification: ['internal'] });
      expect((await again.recall(tenant, 'durable', { limit: 5 })).map((e) => e.text)).toEqual(['met the customer']);
      expect((await again.facts(tenant, 'durable', memory!.factIds)).map((f) => f.text)).toEqual(['the sky is blue']);
    } finally {
      await restarted.destroy();
    }
  });

  it("keeps tenants apart under row-level security: tenant B reads none of tenant A's memory", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const runId = await newRun(a);
    const { memory } = await store.recordStep(a, runId, step('secret'), null, everyKind('secret'));
    expect(await reader.get({ kind: 'short_term', tenantId: b, runId, agent: 'secret' }, 'draft')).toBeUndefined();
    expect(await reader.get({ kind: 'long_term', tenantId: b, agent: 'secret' }, 'style')).toBeUndefined();
    expect(await reader.recall(b, 'secret', { limit: 10 })).toEqual([]);
    expect(await reader.facts(b, 'secret', memory!.factIds)).toEqual([]);
    expect((await reader.vectorsAfter(b, 'secret', 'semantic', 0n)).rows).toEqual([]);
    // Raw SQL as the runner's role, tenant B set, not even filtering by tenant: no row of A.
    const c = new Client({ connectionString: db.urlOf('agent-runner') });
    await c.connect();
    try {
      await c.query(`BEGIN; SELECT set_config('weaver.tenant_id', '${b}', true)`);
      for (const t of ['memory_short_term', 'memory_long_term', 'memory_episodic', 'memory_semantic', 'memory_usage']) {
        expect({ t, n: (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs.${t} WHERE tenant_id = $1`, [a])).rows[0]!.n }).toEqual({ t, n: 0 });
      }
      // Writing into A's memory as B is refused by the policy.
      await expect(c.query(`INSERT INTO runs.memory_long_term (tenant_id, agent, key, value, bytes, written_at) VALUES ($1, 'secret', 'x', '1', 1, now())`, [a])).rejects.toThrow(/row-level security/);
      await c.query('ROLLBACK');
      // The sweep's setting shows expired rows only: A's live memory stays invisible.
      await c.query(`BEGIN; SELECT set_config('weaver.memory_sweep', 'on', true)`);
      for (const t of ['memory_short_term', 'memory_long_term', 'memory_episodic', 'memory_semantic', 'memory_usage']) {
        expect({ t, n: (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs.${t} WHERE tenant_id = $1`, [a])).rows[0]!.n }).toEqual({ t, n: 0 });
      }
      await c.query('ROLLBACK');
    } finally {
      await c.end();
    }
  });
});
