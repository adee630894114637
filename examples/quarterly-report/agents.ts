import { Agent, agent, Capability, z } from '@weaver/sdk';
import { Analysis, Sales } from '../sales-analyst/sales-analyst.agent';
import { quarterBefore, salesOf } from './sales-source';

/** A scheduled run brings `scheduledAt` (the tick); a manual run may name the quarter instead. */
const ReportRequest = z
  .object({ scheduledAt: z.iso.datetime().optional(), quarter: z.string().regex(/^\d{4}-Q[1-4]$/, 'must look like 2026-Q1').optional() })
  .refine((r) => r.scheduledAt || r.quarter, { message: 'give quarter (e.g. 2026-Q1) or scheduledAt', path: ['quarter'] });

@agent({ name: 'sales-collector', capabilities: [Capability('collect_sales')], requires: ['report.requested'], publishes: ['sales.collected'], input: ReportRequest, output: Sales })
export class SalesCollector extends Agent<z.infer<typeof ReportRequest>> {
  async process({ scheduledAt, quarter }: z.infer<typeof ReportRequest>) {
    const q = quarter ?? quarterBefore(new Date(scheduledAt!));
    return { quarter: q, rows: salesOf(q) };
  }
}

const Report = z.object({ quarter: z.string(), title: z.string(), total: z.number(), body: z.string() });

@agent({ name: 'report-writer', capabilities: [Capability('write_report')], requires: ['sales.analyzed'], publishes: ['report.written'], input: Analysis, output: Report })
export class ReportWriter extends Agent<z.infer<typeof Analysis>> {
  async process({ quarter, total, summary }: z.infer<typeof Analysis>) {
    const { text } = await this.llm.generate({ system: 'Write a one-paragraph quarterly sales report for the board.', prompt: `Quarter ${quarter}, total ${total}. Analysis: ${summary}` });
    return { quarter, title: `Sales report ${quarter}`, total, body: text };
  }
}
