import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startTestStack, type RunningStack } from '@weaver/stack';
import { WeaverClient, Workflow, type RunProgress } from '@weaver/sdk';
import { knowledgeBase } from '../knowledge-base/workflow';
import { workflow } from './workflow';

/**
 * The plan's example on the whole platform, as a user runs it: `Workflow.connect(...)`, then
 * `await workflow.run({ topic: 'AI Safety' })` → gateway → trigger → agent-runner hosting
 * `examples/plan-content-pipeline/workflow.ts` → router (the plan verbs are model calls) →
 * publisher. Ports: TEST_STACK_PORTS['plan-example'] (@weaver/stack).
 */
describe("the plan's closing example through the platform", () => {
  let stack: RunningStack;
  const id = randomUUID().slice(0, 8);
  beforeAll(async () => {
    // The knowledge-base example shares this stack (one stack start per file is the cost that counts).
    stack = await startTestStack('plan-example', { database: `weaver_plan_${id}`, partitions: 2, workflows: ['examples/plan-content-pipeline/workflow.ts', 'examples/knowledge-base/workflow.ts'] });
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

  it('keeps facts in semantic memory across runs, embedded through the router and billed to the step that stored them', async () => {
    const facts = ['Kafka transactions commit writes to several partitions atomically', 'PostgreSQL row level security filters the rows of each tenant'];
    const stored = (await knowledgeBase.run({ remember: facts })) as { stored: number; answer: string | null; visits: number };
    expect(stored).toEqual({ stored: 2, answer: null, visits: 1 });
    const asked = (await knowledgeBase.run({ ask: 'which database filters rows for each tenant' })) as typeof stored;
    expect(asked).toEqual({ stored: 0, answer: facts[1], visits: 2 });
    const pg = new Client({ connectionString: process.env['WEAVER_TEST_PG_URL']!.replace(/\/[^/?]*(\?|$)/, `/weaver_plan_${id}$1`) });
    await pg.connect();
    try {
      const embeds = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM router.usage_ledger WHERE workflow = 'knowledge-base' AND operation = 'embed'`);
      // One embedding call for the two facts, one for the question, one per recorded episode.
      expect(embeds.rows[0]?.n).toBe(4);
      const rows = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs.memory_semantic WHERE agent = 'librarian'`);
      expect(rows.rows[0]?.n).toBe(2);
    } finally {
      await pg.end();
    }
  });
});
