import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { TEST_SERVICE_PASSWORDS } from '@weaver/database';
import { startStack, type RunningStack } from '@weaver/stack';
import { WeaverClient, Workflow, type RunProgress } from '@weaver/sdk';
import { workflow } from './workflow';

/**
 * The plan's example on the whole platform, as a user runs it: `Workflow.connect(...)`, then
 * `await workflow.run({ topic: 'AI Safety' })` → gateway → trigger → agent-runner hosting
 * `examples/plan-content-pipeline/workflow.ts` → router (the plan verbs are model calls) →
 * publisher. Base port 22000 (+ WEAVER_E2E_PORT_SHIFT).
 */
describe("the plan's closing example through the platform", () => {
  let stack: RunningStack;
  const id = randomUUID().slice(0, 8);
  beforeAll(async () => {
    stack = await startStack({
      kafkaBrokers: process.env['WEAVER_TEST_KAFKA_BROKERS']!,
      postgresUrl: process.env['WEAVER_TEST_PG_URL']!,
      database: `weaver_plan_${id}`,
      basePort: 22000 + Number(process.env['WEAVER_E2E_PORT_SHIFT'] ?? 0),
      dataDir: mkdtempSync(join(tmpdir(), `weaver-plan-${id}-`)),
      namespace: `plan-${id}`,
      partitions: 2,
      workflows: ['examples/plan-content-pipeline/workflow.ts'],
      passwords: TEST_SERVICE_PASSWORDS,
      logLevel: process.env['WEAVER_E2E_LOG_LEVEL'] ?? 'warn',
    });
    const { apiKey } = await stack.createTenant('plan-example');
    Workflow.connect(new WeaverClient({ url: stack.gatewayUrl, apiKey }));
  });
  afterAll(async () => {
    await stack?.stop();
    const pg = new Client({ connectionString: process.env['WEAVER_TEST_PG_URL'] });
    await pg.connect();
    await pg.query(`DROP DATABASE IF EXISTS weaver_plan_${id} WITH (FORCE)`);
    await pg.end();
  });

  it("runs `const result = await workflow.run({ topic: 'AI Safety' })` and returns the review, step by step", async () => {
    const progress: RunProgress[] = [];
    const result = await workflow.run({ topic: 'AI Safety' }, { onProgress: (p) => progress.push(p) });
    // The router's local-deterministic model answers in the role its system prompt gives: the verb's task.
    expect(result).toEqual(expect.stringMatching(/^\[local-deterministic stand-in for an LLM · [0-9a-f]{8}\]\nAs: Task: review\./));
    expect(progress.filter((p) => p.kind === 'step.completed').map((p) => p.step)).toEqual(['researcher', 'writer', 'reviewer']);
    const done = progress.at(-1);
    expect(done).toMatchObject({ kind: 'run.completed', run: { workflow: 'content_pipeline', status: 'completed', result } });
    expect(done?.run?.steps.map((s) => [s.step, s.status])).toEqual([['researcher', 'completed'], ['writer', 'completed'], ['reviewer', 'completed']]);
  });
});
