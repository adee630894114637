import { Workflow } from '@weaver/sdk';
import { SalesAnalyst } from '../sales-analyst/sales-analyst.agent';
import { ReportWriter, SalesCollector } from './agents';

/** collector → analyst → writer, at the start of every quarter (UTC), exactly once across runner replicas. */
export const quarterlyReport = new Workflow('quarterly-report').addAgents(SalesCollector, SalesAnalyst, ReportWriter).setTrigger('schedule:quarterly');
