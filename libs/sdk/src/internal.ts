/**
 * @weaver/sdk/internal — what Weaver's own runtime (agent-runner, CLI, toolkit, tests) needs
 * from the SDK besides its public API: agent definitions, the shared step path, trigger and
 * schedule parsing, SSE parsing, tool grants. Not a public API: it changes with the platform.
 *
 * @module
 */
export { bindStep, publishedOutput, type StepContext } from './agent';
export { definitionOf, partSchemaOf } from './agent-definition';
export { nextTick, parseCron, SCHEDULE_ALIASES } from './cron-schedule';
export { llmClientFrom, structuredVia, type StructuredOptions } from './llm-defaults';
export { MEMORY_DEFAULTS, memorySpecOf } from './memory-config';
export { streamRun } from './progress-stream';
export { isTerminalKind } from './run-progress';
export { parseWith } from './schema-check';
export { parseSse, SseDecoder, type SseMessage } from './sse-parser';
export { runAgentStep, type StepRun, type StepServices } from './step-run';
export { isGranted, SERVER_NAME, splitToolName, TOOL_NAME, toolGrantProblems } from './tool-grants';
export { DEFAULT_MAX_ROUNDS, runToolLoop, textOf } from './tool-loop';
export { parseTrigger } from './trigger';
export { parseTriggerSignature, verifyParsedSignature, TRIGGER_TOPIC_CLAIM, type SignatureCheck } from './trigger-signature';
export { analyseWorkflow, consumesType, type WorkflowShape } from './workflow-graph';
export { eventPatternProblems, isEventPattern, matchesEventType, typesMatching } from './event-pattern';
export { isWorkflow } from './workflow';
