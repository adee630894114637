import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { assignArm } from '@weaver/model-router';
import { startTestStack, type RunningStack } from '@weaver/stack';

/**
 * The two examples that are about the router, through the whole platform (gateway → runner →
 * router, with examples/headline-test/models.yaml): an A/B model experiment, and routing by the
 * run's data labels. Ports: TEST_STACK_PORTS['examples-router'].
 */
describe('headline-test (A/B model experiment) and sensitive-summary (classification ceilings) through the platform', () => {
  let stack: RunningStack;
  let apiKey: string;
  const id = randomUUID().slice(0, 8);
  const database = `weaver_exrouter_${id}`;
  const pg = new Client({ connectionString: process.env['WEAVER_TEST_PG_URL']!.replace(/\/[^/?]*(\?|$)/, `/${database}$1`) });

  beforeAll(async () => {
    stack = await startTestStack('examples-router', {
      database,
      workflows: ['examples/headline-test/workflow.ts', 'examples/sensitive-summary/workflow.ts'],
      env: { router: { ROUTER_MODELS_FILE: join(__dirname, 'models.yaml') } },
    });
    ({ apiKey } = await stack.createTenant('examples-router'));
    await pg.connect();
  });
  afterAll(async () => {
    await pg.end();
    await stack?.stop();
  });

  const headers = () => ({ 'content-type': 'application/json', authorization: `Bearer ${apiKey}` });
  async function run(body: { workflow: string; input: unknown; runId?: string; classification?: string[] }): Promise<{ status: string; result: Record<string, unknown> | null; error: string | null }> {
    const started = await fetch(`${stack.gatewayUrl}/v1/runs`, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
    expect(started.status).toBe(202);
    const { run: { runId } } = (await started.json()) as { run: { runId: string } };
    for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      const { run } = (await (await fetch(`${stack.gatewayUrl}/v1/runs/${runId}`, { headers: headers() })).json()) as { run: { status: string; result: Record<string, unknown> | null; error: string | null } };
      if (run.status === 'completed' || run.status === 'failed') return run;
    }
    throw new Error(`run ${runId} did not end`);
  }

  it('splits runs between the two arms, sticky per run, and records the arm of every model call', async () => {
    const runIds = Array.from({ length: 8 }, () => randomUUID());
    const results = await Promise.all(runIds.map((runId) => run({ workflow: 'headline-test', input: { text: `Kafka ships transactions ${runId}` }, runId })));
    const experiments = [{ name: 'headline-model', workflow: 'headline-test', arms: [{ name: 'a', model: 'cloud-mini', weight: 1 }, { name: 'b', model: 'cloud-large', weight: 1 }] }];
    results.forEach((r, i) => {
      const expected = assignArm(experiments, 'headline-test', 'headline-writer', runIds[i]!)!;
      // Both steps of a run answered by its arm's model.
      expect(r).toMatchObject({ status: 'completed', result: { writtenBy: expected.model, scoredBy: expected.model } });
    });
    const ledger = await pg.query<{ run_id: string; agent: string; model: string; experiment: string; arm: string }>(`SELECT run_id, agent, model, experiment, arm FROM router.usage_ledger WHERE workflow = 'headline-test'`);
    expect(ledger.rows).toHaveLength(16);
    for (const row of ledger.rows) expect(row).toMatchObject({ experiment: 'headline-model', arm: row.model === 'cloud-mini' ? 'a' : 'b' });
    // Eight runs hashed into two equal arms: the split is the hash's, computed the same way here.
    const arms = new Set(runIds.map((runId) => assignArm(experiments, 'headline-test', 'headline-writer', runId)!.arm));
    expect(new Set(ledger.rows.map((r) => r.arm))).toEqual(arms);
  });

  it('sends each note to the cheapest model whose ceiling admits its labels', async () => {
    const modelFor = async (classification: string[]) => (await run({ workflow: 'sensitive-summary', input: { note: 'Quarterly numbers for the board.' }, classification })).result?.['model'];
    expect(await modelFor(['public'])).toBe('cloud-mini');
    expect(await modelFor(['confidential'])).toBe('cloud-large');
    expect(await modelFor(['restricted', 'pii'])).toBe('onprem');
  });
});
