/**
 * @weaver/agent-runtime — hosts SDK agents on the exactly-once event layer.
 *
 * `new AgentHost({ kafka, catalogue: new WorkflowCatalogue(workflows), ledger, results, llm,
 * memory, tools, logger, metrics })`, then `provision(partitions)`, `start()`, `stop()`.
 * - Each agent gets its own consumer group; a step runs exactly once per run (write-once step
 *   records, outputs committed with the input's offset). `limits.maxConcurrency` and
 *   `limits.timeoutMs` of each agent are enforced here.
 * - `this.memory` (AgentMemoryService): short-term, long-term, episodic and semantic memory in
 *   PostgreSQL; a step's writes commit with its step record (once, even when redelivered).
 * - Join agents (several `requires`) keep partial inputs in `runs.joins` (through the ledger's
 *   `arriveAtJoin`); only the event that completes a join runs the step.
 * - The trigger dispatcher turns run requests on `weaver.triggers.v1` into the workflow's entry
 *   event — a protobuf envelope, or a signed CloudEvent in structured JSON mode any producer may
 *   write (`cloudEventTrigger`, docs/triggers.md); `kafka:<topic>` triggers run as group `weaver.trigger.<workflow>` and turn each record
 *   into a run request (run id derived from the record).
 * - `WorkflowScheduler` fires `schedule:` triggers exactly once per tick across replicas
 *   (claims in `runs.schedule_ticks`, run ids derived from the tick).
 * - `InProcessRunner` runs `workflow.run(...)` against a host in the same process (tests, dev).
 * Topic and group names come from the `TopicNames` given to the host (its namespace).
 */
export * from './agent-host';
export * from './agent-selection';
export * from './pattern-subscription';
export * from './dispatcher';
export * from './cloudevent-trigger';
export * from './cloudevent-trigger.schema';
export * from './trigger-decoding';
export * from './in-process-runner';
export * from './kafka-trigger';
export * from './tenant-gate';
export * from './step-executor';
export * from './workflow-catalogue';
export * from './workflow-scheduler';
export * from './ports';
export * from './run-ids';
export * from './run-progress';
export * from './runtime-metrics';
export { AgentMemoryService, exactIndexFactory, type AgentMemoryOptions, type MemoryProvider } from './memory/agent-memory';
export { StepMemory, type StepMemoryScope } from './memory/step-memory';
export { MemoryIndexes } from './memory/memory-indexes';
// Moved to @weaver/toolkit (issue 9); re-exported so hosts without MCP servers keep one import.
export { noTools, type ToolsFactory, type ToolScope } from '@weaver/toolkit';
export { Semaphore, withTimeout } from './step-timeout';
export * from './step-deltas';
