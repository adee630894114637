import { deadLetterRef, decodeEnvelope, envelopeRecord, newEnvelope, payloadOf, type Envelope, type HandlerContext, type InboundRecord, type OutboundRecord, type TopicNames } from '@weaver/messaging';
import type { AgentDefinition, AgentEvent } from '@weaver/sdk';
import { consumesType, parseWith, partSchemaOf, runAgentStep } from '@weaver/sdk/internal';
import type { ToolsFactory } from '@weaver/toolkit';
import { publicErrorText } from '@weaver/errors';
import { joinWire } from '@weaver/governance';
import type { LlmClientFactory, ResultSink, RunLedger } from './ports';
import type { MemoryProvider } from './memory/agent-memory';
import type { StepMemory } from './memory/step-memory';
import { WeaverAttr } from '@weaver/observability';
import { progressRecord } from './run-progress';
import { labelStepSpan } from './step-span';
import { Semaphore, withTimeout } from './step-timeout';
import type { WorkflowCatalogue } from './workflow-catalogue';
import type { RuntimeMetrics, StepOutcome } from './runtime-metrics';

/** A join's parts, and the classification of them all (see StepOutput.classification). */
interface Joined {
  parts: Record<string, unknown>;
  classification: string[];
}

/** The run's data subject, if any: everything the step stores for the run is sealed under its key. */
const subjectOf = (env: Envelope): string | undefined => env.subjectId || undefined;

/**
 * What a step stores: the agent's return value and what it published besides. `explicit`: the
 * agent returned `this.publish(...)`, so its output is already among `published` (not sent again
 * under `publishes[0]`).
 */
interface StepOutput {
  value: unknown;
  published: Array<{ type: string; payload: unknown }>;
  explicit?: boolean;
  /**
   * The classification of everything the step read (its event, every part of a join): its
   * events, result and memory items carry it, so derived data is never labelled lower than its
   * inputs. Recorded with the output, so a redelivered step re-emits the same labels.
   */
  classification?: string[];
}

export interface StepExecutorDeps {
  catalogue: WorkflowCatalogue;
  /** Topic and group names of this installation (its namespace). */
  names: TopicNames;
  ledger: RunLedger;
  results: ResultSink;
  llm: LlmClientFactory;
  /** Agent memory (AgentMemoryService): a step's writes commit with its step record. */
  memory: MemoryProvider;
  /** Each step's `this.tools` (McpToolkit.tools; `noTools()` without MCP servers). */
  tools: ToolsFactory;
  /** Run and step series (in-memory increments); unset: not measured. */
  runtimeMetrics?: RuntimeMetrics;
}

/**
 * One agent step, as an exactly-once hop: decode the event, validate the agent's input, run
 * `process` (or take the recorded result when this step already ran before a crash), and return
 * the events to publish with the input's offset. The last agent of a workflow also stores the
 * result with the publisher and completes the run.
 *
 * A join agent (several required types) first records each arriving part in `runs.joins`; only
 * the one event that completed the join runs the step and emits, and a redelivery of that same
 * event re-emits the recorded outputs under the same ids. Every other part returns nothing.
 */
export class StepExecutor {
  private readonly slots: Semaphore;

  constructor(
    private readonly def: AgentDefinition,
    private readonly deps: StepExecutorDeps,
  ) {
    this.slots = new Semaphore(def.limits.maxConcurrency ?? 64);
  }

  handle = async (record: InboundRecord, ctx: HandlerContext): Promise<OutboundRecord[]> => {
    const env = decodeEnvelope(record);
    if (!this.deps.catalogue.has(env.workflow)) return [];
    if (!this.deps.catalogue.get(env.workflow).agents.some((a) => a.name === this.def.name)) return []; // another workflow's event
    const done = this.deps.runtimeMetrics?.stepStarted(this.def.name);
    try {
      const { outcome, out } = await this.step(env, ctx);
      done?.(env.workflow, outcome);
      return out;
    } catch (err) {
      done?.(env.workflow, 'error');
      throw err;
    }
  };

  private async step(env: Envelope, ctx: HandlerContext): Promise<{ outcome: StepOutcome; out: OutboundRecord[] }> {
    const workflow = this.deps.catalogue.get(env.workflow);
    const step = this.def.name;
    labelStepSpan(`step ${step}`, env, { [WeaverAttr.step]: step, [WeaverAttr.agent]: this.def.name, [WeaverAttr.attempt]: ctx.attempt });
    const started = new Date();
    const joined = this.def.joins ? await this.arrive(env) : undefined;
    if (joined === null) return { outcome: 'waiting', out: [] }; // a part of a join this event does not complete
    // No read before the work: the step record is write-once, so a redelivered step (after a
    // crash between the database and the Kafka commit) re-runs `process` — its model calls are
    // answered from the router's idempotency records, unbilled — and then emits the result
    // recorded first. That saves a database round trip on every normal step.
    const ran = await this.runAgent(env, ctx.attempt, joined, started);
    const declined = ran === 'declined';
    // The memory writes ride with the step record: applied only if this is its first write.
    const memory = declined ? undefined : ran.memory;
    const { record: stepRecord, memory: committed, cancelled } = await this.deps.ledger.recordStep(env.tenantId, env.runId, {
      step,
      agent: this.def.name,
      // Declined work is recorded as skipped, so every delivery of this event agrees.
      status: declined ? 'skipped' : 'completed',
      attempt: ctx.attempt,
      inputEventId: env.id,
      output: declined ? null : ran.output,
      startedAt: started,
      finishedAt: new Date(),
    }, subjectOf(env), memory?.writes(ran === 'declined' ? [] : ran.output.classification ?? env.classification));
    // The run was cancelled: the step's input is acknowledged with nothing emitted (the run stops here).
    if (cancelled) return { outcome: 'cancelled', out: [] };
    if (memory && committed) this.deps.memory.committed(env.tenantId, memory, committed);
    if (stepRecord.status === 'skipped') return { outcome: 'declined', out: await this.declined(env, workflow.agents.filter((a) => consumesType(a, env.type)).map((a) => a.name)) };
    const durationMs = stepRecord.finishedAt.getTime() - stepRecord.startedAt.getTime();
    return { outcome: 'completed', out: await this.outputsOf(env, stepRecord.output as StepOutput, durationMs, workflow.terminalAgents.includes(step)) };
  }

  /**
   * The agent declined the event. A run nobody can move on must not stay "running" forever:
   * once every consumer of this event type in the workflow declined it, the run fails, naming
   * the step and the reason (see RunStore.declineStep for the rule).
   */
  private async declined(env: Envelope, consumers: string[]): Promise<OutboundRecord[]> {
    const reason = `no agent took event "${env.type}": ${consumers.map((c) => `"${c}"`).join(', ')} declined it (canProcess returned false)`;
    const failed = await this.deps.ledger.declineStep(env.tenantId, env.runId, { step: this.def.name, inputEventId: env.id, consumers, reason });
    if (!failed) return [];
    this.deps.runtimeMetrics?.runFailed(env.workflow);
    const scope = { tenantId: env.tenantId, runId: env.runId, workflow: env.workflow, producer: this.def.name, causationId: env.id, subjectId: env.subjectId };
    return [progressRecord(this.deps.names, scope, { kind: 'run.failed', step: this.def.name, error: reason })];
  }

  /** The last try failed: the run fails, naming this step (a DLQ replay can revive it). */
  onDeadLetter = async (record: InboundRecord, error: unknown): Promise<OutboundRecord[]> => {
    const env = decodeEnvelope(record);
    // The run's error is read by clients (views, SSE): the public text and the dead letter's
    // ref; the whole error is in the runner's log line and the dead letter under that ref.
    const message = publicErrorText(error, deadLetterRef(record));
    this.deps.runtimeMetrics?.deadLettered(env.workflow, this.def.name);
    if (await this.deps.ledger.failRun(env.tenantId, env.runId, message, this.def.name)) this.deps.runtimeMetrics?.runFailed(env.workflow);
    else if ((await this.deps.ledger.statusOf?.(env.tenantId, env.runId)) === 'cancelled') return []; // a cancelled run does not fail
    const scope = { tenantId: env.tenantId, runId: env.runId, workflow: env.workflow, producer: this.def.name, causationId: env.id, subjectId: env.subjectId };
    return [
      progressRecord(this.deps.names, scope, { kind: 'step.failed', step: this.def.name, agent: this.def.name, error: message }),
      progressRecord(this.deps.names, scope, { kind: 'run.failed', step: this.def.name, error: message }),
    ];
  };

  /**
   * Validates this part against its field of the join's schema (a bad part fails now, naming
   * the field, instead of when the last part arrives), records it, and returns the joined input
   * when this event is the one that completed the join; null otherwise.
   */
  private async arrive(env: Envelope): Promise<Joined | null> {
    const payload = payloadOf(env);
    const schema = partSchemaOf(this.def, env.type);
    if (schema) parseWith(schema, payload, `input of agent "${this.def.name}"`, `input.${env.type}`);
    const part = { type: env.type, eventId: env.id, payload, classification: env.classification };
    const state = await this.deps.ledger.arriveAtJoin(env.tenantId, env.runId, this.def.name, part, this.def.requires, subjectOf(env));
    return state.completedBy === env.id ? { parts: state.parts, classification: state.classification } : null;
  }

  private async runAgent(env: Envelope, attempt: number, joined: Joined | undefined, started: Date): Promise<{ output: StepOutput; memory: StepMemory } | 'declined'> {
    const payload = joined ? joined.parts : payloadOf(env);
    const classification = joinWire(env.classification, joined?.classification);
    const event: AgentEvent = { id: env.id, type: env.type, tenantId: env.tenantId, runId: env.runId, workflow: env.workflow, producer: env.producer, classification, payload };
    const published: StepOutput['published'] = [];
    const llmScope = { tenantId: env.tenantId, runId: env.runId, workflow: env.workflow, agent: this.def.name, step: this.def.name, classification, subjectId: subjectOf(env) };
    const bound: { memory?: StepMemory } = {};
    // Validation, canProcess, the publish check and the output check are the SDK's
    // (runAgentStep, which testAgent runs too); the services are built only for an accepted event.
    const ran = await runAgentStep(this.def, event, () => {
      const llm = this.deps.llm(llmScope);
      const toolScope = { tenantId: env.tenantId, runId: env.runId, workflow: env.workflow, agent: this.def.name, step: this.def.name, subjectId: subjectOf(env), grants: this.def.tools, llm, classification };
      // Reading a higher-classified memory item raises the step from then on: its later model
      // and tool calls (both read their scope's labels per call) and its outputs.
      const raise = (read: readonly string[]): void => {
        toolScope.classification = llmScope.classification = joinWire(llmScope.classification, read);
      };
      // Embeddings of memory writes and searches go through the step's client: billed to the step.
      const memory = (bound.memory = this.deps.memory.forStep({ tenantId: env.tenantId, runId: env.runId, agent: this.def.name, at: started, raise }, this.def.memory, llm));
      return { llm, memory, tools: this.deps.tools(toolScope), publish: (type, p) => void published.push({ type, payload: p }) };
    }, (work) => {
      const timeoutMs = this.def.limits.timeoutMs ?? 60_000;
      // The slot is held while process runs; the timeout counts from the start of process, not the wait.
      return this.slots.use(() => withTimeout(work(), timeoutMs, `step "${this.def.name}" (attempt ${attempt})`));
    });
    if (ran.declined || !bound.memory) return 'declined'; // an accepted event always has its services built
    const { value } = ran;
    const labels = llmScope.classification;
    return { output: ran.explicit ? { value, published, explicit: true, classification: labels } : { value, published, classification: labels }, memory: bound.memory };
  }

  private async outputsOf(env: Envelope, output: StepOutput, durationMs: number, terminal: boolean): Promise<OutboundRecord[]> {
    // Outputs recorded before labels were kept carry the event's.
    const classification = output.classification ?? env.classification;
    const base = { tenantId: env.tenantId, runId: env.runId, workflow: env.workflow, producer: `${this.def.name}@${this.def.version}`, step: this.def.name, causationId: env.id, correlationId: env.correlationId, classification, subjectId: env.subjectId };
    const events = [...(this.def.publishes[0] && !output.explicit ? [{ type: this.def.publishes[0], payload: output.value }] : []), ...output.published].map((e, i) =>
      envelopeRecord(newEnvelope({ ...base, id: `${env.id}:${this.def.name}:${i}`, type: e.type, payload: e.payload }), this.deps.names.event(e.type)),
    );
    const scope = { tenantId: env.tenantId, runId: env.runId, workflow: env.workflow, producer: this.def.name, causationId: env.id, subjectId: env.subjectId };
    const progress = [progressRecord(this.deps.names, scope, { kind: 'step.completed', step: this.def.name, agent: this.def.name, durationMs })];
    if (terminal) {
      const { uri } = await this.deps.results.put({ tenantId: env.tenantId, runId: env.runId, step: this.def.name, data: output.value, classification, subjectId: subjectOf(env) });
      if (await this.deps.ledger.completeRun(env.tenantId, env.runId, output.value, uri, subjectOf(env))) this.deps.runtimeMetrics?.runCompleted(env.workflow);
      // Not moved: a redelivery (re-emit), or a cancel that landed after this step was recorded (no run.completed then).
      else if ((await this.deps.ledger.statusOf?.(env.tenantId, env.runId)) === 'cancelled') return [...events, ...progress];
      progress.push(progressRecord(this.deps.names, scope, { kind: 'run.completed' }));
    }
    return [...events, ...progress];
  }
}
