import { Agent, agent, Capability, Memory } from '@weaver/sdk';

// The plan's "data analyst agent in 10 lines" (section 4.1), as written there.
@agent
export class DataAnalyst extends Agent {
  memory = Memory({ semantic_size: '10GB', episodic_ttl: '7d' });
  capabilities = [Capability('analyze_sales')];

  async process(sales_data: unknown) {
    const analysis = await this.llm.analyze(sales_data);
    return this.publish('sales_analysis', analysis);
  }
}
