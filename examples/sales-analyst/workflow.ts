import { Workflow } from '@weaver/sdk';
import { SalesAnalyst } from './sales-analyst.agent';

/** The analyst on its own: `await salesAnalysis.run({ quarter, rows })` returns its analysis. */
export const salesAnalysis = new Workflow('sales-analysis').addAgents(SalesAnalyst).setTrigger('http');
