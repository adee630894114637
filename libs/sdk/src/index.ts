/**
 * @weaver/sdk — define agents and workflows, and run them on the platform.
 *
 * ```ts
 * const Sales = z.object({ quarter: z.string(), rows: z.array(z.object({ region: z.string(), amount: z.number() })) });
 * @agent({ name: 'sales-analyst', capabilities: [Capability('analyze_sales')],
 *          requires: ['sales.collected'], publishes: ['sales.analyzed'], input: Sales,
 *          limits: { maxConcurrency: 8, timeoutMs: 30_000 }, memory: Memory({ semantic_size: '10GB', episodic_ttl: '7d' }) })
 * class SalesAnalyst extends Agent<typeof Sales> {                // process's input type is the schema's
 *   async process({ rows }: Input<this>) { return { summary: (await this.llm.generate({ prompt: ... })).text }; }
 * }
 * @agent                                    // the plan's form: settings as class fields
 * class Writer extends Agent {
 *   memory = Memory({ episodic: '7d' });     // or AnalystMemory(), CoordinatorMemory(), definePreset(...)
 *   requires = ['research_complete'];        // none: the workflow's entry, given the run's input
 *   async process(research: string) { return this.publish('article_ready', await this.llm.write_article(research)); }
 * }
 * const wf = new Workflow('quarterly-report').addAgents(Collector, SalesAnalyst, Writer).setTrigger('schedule:quarterly');
 * Workflow.connect(new WeaverClient({ url, apiKey }));   // or set WEAVER_URL + WEAVER_API_KEY
 * const report = await wf.run({ quarter: '2026-Q1' });   // RunFailedError names the failed step
 * for await (const p of wf.stream(input)) console.log(p.kind, p.step);
 * ```
 *
 * Agents: inside `process(input)` use `this.llm` (the router service; a replayed step is not
 * billed twice; any other property is a plan "verb": `this.llm.research(topic)`), `this.memory`
 * (short-term, long-term, episodic, semantic, within the limits `Memory(...)` declared: sizes
 * "10GB"/"large", durations "7d", item counts; validated once, errors name the field and rule),
 * `this.tools`, `this.publish(type, payload)` (returning it makes it the step's output) and
 * `this.event`; override `canProcess(event)` to decline an event. A bare `@agent` names the
 * agent after its class and reads `publishes` from its `this.publish('<type>')` calls. Input that fails the `input` schema is
 * rejected with an error naming the field and rule, and goes to the dead-letter topic (the run
 * fails naming the step). An agent requiring several event types joins them per run: it runs
 * once all have arrived, with an input keyed by event type (see `AgentConfig.requires`).
 * `limits.maxConcurrency` bounds the agent's concurrent steps per process and
 * `limits.timeoutMs` fails (and retries) a step that runs too long.
 *
 * Workflows: `addAgents` checks the wiring at once (one entry event type, everything connected,
 * no cycle without an exit). Triggers: `schedule:<cron|alias>` (hourly, daily, weekly,
 * monthly, quarterly, yearly; fired exactly once per tick across runner replicas), `http` and
 * `grpc` (the gateway's POST /v1/runs and StartRun), `kafka:<topic>` (each record starts one
 * run; its tenant comes from the `weaver-tenant` header or a `tenantId` field). Every step runs
 * exactly once per run, even across crashes.
 *
 * Unit tests: `testAgent` from `@weaver/sdk/testing`. The runtime's own entry is
 * `@weaver/sdk/internal` (not a public API).
 *
 * @module
 */
export { Agent, type AgentClass, type AgentConfig, type AgentEvent, type AgentInstance, type AgentLimits, type AgentTools, type AgentTypes, type Input, type InputOf, type Output, type OutputOf, type Published, type ResultOf, type RunInputOf, type ToolDescription, type ToolLoopRequest, type ToolLoopResult, type ToolResult, type TypedAgent, type TypesOf } from './agent';
export { agent, type AgentClassFor, type AgentDefinition, type AgentOptions, type SchemaAgent } from './agent-definition';
export { Capability, type CapabilityRef } from './capability';
export type { EmbedRequest, EmbedResponse, LlmClient, LlmMessage, LlmRequest, LlmResponse, LlmStream, LlmStreamChunk, LlmToolCall, LlmToolSpec, StructuredAnswer } from './llm';
export type { AgentLlm, LlmVerb, LlmVerbs } from './llm-verbs';
export type { AgentMemory, Episode, EpisodicMemory, KeyValueMemory, MemorySpec, ScoredEpisode, SemanticHit, SemanticMemory } from './memory-types';
export { Memory, type MemoryDeclaration, type MemoryOptions } from './memory-config';
export { definePreset, AnalystMemory, CoordinatorMemory, type MemoryPreset } from './memory-presets';
export { RunFailedError, type RunProgress, type RunProgressKind, type RunStatus, type RunStepSummary, type RunSummary, type WorkflowRunner } from './run-progress';
export { ToolDeniedError, ToolFailedError, ToolLoopBoundError } from './tool-errors';
export type { GrpcTrigger, HttpTrigger, KafkaTrigger, ScheduleTrigger, Trigger } from './trigger';
export { signTriggerRecord, jwkThumbprint, publicJwkOf, TRIGGER_SIGNATURE_HEADER, type PublicJwk } from './trigger-signature';
export { GatewayError, WeaverClient, type StartRunOptions, type StartedRun, type WeaverClientOptions } from './weaver-client';
export { Workflow, type EntryInputOf, type ExitResultOf, type RunOptions } from './workflow';
export { clientOptionsFromEnv, type ClientEnv } from './client-config';
export { z } from 'zod';
