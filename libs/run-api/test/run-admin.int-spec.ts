import { randomUUID } from 'node:crypto';
import { ConflictError, UnavailableError } from '@weaver/errors';
import { decodeEnvelope, envelopeRecord, EventProducer, newEnvelope } from '@weaver/messaging';
import { Agent, agent, Workflow } from '@weaver/sdk';
import type { AgentHost, RunLedger } from '@weaver/agent-runtime';
import { AdminFixture, eventually } from './admin-fixture';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the runtime's test fixture (broker, database, host), shared rather than copied
import { readTopic, RuntimeFixture } from '../../agent-runtime/test/runtime-fixture';

interface Doc {
  text: string;
}

/** A gate the middle step waits on, per run: the test cancels while the step is in flight. */
const gates = new Map<string, { entered: boolean; open: () => void; opened: Promise<void> }>();
const gateFor = (text: string) => {
  let open = (): void => undefined;
  const opened = new Promise<void>((r) => (open = r));
  const gate = { entered: false, open, opened };
  gates.set(text, gate);
  return gate;
};
/** Texts whose middle step fails (retriable) until removed. */
const failing = new Set<string>();

@agent({ name: 'adm-first', requires: ['adm.started'], publishes: ['adm.first'] })
class First extends Agent<Doc> {
  async process(d: Doc) {
    return d;
  }
}

@agent({ name: 'adm-middle', requires: ['adm.first'], publishes: ['adm.middle'] })
class Middle extends Agent<Doc> {
  async process(d: Doc) {
    const gate = gates.get(d.text);
    if (gate) {
      gate.entered = true;
      await gate.opened;
    }
    if (failing.has(d.text)) throw new UnavailableError(`middle is down for ${d.text}`);
    return { text: `${d.text}+middle` };
  }
}

@agent({ name: 'adm-last', requires: ['adm.middle'], publishes: ['adm.done'] })
class Last extends Agent<Doc> {
  async process(d: Doc) {
    return { done: d.text };
  }
}

const flow = new Workflow('adm-flow').addAgents(First, Middle, Last);

describe('run cancel and retry on the real broker and database (issue 12 item 2)', () => {
  const fx = new RuntimeFixture();
  const admin = new AdminFixture(fx);
  const cancelClaims: string[] = [];
  const statusReads: string[] = [];
  let producer: EventProducer;
  let host: AgentHost;
  beforeAll(async () => {
    await fx.open();
    // The runner's ledger, counting every cancel record the dispatcher handled (by position).
    const s = fx.store;
    const ledger: RunLedger = Object.assign(Object.create(s) as RunLedger, {
      claimCancelEvent: async (t: string, r: string, position: string) => {
        const won = await s.claimCancelEvent(t, r, position);
        cancelClaims.push(`${r}|${position}|${won}`);
        return won;
      },
      statusOf: async (t: string, r: string) => {
        const status = await s.statusOf(t, r);
        statusReads.push(`${r}|${status}`);
        return status;
      },
    });
    host = await fx.host([flow], { ledger });
    await admin.open();
    producer = new EventProducer(fx.kafka);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await admin.close();
    await fx.close();
  });

  const start = async (tenant: string, text: string): Promise<string> => {
    const runId = randomUUID();
    await producer.send([envelopeRecord(newEnvelope({ tenantId: tenant, runId, workflow: 'adm-flow', type: 'run.requested', producer: 'test', payload: { input: { text } } }), fx.names.triggers)]);
    return runId;
  };
  const progressOf = async (runId: string, enough: (kinds: string[]) => boolean) =>
    (await readTopic(fx.kafka, fx.names.runs, (rs) => enough(rs.map(decodeEnvelope).filter((e) => e.runId === runId).map((e) => e.type)))).map(decodeEnvelope).filter((e) => e.runId === runId).map((e) => e.type);

  it('cancels mid-run: the step in flight finishes but emits nothing, no later step runs, exactly one run.cancelled (read-committed), idempotent', async () => {
    const tenant = randomUUID();
    const gate = gateFor('cancel-me');
    const runId = await start(tenant, 'cancel-me');
    await eventually('the middle step is in flight', () => gate.entered);

    const cancelled = await admin.runs.cancel(tenant, runId, 'ApiKey:test');
    expect(cancelled).toMatchObject({ runId, status: 'cancelled', error: 'cancelled by ApiKey:test' });
    gate.open(); // the in-flight step finishes now, after the cancel
    // Cancel again, twice: the same answer, and two more cancel records for the dispatcher.
    expect((await admin.runs.cancel(tenant, runId, 'ApiKey:test')).status).toBe('cancelled');
    expect((await admin.runs.cancel(tenant, runId, 'ApiKey:other')).status).toBe('cancelled');
    await eventually('the dispatcher handled all three cancel records', () => cancelClaims.filter((c) => c.startsWith(runId)).length >= 3);
    expect(cancelClaims.filter((c) => c.startsWith(runId) && c.endsWith('|true'))).toHaveLength(1);

    const kinds = await progressOf(runId, (k) => k.includes('run.cancelled'));
    expect(kinds.filter((k) => k === 'run.cancelled')).toHaveLength(1);
    expect(kinds).not.toContain('run.completed');
    // The first step completed before the cancel; the middle one (in flight) emitted nothing.
    expect(kinds.filter((k) => k === 'step.completed')).toHaveLength(1);
    await eventually('the middle step was acknowledged (nothing in flight)', () => host.inFlight === 0);
    const middleOut = (await readTopic(fx.kafka, fx.names.event('adm.middle'), () => true)).map(decodeEnvelope).filter((e) => e.runId === runId);
    expect(middleOut).toHaveLength(0);
    const run = await fx.store.getRun(tenant, runId);
    expect(run).toMatchObject({ status: 'cancelled' });
    expect(run!.steps.map((s) => s.step)).toEqual(['adm-first']);
    // A cancelled run is not retried; a completed one is not cancelled (409 naming the state).
    await expect(admin.runs.retry(tenant, runId, 'ApiKey:test')).rejects.toThrow(new ConflictError(`run ${runId} is cancelled: only a failed run can be retried`));
  });

  it('refuses to cancel a completed run, naming its state', async () => {
    const tenant = randomUUID();
    const runId = await start(tenant, 'quick');
    await fx.until('the quick run completed', () => fx.count(runId, 'run.completed') > 0);
    const refusal = admin.runs.cancel(tenant, runId, 'ApiKey:test');
    await expect(refusal).rejects.toBeInstanceOf(ConflictError);
    await expect(refusal).rejects.toThrow(`run ${runId} is completed: only a pending or running run can be cancelled`);
  });

  it('retries a failed run from its failed step: the step is re-driven once and the run completes', async () => {
    const tenant = randomUUID();
    failing.add('flaky');
    const runId = await start(tenant, 'flaky');
    await fx.until('the run failed at the middle step', () => fx.count(runId, 'run.failed') > 0);
    expect(await fx.store.getRun(tenant, runId)).toMatchObject({ status: 'failed', failedStep: 'adm-middle' });
    failing.delete('flaky');

    const retried = await admin.runs.retry(tenant, runId, 'ApiKey:test');
    expect(retried).toMatchObject({ status: 'running', failedStep: null, error: null });
    await fx.until('the retried run completed', () => fx.count(runId, 'run.completed') > 0);
    const run = await fx.store.getRun(tenant, runId);
    expect(run).toMatchObject({ status: 'completed', result: { done: 'flaky+middle' } });
    expect(run!.steps.map((s) => s.step).sort()).toEqual(['adm-first', 'adm-last', 'adm-middle']);
    // The middle step's input was re-driven once: one replayed copy on its topic.
    const copies = (await readTopic(fx.kafka, fx.names.event('adm.first'), () => true)).filter((r) => decodeEnvelope(r).runId === runId);
    expect(copies.filter((r) => r.headers['weaver-replayed-from'])).toHaveLength(1);
    const kinds = await progressOf(runId, (k) => k.includes('run.completed'));
    expect(kinds.filter((k) => k === 'run.completed')).toHaveLength(1);
    // Not failed any more: a second retry is refused, naming the state.
    await expect(admin.runs.retry(tenant, runId, 'ApiKey:test')).rejects.toThrow(new ConflictError(`run ${runId} is completed: only a failed run can be retried`));
  });

  it('a run cancelled while pending never starts: its trigger, arriving after the cancel, emits nothing', async () => {
    const tenant = randomUUID();
    const runId = randomUUID();
    // Recorded pending, as the gateway's intake does, then cancelled before the trigger is written.
    await fx.store.createRun(tenant, { runId, workflow: 'adm-flow', input: { text: 'never' }, status: 'pending' });
    expect(await admin.runs.cancel(tenant, runId, 'ApiKey:test')).toMatchObject({ status: 'cancelled' });
    await producer.send([envelopeRecord(newEnvelope({ tenantId: tenant, runId, workflow: 'adm-flow', type: 'run.requested', producer: 'test', payload: { input: { text: 'never' } } }), fx.names.triggers)]);
    await eventually('the dispatcher read the cancelled run for its trigger', () => statusReads.includes(`${runId}|cancelled`));
    await eventually('the trigger was acknowledged (nothing in flight)', () => host.inFlight === 0);
    const kinds = await progressOf(runId, (k) => k.includes('run.cancelled'));
    expect(kinds).toEqual(['run.cancelled']);
    const entry = (await readTopic(fx.kafka, fx.names.event('adm.started'), () => true)).map(decodeEnvelope).filter((e) => e.runId === runId);
    expect(entry).toHaveLength(0);
    expect((await fx.store.getRun(tenant, runId))!.status).toBe('cancelled');
  });
});
