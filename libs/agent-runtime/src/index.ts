/**
 * @weaver/agent-runtime — hosts SDK agents on the exactly-once event layer.
 *
 * `new AgentHost({ kafka, catalogue: new WorkflowCatalogue(workflows), ledger, results, llm,
 * memory, tools, logger, metrics })`, then `provision(partitions)`, `start()`, `stop()`.
 * Each agent gets its own consumer group; the trigger dispatcher turns run requests on
 * `weaver.triggers.v1` into the workflow's entry event.
 */
export * from './agent-host';
export * from './dispatcher';
export * from './step-executor';
export * from './workflow-catalogue';
export * from './ports';
export * from './run-progress';
export * from './run-memory';
export { Semaphore, withTimeout } from './step-timeout';
