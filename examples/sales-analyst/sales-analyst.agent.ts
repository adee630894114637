import { Agent, agent, Capability, z, type Input } from '@weaver/sdk';

// The whole agent is the 10 lines below (imports excluded): a typed input, a capability, the
// event types it consumes and emits, and `process` calling the model through `this.llm`.
export const Sales = z.object({ quarter: z.string(), rows: z.array(z.object({ region: z.string(), amount: z.number().nonnegative() })).min(1) });
export const Analysis = z.object({ quarter: z.string(), total: z.number(), summary: z.string() });
@agent({ name: 'sales-analyst', capabilities: [Capability('analyze_sales')], requires: ['sales.collected'], publishes: ['sales.analyzed'], input: Sales, output: Analysis })
export class SalesAnalyst extends Agent<typeof Sales, typeof Analysis> {
  async process({ quarter, rows }: Input<this>) {
    const total = rows.reduce((sum, r) => sum + r.amount, 0);
    const { text } = await this.llm.generate({ system: 'You are a sales analyst: name the trend and the strongest region in two sentences.', prompt: `${quarter} sales: ${JSON.stringify(rows)}` });
    return { quarter, total, summary: text };
  }
}
