import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { decodeEnvelope } from '@weaver/messaging';
import { Metrics } from '@weaver/observability';
import { createDataSource } from '@weaver/persistence';
import { RUNS_SCHEMA, ScheduleTickStore } from '@weaver/runs';
import { Agent, agent, Workflow } from '@weaver/sdk';
import { scheduledRunId, WorkflowScheduler } from '../src';
import { readTopic, RuntimeFixture } from './runtime-fixture';

@agent({ name: 'ticker', requires: ['tick.requested'], publishes: ['tick.done'] })
class Ticker extends Agent<{ scheduledAt: string }> {
  async process({ scheduledAt }: { scheduledAt: string }) {
    return { at: scheduledAt };
  }
}
const tickFlow = new Workflow('tick-flow').addAgents(Ticker).setTrigger('schedule:* * * * * *');
/** The same workflow deployed with a schedule that does not tick during the test, for the recovery case. */
const yearlyTickFlow = new Workflow('tick-flow').addAgents(Ticker).setTrigger('schedule:yearly');

describe('WorkflowScheduler on the real broker and database', () => {
  const fx = new RuntimeFixture();
  let otherDs: DataSource;
  const schedulers: WorkflowScheduler[] = [];
  beforeAll(async () => {
    await fx.open();
    await fx.host([tickFlow]);
    // A second replica is a second process: its own connection pool.
    otherDs = await createDataSource({ url: fx.db.urlOf('agent-runner'), schema: RUNS_SCHEMA, poolSize: 4 }).initialize();
  });
  afterAll(async () => {
    await Promise.all(schedulers.map((s) => s.stop()));
    await otherDs?.destroy();
    await fx.close();
  });

  const scheduler = (ds: DataSource, instanceId: string, tenants: string[], metrics?: Metrics, workflow = tickFlow): WorkflowScheduler => {
    const s = new WorkflowScheduler({ workflows: [workflow], claims: new ScheduleTickStore(ds), kafka: fx.kafka, names: fx.names, tenants, instanceId, logger: fx.logger, metrics });
    schedulers.push(s);
    return s;
  };
  const triggersOf = async (tenants: string[], enough: number) => {
    const records = await readTopic(fx.kafka, fx.names.triggers, (rs) => rs.filter((r) => tenants.includes(decodeEnvelope(r).tenantId)).length >= enough);
    return records.map((r) => decodeEnvelope(r)).filter((e) => tenants.includes(e.tenantId));
  };

  it('fires each tick of an every-second schedule exactly once across two replicas, for each tenant', async () => {
    const tenants = [randomUUID(), randomUUID()];
    const [ma, mb] = [new Metrics('a'), new Metrics('b')];
    const a = scheduler(fx.ds, 'replica-a', tenants, ma);
    const b = scheduler(otherDs, 'replica-b', tenants, mb);
    await Promise.all([a.start(), b.start()]);
    const completed = (tenant: string) => fx.notices.filter((n) => n.kind === 'run.completed' && n.tenantId === tenant && n.workflow === 'tick-flow').length;
    await fx.until('three scheduled runs per tenant', () => tenants.every((t) => completed(t) >= 3), 20_000);
    await Promise.all([a.stop(), b.stop()]);

    const store = new ScheduleTickStore(fx.ds);
    let total = 0;
    for (const tenant of tenants) {
      const claims = await store.list(tenant, 'tick-flow');
      total += claims.length;
      const ticks = claims.map((c) => c.tickAt.getTime());
      expect(new Set(ticks).size).toBe(ticks.length);
      expect(ticks.every((t) => t % 1000 === 0)).toBe(true);
      expect(claims.every((c) => c.producedAt !== null && c.runId === scheduledRunId(tenant, 'tick-flow', c.tickAt))).toBe(true);
      await fx.until('every claimed tick ran', () => claims.every((c) => fx.count(c.runId, 'run.completed') > 0));
      const runs = await fx.store.listRuns(tenant);
      expect(runs.map((r) => r.runId).sort()).toEqual(claims.map((c) => c.runId).sort());
      const run = await fx.store.getRun(tenant, claims[0]!.runId);
      expect(run).toMatchObject({ status: 'completed', input: { scheduledAt: claims[0]!.tickAt.toISOString() }, result: { at: claims[0]!.tickAt.toISOString() } });
    }
    // One trigger per claimed tick on the topic: the losing replica wrote nothing.
    const triggers = await triggersOf(tenants, total);
    expect(triggers).toHaveLength(total);
    expect(new Set(triggers.map((t) => `${t.tenantId}/${t.runId}`)).size).toBe(total);
    // Both replicas competed for the ticks: the claims they won add up, the rest went elsewhere.
    const claimed = async (m: Metrics, outcome: string) => Number(new RegExp(`weaver_schedule_ticks_total\\{workflow="tick-flow",outcome="${outcome}",service="\\w"\\} (\\d+)`).exec((await m.text()).body)?.[1] ?? 0);
    expect((await claimed(ma, 'claimed')) + (await claimed(mb, 'claimed'))).toBe(total);
    expect((await claimed(ma, 'claimed_elsewhere')) + (await claimed(mb, 'claimed_elsewhere'))).toBeGreaterThan(0);
  });

  it('produces a claim left unproduced by a crash, and a second write of the tick lands on the same run', async () => {
    const tenant = randomUUID();
    const tickAt = new Date('2026-01-01T00:00:00Z');
    const runId = scheduledRunId(tenant, 'tick-flow', tickAt);
    const store = new ScheduleTickStore(fx.ds);
    // replica-c claimed the tick and died before writing the trigger.
    expect(await store.claim(tenant, { workflow: 'tick-flow', tickAt, runId, input: { scheduledAt: tickAt.toISOString() }, claimedBy: 'replica-c' })).toBe(true);
    const c = scheduler(fx.ds, 'replica-c', [tenant], undefined, yearlyTickFlow);
    await c.start();
    await fx.until('the recovered run completed', () => fx.count(runId, 'run.completed') > 0);
    expect((await store.list(tenant, 'tick-flow'))[0]?.producedAt).not.toBeNull();
    // The same tick again claims nothing.
    expect(await c.fire('tick-flow', tickAt)).toEqual([]);
    // A crash after writing the trigger but before marking it: the trigger is written twice.
    const owner = new Client({ connectionString: fx.db.ownerUrl });
    await owner.connect();
    await owner.query('UPDATE runs.schedule_ticks SET produced_at = NULL WHERE tenant_id = $1', [tenant]);
    await owner.end();
    expect(await c.recover()).toBe(1);
    await c.stop();
    expect((await triggersOf([tenant], 2)).map((t) => t.runId)).toEqual([runId, runId]);
    await fx.until('the second trigger was dispatched', () => fx.count(runId, 'run.started') >= 2);
    const runs = await fx.store.listRuns(tenant);
    expect(runs.map((r) => r.runId)).toEqual([runId]);
    expect((await fx.store.getRun(tenant, runId))?.steps.map((s) => s.step)).toEqual(['ticker']);
  });
});
