import { randomUUID } from 'node:crypto';
import { ValidationError } from '@weaver/errors';
import { decodeEnvelope, envelopeRecord, EventProducer, newEnvelope } from '@weaver/messaging';
import { parseLetterId } from '../src';
import { Agent, agent, Workflow } from '@weaver/sdk';
import { agentGroup } from '@weaver/agent-runtime';
import { AdminFixture, eventually } from './admin-fixture';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the runtime's test fixture (broker, database, host), shared rather than copied
import { readTopic, RuntimeFixture } from '../../agent-runtime/test/runtime-fixture';

interface Order {
  sku: string;
}

/** Refuses orders (a ValidationError naming the field: not retried, dead-lettered at once) while `closed`. */
const closed = new Set<string>();

@agent({ name: 'dl-check', requires: ['dl.placed'], publishes: ['dl.checked'] })
class Check extends Agent<Order> {
  async process(o: Order) {
    if (closed.has(o.sku)) throw new ValidationError([{ field: 'input.sku', rule: `"${o.sku}" is not sold any more` }], 'order');
    return { ok: o.sku };
  }
}

const flow = new Workflow('dl-flow').addAgents(Check);

describe('dead letters in the admin API on the real broker and database (issue 12 item 2)', () => {
  const fx = new RuntimeFixture();
  const admin = new AdminFixture(fx);
  let producer: EventProducer;
  const tenant = randomUUID();
  const other = randomUUID();
  const runs: string[] = [];
  let group: string;
  beforeAll(async () => {
    await fx.open();
    await fx.host([flow]);
    await admin.open();
    producer = new EventProducer(fx.kafka);
    group = agentGroup(fx.names, 'dl-check');
    // Four runs fail at the check: three of `tenant`, one of `other`.
    for (const [t, sku] of [[tenant, 'a'], [tenant, 'b'], [tenant, 'c'], [other, 'd']] as const) {
      closed.add(sku);
      const runId = randomUUID();
      runs.push(runId);
      await producer.send([envelopeRecord(newEnvelope({ tenantId: t, runId, workflow: 'dl-flow', type: 'run.requested', producer: 'test', payload: { input: { sku } } }), fx.names.triggers)]);
    }
    await fx.until('four runs failed', () => runs.every((r) => fx.count(r, 'run.failed') > 0));
  });
  afterAll(async () => {
    await producer?.disconnect();
    await admin.close();
    await fx.close();
  });

  it('lists the letters with their errors (field and rule), tenant-scoped, in stable pages', async () => {
    let all: Awaited<ReturnType<typeof admin.letters.list>>['deadLetters'] = [];
    await eventually('four letters listed', async () => (all = (await admin.letters.list({ group, limit: 50 })).deadLetters).length === 4);
    // In dead-lettering order, which is not the order the runs started (their steps ran on several partitions).
    expect(all.find((l) => l.runId === runs[0])).toMatchObject({ group, tenantId: tenant, state: 'dead', error: { code: 'INVALID_ARGUMENT', violations: [{ field: 'input.sku', rule: '"a" is not sold any more' }] } });
    expect(new Set(all.map((l) => l.runId))).toEqual(new Set(runs));

    const first = await admin.letters.list({ group, tenantId: tenant, limit: 2 });
    expect(first.deadLetters).toHaveLength(2);
    const second = await admin.letters.list({ group, tenantId: tenant, limit: 2, cursor: first.nextCursor });
    expect(second.deadLetters).toHaveLength(1);
    expect([...first.deadLetters, ...second.deadLetters].map((l) => l.runId).sort()).toEqual(runs.slice(0, 3).sort());
    expect(first.deadLetters.map((l) => l.id)).toEqual(all.filter((l) => l.tenantId === tenant).slice(0, 2).map((l) => l.id));
    expect(second.nextCursor).toBeUndefined();
    expect([...first.deadLetters, ...second.deadLetters].every((l) => l.tenantId === tenant)).toBe(true);
    // Every group's letters without a group (this namespace's DLQs only).
    expect((await admin.letters.list({ limit: 50 })).deadLetters.map((l) => l.id).sort()).toEqual(all.map((l) => l.id).sort());
    await expect(admin.letters.list({ group, limit: 2, cursor: 'bogus' })).rejects.toThrow('cursor: must be a nextCursor this API returned');
    // A group that never dead-lettered has no DLQ: nothing to list, no such letter.
    expect(await admin.letters.list({ group: `${group}-none`, limit: 5 })).toEqual({ deadLetters: [] });
    await expect(admin.letters.get(`${group}-none~0~0`)).rejects.toThrow('not found');
  });

  it('inspects one with its payload; another tenant does not see it', async () => {
    const letter = (await admin.letters.list({ group, tenantId: tenant, limit: 5 })).deadLetters.find((l) => l.runId === runs[0]);
    const seen = await admin.letters.get(letter!.id);
    expect(seen).toMatchObject({ id: letter!.id, payload: { sku: 'a' }, eventType: 'dl.placed' });
    await expect(admin.letters.get(letter!.id, other)).rejects.toThrow(`dead letter ${letter!.id} not found`);
  });

  it('discards idempotently and replays each letter at most once, reviving its run', async () => {
    const letters = (await admin.letters.list({ group, tenantId: tenant, limit: 50 })).deadLetters;
    const [a, b, c] = letters;
    closed.clear(); // the orders are sold again: a re-driven check now succeeds

    expect((await admin.letters.discard(a!.id, 'admin')).state).toBe('discarded');
    expect((await admin.letters.discard(a!.id, 'admin')).state).toBe('discarded');
    expect(await admin.letters.replayMany({ ids: [a!.id] }, 'admin')).toEqual({ replayed: 0 });

    expect((await admin.letters.replayOne(b!.id, 'admin')).state).toBe('replayed');
    expect((await admin.letters.replayOne(b!.id, 'admin')).state).toBe('replayed');
    // By offset range over the whole DLQ: only c (and other's d) are still dead; again: nothing.
    const { offset: last } = parseLetterId(letters[letters.length - 1]!.id);
    expect(await admin.letters.replayMany({ group, fromOffset: 0n, toOffset: BigInt(last) }, 'admin', tenant)).toEqual({ replayed: 1 });
    expect(await admin.letters.replayMany({ group, fromOffset: 0n, toOffset: BigInt(last) }, 'admin', tenant)).toEqual({ replayed: 0 });
    expect((await admin.letters.get(c!.id)).state).toBe('replayed');
    expect((await admin.letters.discard(b!.id, 'admin')).state).toBe('replayed'); // a replayed letter stays replayed

    await fx.until('the re-driven runs completed', () => fx.count(b!.runId!, 'run.completed') > 0 && fx.count(c!.runId!, 'run.completed') > 0);
    expect(await fx.store.getRun(tenant, b!.runId!)).toMatchObject({ status: 'completed', result: { ok: expect.any(String) } });
    expect(await fx.store.getRun(tenant, a!.runId!)).toMatchObject({ status: 'failed', failedStep: 'dl-check' });
    // Exactly one re-driven copy of each replayed letter on the source topic.
    const copies = (await readTopic(fx.kafka, fx.names.event('dl.placed'), () => true)).filter((r) => r.headers['weaver-replayed-from']);
    expect(copies.map((r) => decodeEnvelope(r).runId).sort()).toEqual([b!.runId!, c!.runId!].sort());
    // The other tenant's letter was outside the tenant-scoped replays.
    expect((await admin.letters.list({ group, tenantId: other, limit: 5 })).deadLetters.map((l) => l.state)).toEqual(['dead']);
  });
});
