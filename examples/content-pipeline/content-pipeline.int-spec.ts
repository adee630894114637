import { RunFailedError, Workflow, type RunProgress } from '@weaver/sdk';
import { ExampleStack } from '../test/example-stack';
import { contentPipeline as workflow } from './workflow';

describe('content pipeline example (researcher → writer → reviewer) on the real broker and database', () => {
  const stack = new ExampleStack();
  beforeAll(async () => {
    await stack.start([workflow]);
    Workflow.connect(stack.runner);
  });
  afterAll(() => stack.stop());

  it('runs with `await workflow.run({ topic: "AI Safety" })` and returns the reviewer\'s result', async () => {
    const review = await workflow.run({ topic: 'AI Safety' });
    expect(review).toMatchObject({ topic: 'AI Safety', approved: true });
    expect((review as { review: string }).review).toMatch(/^\[Review the draft;\] \[Write a short\] Topic: AI Safety/);
    const [run] = await stack.store.listRuns(stack.tenantId);
    expect((await stack.store.getRun(stack.tenantId, run!.runId))?.steps.map((s) => s.step)).toEqual(['researcher', 'writer', 'reviewer']);
  });

  it('streams progress step by step until the run completes', async () => {
    const seen: RunProgress[] = [];
    for await (const p of workflow.stream({ topic: 'Kafka transactions' })) seen.push(p);
    expect(seen.map((p) => `${p.kind}${p.step ? `:${p.step}` : ''}`)).toEqual(['run.started', 'step.completed:researcher', 'step.completed:writer', 'step.completed:reviewer', 'run.completed']);
  });

  it('rejects bad input with RunFailedError naming the step and the field', async () => {
    const error = await workflow.run({ topic: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFailedError);
    expect(error).toMatchObject({ step: 'researcher' });
    expect((error as RunFailedError).reason).toContain('input.topic: Too small');
  });
});
