/**
 * @weaver/examples — the example workflows, as users would write them. The agent-runner loads
 * `WEAVER_WORKFLOWS` modules; this one is its default.
 */
import { contentPipeline } from './content-pipeline/workflow';

export { contentPipeline };
export default [contentPipeline];
