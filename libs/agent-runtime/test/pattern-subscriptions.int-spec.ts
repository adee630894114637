import { randomUUID } from 'node:crypto';
import { envelopeRecord, EventProducer, newEnvelope, provisionTopics, topicSpec } from '@weaver/messaging';
import { Agent, agent, Workflow } from '@weaver/sdk';
import { RuntimeFixture } from './runtime-fixture';

/** The entry: publishes a content type chosen by the input, so two runs reach the collector through two types. */
@agent({ name: 'splitter', requires: ['article.submitted'], publishes: ['content.drafted', 'content.reviewed'] })
class Splitter extends Agent<{ kind: 'draft' | 'review'; n: number }> {
  async process(input: { kind: 'draft' | 'review'; n: number }) {
    return this.publish(input.kind === 'draft' ? 'content.drafted' : 'content.reviewed', input);
  }
}

/** Consumes every `content.<word>` event, whichever topic it came on, and reports which type it saw. */
@agent({ name: 'collector', requires: ['content.*'], publishes: ['collected.completed'] })
class Collector extends Agent {
  async process(input: unknown) {
    return { seen: this.event.type, input };
  }
}

@agent({ name: 'finisher', requires: ['*.completed'], publishes: [] })
class Finisher extends Agent {
  async process(input: unknown) {
    return { finishedFrom: this.event.type, input };
  }
}

describe('pattern subscriptions on the real broker', () => {
  const fx = new RuntimeFixture();
  const tenant = randomUUID();
  const flow = new Workflow('content-flow').addAgents(Splitter, Collector, Finisher);
  let producer: EventProducer;
  beforeAll(async () => {
    await fx.open();
    await fx.host([flow], { patternRefreshMs: 300 });
    producer = new EventProducer(fx.kafka);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await fx.close();
  });

  const trigger = (runId: string, input: unknown) => envelopeRecord(newEnvelope({ tenantId: tenant, runId, workflow: 'content-flow', type: 'run.requested', producer: 'test', payload: { input } }), fx.names.triggers);

  it('content.* takes both existing types and one whose topic appears after start; *.completed takes what the collector publishes', async () => {
    const [drafted, reviewed, translated] = [randomUUID(), randomUUID(), randomUUID()];
    await producer.send([trigger(drafted, { kind: 'draft', n: 1 }), trigger(reviewed, { kind: 'review', n: 2 })]);
    await fx.until('both runs through the two existing content types', () => [drafted, reviewed].every((r) => fx.count(r, 'run.completed') > 0));
    expect(await fx.store.getRun(tenant, drafted)).toMatchObject({ status: 'completed', result: { finishedFrom: 'collected.completed', input: { seen: 'content.drafted', input: { kind: 'draft', n: 1 } } } });
    expect(await fx.store.getRun(tenant, reviewed)).toMatchObject({ status: 'completed', result: { input: { seen: 'content.reviewed' } } });

    // A producer outside the workflow creates a new content type's topic after the host started
    // (the broker creates no topic by itself) and writes an event of this run to it.
    const newTopic = fx.names.event('content.translated');
    await provisionTopics(fx.kafka, [topicSpec(newTopic, 3)]);
    await fx.store.createRun(tenant, { runId: translated, workflow: 'content-flow', input: { from: 'translator' }, status: 'running' });
    const event = newEnvelope({ tenantId: tenant, runId: translated, workflow: 'content-flow', type: 'content.translated', producer: 'translator', payload: { lang: 'fr', n: 3 } });
    await producer.send([envelopeRecord(event, newTopic)]);
    // Found by the periodic refresh; the collector's consumer restarts on the three topics.
    await fx.until('the run fed through the new topic', () => fx.count(translated, 'run.completed') > 0);
    expect(await fx.store.getRun(tenant, translated)).toMatchObject({ status: 'completed', result: { finishedFrom: 'collected.completed', input: { seen: 'content.translated', input: { lang: 'fr', n: 3 } } } });

    // Consumed exactly once across the switch: the runs before it did not run their steps again.
    for (const run of [drafted, reviewed]) expect(fx.count(run, 'step.completed', 'collector')).toBe(1);
    // The consumer still works on the old topics after the restart.
    const after = randomUUID();
    await producer.send([trigger(after, { kind: 'draft', n: 4 })]);
    await fx.until('a run after the switch', () => fx.count(after, 'run.completed') > 0);
    expect(await fx.store.getRun(tenant, after)).toMatchObject({ result: { input: { seen: 'content.drafted' } } });
  });

  it('refuses an invalid pattern when the agent is defined, naming the field and the rule', () => {
    expect(() => {
      @agent({ name: 'sloppy', requires: ['content*'], publishes: [] })
      class Sloppy extends Agent {
        async process() {
          return null;
        }
      }
      return Sloppy;
    }).toThrow('requires[0]: "content*" segment 1 "content*": a wildcard (* = one word, # = any number of words) must be a whole segment');
  });
});
