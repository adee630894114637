/**
 * @weaver/examples — the example workflows, as users would write them. The agent-runner loads
 * `WEAVER_WORKFLOWS` modules (default export: an array of Workflow); this one is its default.
 *
 * - `contentPipeline`: researcher → writer → reviewer; `await contentPipeline.run({ topic })`.
 * - `salesAnalysis`: the sales-analyst agent (10 lines) on its own.
 * - `dataAnalysis`: the plan's data analyst (`Memory(...)`, `Capability(...)`, `this.llm.analyze`).
 * - `knowledgeBase`: the librarian keeps facts in semantic memory across runs and answers from them.
 * - `quarterlyReport`: collector → sales-analyst → writer, `schedule:quarterly`.
 * - `planContentPipeline`: the plan's closing example, line for line (bare `@agent`,
 *   `requires`, `return this.publish(...)`). Not in the default list: its agents are named
 *   researcher/writer/reviewer like content-pipeline's, and one runner hosts one class per
 *   agent name (one consumer group each). Host it with
 *   `WEAVER_WORKFLOWS=examples/plan-content-pipeline/workflow.ts`.
 */
import { contentPipeline } from './content-pipeline/workflow';
import { knowledgeBase } from './knowledge-base/workflow';
import { workflow as planContentPipeline } from './plan-content-pipeline/workflow';
import { quarterlyReport } from './quarterly-report/workflow';
import { dataAnalysis, salesAnalysis } from './sales-analyst/workflow';

export { contentPipeline, dataAnalysis, knowledgeBase, planContentPipeline, quarterlyReport, salesAnalysis };
export default [contentPipeline, salesAnalysis, dataAnalysis, knowledgeBase, quarterlyReport];
