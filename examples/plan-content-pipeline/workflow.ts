import { Workflow } from '@weaver/sdk';
import { Researcher, Reviewer, Writer } from './agents';

// Create and run workflow: `const result = await workflow.run({ topic: 'AI Safety' });`
export const workflow = new Workflow('content_pipeline');
workflow.addAgents(Researcher, Writer, Reviewer);

export default [workflow];
