import { Workflow } from '@weaver/sdk';
import { Researcher, Reviewer, Writer } from './agents';

/** researcher → writer → reviewer; the reviewer's result is the run's result. */
export const contentPipeline = new Workflow('content-pipeline').addAgents(Researcher, Writer, Reviewer);

export default [contentPipeline];
