import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { RunFailedError, WeaverClient, Workflow, type RunProgress } from '@weaver/sdk';
import { startTestStack, type RunningStack } from '@weaver/stack';
import { contentPipeline as workflow } from './workflow';

/**
 * The SDK's real path: WeaverClient → gateway (REST + SSE) → trigger → agent-runner → router →
 * publisher, six service processes on the test run's broker and database.
 */
describe('content pipeline through the platform with WeaverClient', () => {
  let stack: RunningStack;
  const id = randomUUID().slice(0, 8);
  beforeAll(async () => {
    stack = await startTestStack('content-pipeline-sdk', { database: `weaver_sdk_${id}`, partitions: 2, workflows: ['examples/content-pipeline/workflow.ts'] });
    const { apiKey } = await stack.createTenant('sdk-test');
    Workflow.connect(new WeaverClient({ url: stack.gatewayUrl, apiKey }));
  });
  afterAll(async () => {
    await stack?.stop();
    const pg = new Client({ connectionString: process.env['WEAVER_TEST_PG_URL'] });
    await pg.connect();
    await pg.query(`DROP DATABASE IF EXISTS weaver_sdk_${id} WITH (FORCE)`);
    await pg.end();
  });

  it('runs with `await workflow.run({ topic: "AI Safety" })` and returns the reviewer\'s result, reporting progress', async () => {
    const progress: RunProgress[] = [];
    const review = await workflow.run({ topic: 'AI Safety' }, { onProgress: (p) => progress.push(p) });
    expect(review).toMatchObject({ topic: 'AI Safety', approved: expect.any(Boolean), review: expect.any(String) });
    expect(progress[0]?.kind).toBe('snapshot');
    expect(progress.filter((p) => p.kind === 'step.completed').map((p) => p.step)).toEqual(['researcher', 'writer', 'reviewer']);
    expect(progress.at(-1)).toMatchObject({ kind: 'run.completed', run: { status: 'completed', result: review } });
  });

  it('streams a run, and rejects a failing one with RunFailedError naming the step', async () => {
    const kinds: string[] = [];
    for await (const p of workflow.stream({ topic: 'exactly-once' })) kinds.push(p.kind);
    expect(kinds.at(-1)).toBe('run.completed');
    const error = await workflow.run({ topic: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFailedError);
    expect(error).toMatchObject({ step: 'researcher', runId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((error as RunFailedError).reason).toContain('input.topic');
  });
});
