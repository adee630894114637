/**
 * @weaver/sdk/testing — unit-test an agent without the platform.
 *
 *   const run = await testAgent(SalesAnalyst, { quarter: 'Q1', rows }, { llm: (req) => 'Sales grew.' });
 *   expect(run.output).toEqual({ quarter: 'Q1', total: 42, summary: 'Sales grew.' });
 *   expect(run.llmCalls[0]?.request.prompt).toContain('Q1');
 *
 * @module
 */
export { testAgent, type EmbedCall, type LlmCall, type ModelCall, type PublishedEvent, type TestAccepted, type TestAgentOptions, type TestDeclined, type TestLlm, type TestRecord, type TestRun } from './test-agent';
export { inProcessMemory, type FakeTool } from './test-doubles';
export { llmClientFrom } from './llm-defaults';
