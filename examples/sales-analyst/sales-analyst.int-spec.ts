import { RunFailedError } from '@weaver/sdk';
import { definitionOf } from '@weaver/sdk/internal';
import { ExampleStack } from '../test/example-stack';
import { decodeEnvelope, payloadOf, readTopicsUntil } from '@weaver/messaging';
import { DataAnalyst } from './data-analyst.agent';
import { SalesAnalyst } from './sales-analyst.agent';
import { dataAnalysis, salesAnalysis } from './workflow';

describe('sales-analyst example on the real broker and database', () => {
  const stack = new ExampleStack();
  beforeAll(() => stack.start([salesAnalysis, dataAnalysis]));
  afterAll(() => stack.stop());

  it('declares what the registry needs: capability, events, a JSON Schema of its input', () => {
    const def = definitionOf(SalesAnalyst);
    expect(def).toMatchObject({ name: 'sales-analyst', capabilities: [{ kind: 'capability', name: 'analyze_sales' }], requires: ['sales.collected'], publishes: ['sales.analyzed'] });
    expect(def.inputJsonSchema).toMatchObject({ type: 'object', required: ['quarter', 'rows'] });
  });

  it('analyses a quarter through this.llm and returns the total and summary', async () => {
    const rows = [{ region: 'EMEA', amount: 1200 }, { region: 'APAC', amount: 800.5 }];
    const result = await salesAnalysis.run({ quarter: '2026-Q1', rows }, { runner: stack.runner });
    expect(result).toEqual({ quarter: '2026-Q1', total: 2000.5, summary: `[You are a] 2026-Q1 sales: ${JSON.stringify(rows)}` });
  });

  it('refuses rows with a negative amount, naming the field and rule', async () => {
    const error = await salesAnalysis.run({ quarter: '2026-Q1', rows: [{ region: 'EMEA', amount: -5 }] }, { runner: stack.runner }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFailedError);
    expect(error).toMatchObject({ step: 'sales-analyst' });
    expect((error as RunFailedError).reason).toContain('input.rows.0.amount: Too small: expected number to be >=0');
  });

  it("runs the plan's data analyst (Memory, Capability, this.llm.analyze, return this.publish) on the sales data", async () => {
    expect(definitionOf(DataAnalyst)).toMatchObject({
      name: 'data-analyst',
      capabilities: [{ kind: 'capability', name: 'analyze_sales' }],
      requires: ['data-analyst.requested'],
      publishes: ['sales_analysis'],
      memory: { semantic: { maxBytes: 10 * 1024 ** 3 }, episodic: { ttlMs: 7 * 86_400_000 } },
    });
    const sales = { quarter: '2026-Q2', rows: [{ region: 'EMEA', amount: 5 }] };
    const analysis = await dataAnalysis.run(sales, { runner: stack.runner });
    expect(analysis).toBe(`[Task: analyze. Answer] ${JSON.stringify(sales)}`);
    // The run's result can be seen before the step's transaction commits: wait for the event. A
    // duplicate would be in the same transaction (a step's outputs commit together), so it shows too.
    const events = (await readTopicsUntil(stack.kafka, [stack.names.event('sales_analysis')], (rs) => rs.length > 0)).map(decodeEnvelope);
    expect(events.map((e) => [e.workflow, e.producer, payloadOf(e)])).toEqual([['data_analysis', 'data-analyst@1.0.0', analysis]]);
  });
});
