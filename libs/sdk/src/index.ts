/**
 * @weaver/sdk — define agents and workflows.
 *
 *   @agent({ name: 'sales-analyst', capabilities: [Capability('analyze_sales')],
 *            requires: ['sales.collected'], publishes: ['sales.analyzed'], input: Sales })
 *   class SalesAnalyst extends Agent<z.infer<typeof Sales>> {
 *     async process({ rows }) { return { summary: (await this.llm.generate({ prompt: ... })).text }; }
 *   }
 *   const wf = new Workflow('quarterly-report').addAgents(Collector, SalesAnalyst, Writer).setTrigger('schedule:quarterly');
 *
 * Inside `process`: `this.llm` (the router service), `this.memory`, `this.tools`,
 * `this.publish(type, payload)`, `this.event`. The agent-runner hosts the classes; every step
 * runs exactly once per run, even across crashes.
 */
export * from './agent';
export * from './agent-definition';
export * from './capability';
export * from './llm';
export * from './trigger';
export * from './workflow';
export * from './workflow-graph';
export { z } from 'zod';
