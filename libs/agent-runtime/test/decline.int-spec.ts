import { randomUUID } from 'node:crypto';
import { envelopeRecord, EventProducer, newEnvelope } from '@weaver/messaging';
import { Agent, agent, Workflow, type AgentEvent } from '@weaver/sdk';
import { Metrics } from '@weaver/observability';
import { RuntimeFixture } from './runtime-fixture';

interface Ticket {
  kind: string;
  skip?: boolean;
}

@agent({ name: 'dec-intake', requires: ['dec.opened'], publishes: ['dec.triaged'] })
class Intake extends Agent<Ticket> {
  async process(t: Ticket) {
    return t;
  }
}

/** Declines mid-pipeline when asked to: nothing downstream can then run. */
@agent({ name: 'dec-checker', requires: ['dec.triaged'], publishes: ['dec.checked'] })
class Checker extends Agent<Ticket> {
  override canProcess(e: AgentEvent<Ticket>): boolean {
    return !(e.payload as Ticket).skip;
  }
  async process(t: Ticket) {
    return t;
  }
}

@agent({ name: 'dec-closer', requires: ['dec.checked'], publishes: ['dec.closed'] })
class Closer extends Agent<Ticket> {
  async process(t: Ticket) {
    return { closed: t.kind };
  }
}

/** Content-based routing: two consumers of one event type, each taking its own kind. */
@agent({ name: 'route-billing', requires: ['route.opened'], publishes: ['route.billed'] })
class Billing extends Agent<Ticket> {
  override canProcess(e: AgentEvent<Ticket>): boolean {
    return (e.payload as Ticket).kind === 'billing';
  }
  async process() {
    return { by: 'billing' };
  }
}

@agent({ name: 'route-support', requires: ['route.opened'], publishes: ['route.supported'] })
class Support extends Agent<Ticket> {
  override canProcess(e: AgentEvent<Ticket>): boolean {
    return (e.payload as Ticket).kind === 'support';
  }
  async process() {
    return { by: 'support' };
  }
}

const pipeline = new Workflow('dec-flow').addAgents(Intake, Checker, Closer);
const routing = new Workflow('route-flow').addAgents(Billing, Support);

describe('declined steps on the real broker and database: no run left hanging', () => {
  const fx = new RuntimeFixture();
  const metrics = new Metrics('agent-runner');
  let producer: EventProducer;
  beforeAll(async () => {
    await fx.open();
    await fx.host([pipeline, routing], { metrics });
    producer = new EventProducer(fx.kafka);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await fx.close();
  });

  /** The sum of a family's samples whose labels include `labels`, from the host's registry. */
  const sample = async (name: string, labels: Record<string, string>): Promise<number> =>
    (await metrics.text()).body
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
      .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);

  const start = (tenant: string, workflow: string, input: Ticket): Promise<string> => {
    const runId = randomUUID();
    return producer.send([envelopeRecord(newEnvelope({ tenantId: tenant, runId, workflow, type: 'run.requested', producer: 'test', payload: { input } }), fx.names.triggers)]).then(() => runId);
  };

  it('fails the run naming the step when its only consumer declines mid-pipeline; runs it accepts complete', async () => {
    const tenant = randomUUID();
    const declined = await start(tenant, 'dec-flow', { kind: 'x', skip: true });
    const accepted = await start(tenant, 'dec-flow', { kind: 'y' });
    await fx.until('both runs ended', () => fx.count(declined, 'run.failed') > 0 && fx.count(accepted, 'run.completed') > 0);
    expect(await fx.store.getRun(tenant, declined)).toMatchObject({
      status: 'failed',
      failedStep: 'dec-checker',
      error: 'no agent took event "dec.triaged": "dec-checker" declined it (canProcess returned false)',
    });
    expect(await fx.store.getRun(tenant, accepted)).toMatchObject({ status: 'completed', result: { closed: 'y' } });
    // Runs count once per state change in the database; steps count deliveries by outcome.
    expect(await sample('weaver_runs_started_total', { workflow: 'dec-flow' })).toBe(2);
    expect(await sample('weaver_runs_completed_total', { workflow: 'dec-flow' })).toBe(1);
    expect(await sample('weaver_runs_failed_total', { workflow: 'dec-flow' })).toBe(1);
    expect(await sample('weaver_steps_total', { agent: 'dec-checker', outcome: 'declined' })).toBeGreaterThanOrEqual(1);
    expect(await sample('weaver_steps_total', { agent: 'dec-closer', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(await sample('weaver_step_duration_seconds_count', { agent: 'dec-checker', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(await sample('weaver_steps_in_flight', { agent: 'dec-checker' })).toBe(0);
  });

  it('with two consumers of one event, completes when one takes it and fails only when both decline', async () => {
    const tenant = randomUUID();
    const billing = await start(tenant, 'route-flow', { kind: 'billing' });
    const nobody = await start(tenant, 'route-flow', { kind: 'sales' });
    await fx.until('both routed runs ended', () => fx.count(billing, 'run.completed') > 0 && fx.count(nobody, 'run.failed') > 0);
    expect(await fx.store.getRun(tenant, billing)).toMatchObject({ status: 'completed', result: { by: 'billing' } });
    const failed = await fx.store.getRun(tenant, nobody);
    expect(failed).toMatchObject({ status: 'failed', error: 'no agent took event "route.opened": "route-billing", "route-support" declined it (canProcess returned false)' });
    expect(fx.count(billing, 'run.failed')).toBe(0);
  });
});
