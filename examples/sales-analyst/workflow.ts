import { Workflow } from '@weaver/sdk';
import { SalesAnalyst } from './sales-analyst.agent';
import { DataAnalyst } from './data-analyst.agent';

/** The analyst on its own: `await salesAnalysis.run({ quarter, rows })` returns its analysis. */
export const salesAnalysis = new Workflow('sales-analysis').addAgents(SalesAnalyst).setTrigger('http');

/** The plan's data analyst (Memory, Capability, `this.llm.analyze`) on its own: the run's input is its `sales_data`. */
export const dataAnalysis = new Workflow('data_analysis').addAgents(DataAnalyst);
