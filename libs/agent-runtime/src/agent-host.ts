import type { KafkaConnection } from '@weaver/messaging';
import { ConsumerLagMonitor, decodeEnvelope, EnvelopeSealer, EosProcessor, payloadOf, provisionTopics, topicSpec, type OutboundRecord, type TopicNames, type TopicSpec } from '@weaver/messaging';
import type { Logger, Metrics } from '@weaver/observability';
import type { AgentDefinition } from '@weaver/sdk';
import { isEventPattern } from '@weaver/sdk/internal';
import { selectAgents, type AgentSelection } from './agent-selection';
import { TriggerDispatcher } from './dispatcher';
import { KafkaTrigger, kafkaTriggerGroup } from './kafka-trigger';
import { PatternSubscription, type HostedConsumer } from './pattern-subscription';
import type { RunProgressEvent } from './run-progress';
import { RuntimeMetrics } from './runtime-metrics';
import { StepExecutor, type StepExecutorDeps } from './step-executor';
import type { TenantGate } from './tenant-gate';
import type { WorkflowCatalogue } from './workflow-catalogue';

/** Consumer groups, in an installation's namespace. */
export const dispatcherGroup = (names: TopicNames): string => names.group('weaver.dispatcher');
export const agentGroup = (names: TopicNames, agent: string): string => names.group(`weaver.agent.${agent}`);

export interface AgentHostOptions extends Omit<StepExecutorDeps, 'catalogue'> {
  kafka: KafkaConnection;
  catalogue: WorkflowCatalogue;
  logger: Logger;
  metrics: Metrics;
  /** Verifies triggers' tenants (and `kafka:` records' signatures) before they become runs. */
  tenants: TenantGate;
  /** Run the trigger dispatcher and the workflows' Kafka-topic triggers in this process (default true). */
  dispatch?: boolean;
  /** The catalogue's agents this host consumes for (WEAVER_AGENTS; default all): one Deployment per agent type. */
  agents?: AgentSelection;
  /**
   * An isolated-tier deployment: the one tenant whose triggers this host accepts (`names` are
   * then that tenant's, `TopicNames.forTenant`). Unset: the shared tier.
   */
  onlyTenant?: string;
  retry?: { maxAttempts?: number; baseMs?: number; maxMs?: number };
  /** Seals produced payloads and opens consumed ones (default: plaintext). */
  sealer?: EnvelopeSealer;
  /** How often consumer lag and DLQ depth are read (admin calls on a timer, never per step); default 15 s. */
  lagIntervalMs?: number;
  /** How often agents requiring a pattern (`content.*`) look for new matching event topics; default 30 s. */
  patternRefreshMs?: number;
}

/** A progress event this host produced, as it is handed to the commit (see `onProgress`). */
export interface RunProgressNotice extends RunProgressEvent {
  tenantId: string;
  runId: string;
  workflow: string;
}

/** The workflows' `kafka:<topic>` triggers. The topic is the user's: it is not namespaced. */
function kafkaTriggers(catalogue: WorkflowCatalogue): Array<{ workflow: string; topic: string }> {
  return catalogue.workflows.flatMap((wf) => wf.triggerList.flatMap((t) => (t.kind === 'kafka' ? [{ workflow: wf.name, topic: t.topic }] : [])));
}

/** The topics a runner needs: platform topics, each event type's topic, Kafka trigger topics, each group's DLQ. */
export function topicsFor(catalogue: WorkflowCatalogue, partitions: number, names: TopicNames): TopicSpec[] {
  const triggers = kafkaTriggers(catalogue);
  const groups = [dispatcherGroup(names), ...catalogue.agents.map((a) => agentGroup(names, a.name)), ...triggers.map((k) => kafkaTriggerGroup(names, k.workflow))];
  return [
    ...names.platform(partitions),
    ...catalogue.eventTypes.map((t) => topicSpec(names.event(t), partitions)),
    ...[...new Set(triggers.map((k) => k.topic))].map((t) => topicSpec(t, partitions)),
    ...groups.map((g) => topicSpec(names.dlq(g), 1)),
  ];
}

/**
 * Hosts a catalogue's agents on the exactly-once event layer: one consumer group per agent
 * (scaling an agent = more members of its group), the trigger dispatcher, and one group per
 * workflow Kafka-topic trigger (`weaver.trigger.<workflow>`).
 */
export class AgentHost {
  private readonly processors: HostedConsumer[] = [];
  private readonly byAgent = new Map<string, HostedConsumer>();
  private readonly listeners = new Set<(n: RunProgressNotice) => void>();
  private readonly lag: ConsumerLagMonitor;
  /** The agents this host runs a consumer group for (a subset of the catalogue's with `agents`). */
  readonly hostedAgents: AgentDefinition[];

  /** This host's topic and group names (its installation's namespace). */
  get names(): TopicNames {
    return this.opts.names;
  }

  constructor(private readonly opts: AgentHostOptions) {
    const { kafka, logger, metrics, retry } = opts;
    const common = { kafka, logger, metrics, retry, transactionalIdPrefix: 'weaver' };
    // Outside `observed`: progress listeners see plain outputs, Kafka gets sealed ones.
    const sealer = opts.sealer ?? new EnvelopeSealer();
    const runtimeMetrics = opts.runtimeMetrics ?? new RuntimeMetrics(metrics);
    this.hostedAgents = selectAgents(opts.catalogue, opts.agents ?? { kind: 'all' });
    // Each replica reports the lag of what it hosts (per-agent deployments: their own agent only).
    const lagTargets = this.hostedAgents.map((a) => ({ agent: a.name, group: agentGroup(opts.names, a.name), topics: a.requires.filter((t) => !isEventPattern(t)).map((t) => opts.names.event(t)) }));
    if (opts.dispatch !== false) {
      lagTargets.push({ agent: 'dispatcher', group: dispatcherGroup(opts.names), topics: [opts.names.triggers] });
      const dispatcher = new TriggerDispatcher(opts.catalogue, opts.ledger, opts.names, opts.tenants, opts.onlyTenant, runtimeMetrics);
      this.processors.push(
        new EosProcessor({ ...common, group: dispatcherGroup(opts.names), topics: [opts.names.triggers], handler: sealer.handler(this.observed(dispatcher.handle)), onDeadLetter: sealer.deadLetterHandler(this.observed(dispatcher.onDeadLetter)) }),
      );
      for (const { workflow, topic } of kafkaTriggers(opts.catalogue)) {
        const trigger = new KafkaTrigger(opts.catalogue.get(workflow), opts.names, opts.tenants);
        lagTargets.push({ agent: `trigger:${workflow}`, group: kafkaTriggerGroup(opts.names, workflow), topics: [topic] });
        this.processors.push(new EosProcessor({ ...common, group: kafkaTriggerGroup(opts.names, workflow), topics: [topic], handler: sealer.handler(trigger.handle) }));
      }
    }
    for (const def of this.hostedAgents) {
      const executor = new StepExecutor(def, { ...opts, runtimeMetrics });
      const processorFor = (topics: string[]): EosProcessor =>
        new EosProcessor({
          ...common,
          group: agentGroup(opts.names, def.name),
          topics,
          handler: sealer.handler(this.observed(executor.handle)),
          onDeadLetter: sealer.deadLetterHandler(this.observed(executor.onDeadLetter)),
          maxWindow: Math.max(2_000, (def.limits.maxConcurrency ?? 64) * 4),
        });
      // An agent requiring a pattern consumes the matching topics the broker has, re-read on a timer.
      const consumer: HostedConsumer = def.requires.some(isEventPattern)
        ? new PatternSubscription({ def, kafka, names: opts.names, logger, processorFor, refreshMs: opts.patternRefreshMs ?? 30_000, lagTopics: lagTargets.find((t) => t.agent === def.name)?.topics })
        : processorFor(def.requires.map((t) => opts.names.event(t)));
      this.processors.push(consumer);
      this.byAgent.set(def.name, consumer);
    }
    this.lag = new ConsumerLagMonitor(kafka, lagTargets, metrics, logger, opts.lagIntervalMs);
  }

  async provision(partitions: number): Promise<void> {
    const { created } = await provisionTopics(this.opts.kafka, topicsFor(this.opts.catalogue, partitions, this.opts.names));
    if (created.length) this.opts.logger.info({ created }, `created ${created.length} topics`);
  }

  async start(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.start()));
    this.lag.start();
  }

  async stop(timeoutMs?: number): Promise<void> {
    await this.lag.stop();
    await Promise.all(this.processors.map((p) => p.stop(timeoutMs)));
  }

  /** Reads consumer lag and DLQ depth now (the timer does it every `lagIntervalMs`). */
  pollLag(): Promise<void> {
    return this.lag.poll();
  }

  /**
   * Listens to the progress events this process produces (run started, step completed/failed,
   * run completed/failed) as they are handed to the commit: at least once (a transaction that
   * fails is redone and notifies again), and only for work done here. For in-process runners
   * and tests; the platform's subscribers read `weaver.runs.v1`.
   */
  onProgress(listener: (n: RunProgressNotice) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** What one agent's consumer is doing, for its registry heartbeat. */
  agentStatus(agent: string): { inFlight: number; partitions: Array<{ topic: string; partition: number }> } {
    const p = this.byAgent.get(agent);
    if (!p) return { inFlight: 0, partitions: [] };
    const partitions = p.assignedPartitions.map((id) => {
      const at = id.lastIndexOf(':');
      return { topic: id.slice(0, at), partition: Number(id.slice(at + 1)) };
    });
    return { inFlight: p.inFlight, partitions };
  }

  /** Drain one agent: stop taking work, finish and commit in-flight steps, leave its group. */
  async stopAgent(agent: string, timeoutMs?: number): Promise<void> {
    await this.byAgent.get(agent)?.stop(timeoutMs);
  }

  get inFlight(): number {
    return this.processors.reduce((n, p) => n + p.inFlight, 0);
  }

  get assignedPartitions(): string[] {
    return this.processors.flatMap((p) => p.assignedPartitions);
  }

  private observed<A extends unknown[]>(handler: (...args: A) => Promise<OutboundRecord[]>): (...args: A) => Promise<OutboundRecord[]> {
    return async (...args: A) => {
      const out = await handler(...args);
      if (this.listeners.size) for (const r of out) if (r.topic === this.opts.names.runs) this.notify(r);
      return out;
    };
  }

  private notify(record: OutboundRecord): void {
    const env = decodeEnvelope(record);
    const notice: RunProgressNotice = { ...(payloadOf(env) as RunProgressEvent), tenantId: env.tenantId, runId: env.runId, workflow: env.workflow };
    for (const listener of this.listeners) {
      try {
        listener(notice);
      } catch (error) {
        this.opts.logger.warn({ err: String(error) }, 'progress listener failed');
      }
    }
  }
}
