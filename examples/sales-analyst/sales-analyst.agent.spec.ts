import { ValidationError } from '@weaver/errors';
import { testAgent } from '@weaver/sdk/testing';
import { DataAnalyst } from './data-analyst.agent';
import { SalesAnalyst } from './sales-analyst.agent';

// The agents without the platform: testAgent runs the runtime's own step path (input schema,
// canProcess, publish check, output schema) with a scripted model.
describe('sales-analyst agents, unit-tested with testAgent', () => {
  const rows = [{ region: 'EMEA', amount: 1200 }, { region: 'APAC', amount: 800.5 }];

  it('totals the quarter and asks the model for the summary', async () => {
    const run = await testAgent(SalesAnalyst, { quarter: '2026-Q1', rows }, { llm: () => 'EMEA leads; sales grew.' });
    expect(run.output).toEqual({ quarter: '2026-Q1', total: 2000.5, summary: 'EMEA leads; sales grew.' });
    expect(run.llmCalls).toEqual([{ method: 'generate', request: { system: expect.stringMatching(/^You are a sales analyst/), prompt: `2026-Q1 sales: ${JSON.stringify(rows)}` } }]);
  });

  it('refuses a negative amount with the same error the platform gives', async () => {
    const error = await testAgent(SalesAnalyst, { quarter: '2026-Q1', rows: [{ region: 'EMEA', amount: -5 }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations).toEqual([{ field: 'input.rows.0.amount', rule: 'Too small: expected number to be >=0' }]);
  });

  it("runs the plan's data analyst: a verb call, and its return this.publish is the output", async () => {
    const sales = { quarter: '2026-Q2', rows: [{ region: 'EMEA', amount: 5 }] };
    const run = await testAgent(DataAnalyst, sales, { llm: (r) => `analysed ${r.prompt}` });
    expect(run.output).toBe(`analysed ${JSON.stringify(sales)}`);
    expect(run.published).toEqual([{ type: 'sales_analysis', payload: run.output }]);
    expect(run.llmCalls[0]?.request).toMatchObject({ system: 'Task: analyze. Answer with the result only.' });
  });
});
