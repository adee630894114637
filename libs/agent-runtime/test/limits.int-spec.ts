import { randomUUID } from 'node:crypto';
import { envelopeRecord, EventProducer, newEnvelope } from '@weaver/messaging';
import { Agent, agent, Workflow } from '@weaver/sdk';
import { RuntimeFixture } from './runtime-fixture';

/** Counts how many steps of one agent run at the same moment. */
class Gauge {
  active = 0;
  max = 0;
  async hold(ms: number): Promise<void> {
    this.active++;
    this.max = Math.max(this.max, this.active);
    await new Promise((r) => setTimeout(r, ms));
    this.active--;
  }
}
const limited = new Gauge();
const unlimited = new Gauge();

@agent({ name: 'lim-narrow', requires: ['lim.narrow'], publishes: ['lim.narrowed'], limits: { maxConcurrency: 2 } })
class Narrow extends Agent {
  async process(input: unknown) {
    await limited.hold(150);
    return input;
  }
}

/** The control: same work, default limit, so the broker and runtime do deliver in parallel. */
@agent({ name: 'lim-wide', requires: ['lim.wide'], publishes: ['lim.widened'] })
class Wide extends Agent {
  async process(input: unknown) {
    await unlimited.hold(150);
    return input;
  }
}

@agent({ name: 'lim-hanger', requires: ['lim.hang'], publishes: ['lim.hung'], limits: { timeoutMs: 100 } })
class Hanger extends Agent {
  async process(input: unknown) {
    await new Promise((r) => setTimeout(r, 1_500).unref()); // not kept alive for the test run's sake
    return input;
  }
}

const narrowFlow = new Workflow('lim-narrow-flow').addAgents(Narrow);
const wideFlow = new Workflow('lim-wide-flow').addAgents(Wide);
const hangFlow = new Workflow('lim-hang-flow').addAgents(Hanger);

describe('agent limits on the real broker and database', () => {
  const fx = new RuntimeFixture();
  let producer: EventProducer;
  beforeAll(async () => {
    await fx.open();
    await fx.host([narrowFlow, wideFlow, hangFlow]);
    producer = new EventProducer(fx.kafka);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await fx.close();
  });

  const triggers = (tenant: string, workflow: string, runIds: string[]) =>
    runIds.map((runId) => envelopeRecord(newEnvelope({ tenantId: tenant, runId, workflow, type: 'run.requested', producer: 'test', payload: { input: { runId } } }), fx.names.triggers));

  it('runs at most maxConcurrency steps of an agent at once (and more without the limit)', async () => {
    const tenant = randomUUID();
    const narrow = Array.from({ length: 8 }, () => randomUUID());
    const wide = Array.from({ length: 8 }, () => randomUUID());
    await producer.send([...triggers(tenant, 'lim-narrow-flow', narrow), ...triggers(tenant, 'lim-wide-flow', wide)]);
    await fx.until('all limited and unlimited runs completed', () => [...narrow, ...wide].every((id) => fx.count(id, 'run.completed') > 0));
    expect(limited.max).toBe(2);
    expect(unlimited.max).toBeGreaterThan(2);
    expect(await fx.store.getRun(tenant, narrow[0]!)).toMatchObject({ status: 'completed', result: { runId: narrow[0] } });
  });

  it('fails a step that runs past timeoutMs, retries it, and then fails the run naming the step', async () => {
    const tenant = randomUUID();
    const runId = randomUUID();
    await producer.send(triggers(tenant, 'lim-hang-flow', [runId]));
    await fx.until('the run failed', () => fx.count(runId, 'run.failed') > 0);
    // Both attempts ended by the 100 ms timeout, not by the agent's own 1.5 s (which would have
    // completed the step): the error names the timeout and no step.completed exists. (No
    // wall-clock bound: on a loaded 2-core machine it measured 2.3 s end to end.)
    expect(fx.count(runId, 'step.completed', 'lim-hanger')).toBe(0);
    const run = await fx.store.getRun(tenant, runId);
    expect(run).toMatchObject({ status: 'failed', failedStep: 'lim-hanger' });
    expect(run?.error).toMatch(/^step "lim-hanger" \(attempt 2\) timed out after 100 ms \(DEADLINE_EXCEEDED, ref [0-9a-f]{16}\)$/);
    expect(fx.count(runId, 'step.failed', 'lim-hanger')).toBe(1);
  });
});
