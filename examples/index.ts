/**
 * @weaver/examples — the example workflows, as users would write them. The agent-runner loads
 * `WEAVER_WORKFLOWS` modules (default export: an array of Workflow); this one is its default.
 *
 * - `contentPipeline`: researcher → writer → reviewer; `await contentPipeline.run({ topic })`.
 * - `salesAnalysis`: the sales-analyst agent (10 lines) on its own.
 * - `quarterlyReport`: collector → sales-analyst → writer, `schedule:quarterly`.
 */
import { contentPipeline } from './content-pipeline/workflow';
import { quarterlyReport } from './quarterly-report/workflow';
import { salesAnalysis } from './sales-analyst/workflow';

export { contentPipeline, quarterlyReport, salesAnalysis };
export default [contentPipeline, salesAnalysis, quarterlyReport];
