import { decodeEnvelope, payloadOf, readTopicsUntil, type InboundRecord } from '@weaver/messaging';
import { Workflow } from '@weaver/sdk';
import { definitionOf } from '@weaver/sdk/internal';
import { ExampleStack } from '../test/example-stack';
import { Researcher, Reviewer, Writer } from './agents';
import { workflow } from './workflow';

/** The scripted model's answer (example-stack.ts): the system prompt's first three words, then the prompt. */
const answer = (task: string, prompt: string) => `[${`Task: ${task}. Answer with the result only.`.split(' ').slice(0, 3).join(' ')}] ${prompt}`;

describe("the plan's closing example, as written, on the real broker and database", () => {
  const stack = new ExampleStack();
  beforeAll(async () => {
    await stack.start([workflow]);
    Workflow.connect(stack.runner);
  });
  afterAll(() => stack.stop());

  it('declares what the plan says: memory per role, requires, and the published types read from this.publish', () => {
    expect(definitionOf(Researcher)).toMatchObject({ name: 'researcher', requires: ['researcher.requested'], publishes: ['research_complete'], memory: { semantic: { maxBytes: 10 * 1024 ** 3 } } });
    expect(definitionOf(Writer)).toMatchObject({ name: 'writer', requires: ['research_complete'], publishes: ['article_ready'], memory: { episodic: { ttlMs: 7 * 86_400_000 } } });
    expect(definitionOf(Reviewer)).toMatchObject({ name: 'reviewer', requires: ['article_ready'], publishes: ['review_complete'] });
    expect(workflow.entryEventType).toBe('researcher.requested');
  });

  it('runs `await workflow.run({ topic: "AI Safety" })`: research → article → review, each published once', async () => {
    const result = await workflow.run({ topic: 'AI Safety' });
    const research = answer('research', 'AI Safety');
    const article = answer('write article', research);
    expect(result).toBe(answer('review', article));

    const [run] = await stack.store.listRuns(stack.tenantId);
    const recorded = await stack.store.getRun(stack.tenantId, run!.runId);
    expect(recorded).toMatchObject({ workflow: 'content_pipeline', status: 'completed', result });
    expect(recorded?.steps.map((s) => [s.step, s.status])).toEqual([['researcher', 'completed'], ['writer', 'completed'], ['reviewer', 'completed']]);
    // A redelivered step emits what was recorded first: the record says the output was published explicitly.
    expect(recorded?.steps[0]?.output).toEqual({ value: research, published: [{ type: 'research_complete', payload: research }], explicit: true, classification: ['internal'] });

    // `return this.publish(type, value)` is the step's output: published once, not again under publishes[0].
    // The run's result can be seen before the last step's transaction commits: read until all three
    // events are there. A duplicate would be in the same transaction as its original (a step's
    // outputs commit together), so it shows too.
    const topics = ['research_complete', 'article_ready', 'review_complete'].map((t) => stack.names.event(t));
    const ofRun = (rs: readonly InboundRecord[]) => rs.map(decodeEnvelope).filter((e) => e.runId === run!.runId);
    const events = ofRun(await readTopicsUntil(stack.kafka, topics, (rs) => ofRun(rs).length >= 3));
    const byTopic = (t: string) => topics.indexOf(stack.names.event(t)); // the topics are read side by side: no order between them
    events.sort((a, b) => byTopic(a.type) - byTopic(b.type));
    expect(events.map((e) => [e.type, e.producer, payloadOf(e)])).toEqual([
      ['research_complete', 'researcher@1.0.0', research],
      ['article_ready', 'writer@1.0.0', article],
      ['review_complete', 'reviewer@1.0.0', result],
    ]);
  });
});
