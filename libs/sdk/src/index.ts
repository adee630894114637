/**
 * @weaver/sdk — define agents and workflows, and run them on the platform.
 *
 *   const Sales = z.object({ quarter: z.string(), rows: z.array(z.object({ region: z.string(), amount: z.number() })) });
 *   @agent({ name: 'sales-analyst', capabilities: [Capability('analyze_sales')],
 *            requires: ['sales.collected'], publishes: ['sales.analyzed'], input: Sales,
 *            limits: { maxConcurrency: 8, timeoutMs: 30_000 }, memory: Memory({ semantic_size: '10GB', episodic_ttl: '7d' }) })
 *   class SalesAnalyst extends Agent<z.infer<typeof Sales>> {
 *     async process({ rows }) { return { summary: (await this.llm.generate({ prompt: ... })).text }; }
 *   }
 *   @agent                                    // the plan's form: settings as class fields
 *   class Writer extends Agent {
 *     memory = Memory({ episodic: '7d' });     // or AnalystMemory(), CoordinatorMemory(), definePreset(...)
 *     requires = ['research_complete'];        // none: the workflow's entry, given the run's input
 *     async process(research: string) { return this.publish('article_ready', await this.llm.write_article(research)); }
 *   }
 *   const wf = new Workflow('quarterly-report').addAgents(Collector, SalesAnalyst, Writer).setTrigger('schedule:quarterly');
 *   Workflow.connect(new WeaverClient({ url, apiKey }));   // or set WEAVER_URL + WEAVER_API_KEY
 *   const report = await wf.run({ quarter: '2026-Q1' });   // RunFailedError names the failed step
 *   for await (const p of wf.stream(input)) console.log(p.kind, p.step);
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
 */
export * from './agent';
export * from './agent-definition';
export * from './capability';
export * from './cron-schedule';
export * from './llm';
export * from './llm-defaults';
export * from './memory-types';
export { Memory, MEMORY_DEFAULTS, type MemoryDeclaration, type MemoryOptions } from './memory-config';
export { definePreset, AnalystMemory, CoordinatorMemory, type MemoryPreset } from './memory-presets';
export type { AgentLlm, LlmVerb, LlmVerbs } from './llm-verbs';
export * from './progress-stream';
export * from './run-progress';
export * from './sse-parser';
export * from './tool-errors';
export * from './tool-grants';
export * from './tool-loop';
export * from './trigger';
export * from './weaver-client';
export * from './workflow';
export * from './workflow-graph';
export { clientOptionsFromEnv } from './client-config';
export { z } from 'zod';
export { signTriggerRecord, jwkThumbprint, publicJwkOf, parseTriggerSignature, verifyParsedSignature, TRIGGER_SIGNATURE_HEADER, type PublicJwk, type SignatureCheck } from './trigger-signature';
export { eventPatternProblems, isEventPattern, matchesEventType, typesMatching } from './event-pattern';
