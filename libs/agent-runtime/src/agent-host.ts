import type { Kafka } from '@weaver/messaging';
import { EosProcessor, groupName, provisionTopics, Topics, topicSpec, platformTopics, type TopicSpec } from '@weaver/messaging';
import type { Logger, Metrics } from '@weaver/observability';
import { TriggerDispatcher } from './dispatcher';
import { StepExecutor, type StepExecutorDeps } from './step-executor';
import type { WorkflowCatalogue } from './workflow-catalogue';

/** Consumer groups, in the current topic namespace (see setTopicNamespace). */
export const dispatcherGroup = (): string => groupName('weaver.dispatcher');
export const agentGroup = (agent: string): string => groupName(`weaver.agent.${agent}`);

export interface AgentHostOptions extends Omit<StepExecutorDeps, 'catalogue'> {
  kafka: Kafka;
  catalogue: WorkflowCatalogue;
  logger: Logger;
  metrics: Metrics;
  /** Run the trigger dispatcher in this process (default true). */
  dispatch?: boolean;
  retry?: { maxAttempts?: number; baseMs?: number; maxMs?: number };
}

/** The topics a runner needs: platform topics, each event type's topic, each group's DLQ. */
export function topicsFor(catalogue: WorkflowCatalogue, partitions: number): TopicSpec[] {
  return [
    ...platformTopics(partitions),
    ...catalogue.eventTypes.map((t) => topicSpec(Topics.event(t), partitions)),
    ...[dispatcherGroup(), ...catalogue.agents.map((a) => agentGroup(a.name))].map((g) => topicSpec(Topics.dlq(g), 1)),
  ];
}

/**
 * Hosts a catalogue's agents on the exactly-once event layer: one consumer group per agent
 * (scaling an agent = more members of its group) plus the trigger dispatcher.
 */
export class AgentHost {
  private readonly processors: EosProcessor[] = [];
  private readonly byAgent = new Map<string, EosProcessor>();

  constructor(private readonly opts: AgentHostOptions) {
    const { kafka, logger, metrics, retry } = opts;
    const common = { kafka, logger, metrics, retry, transactionalIdPrefix: 'weaver' };
    if (opts.dispatch !== false) {
      const dispatcher = new TriggerDispatcher(opts.catalogue, opts.ledger);
      this.processors.push(new EosProcessor({ ...common, group: dispatcherGroup(), topics: [Topics.triggers], handler: dispatcher.handle, onDeadLetter: dispatcher.onDeadLetter }));
    }
    for (const def of opts.catalogue.agents) {
      const executor = new StepExecutor(def, opts);
      const processor = new EosProcessor({
          ...common,
          group: agentGroup(def.name),
          topics: def.requires.map((t) => Topics.event(t)),
          handler: executor.handle,
          onDeadLetter: executor.onDeadLetter,
          maxWindow: Math.max(256, (def.limits.maxConcurrency ?? 64) * 4),
      });
      this.processors.push(processor);
      this.byAgent.set(def.name, processor);
    }
  }

  async provision(partitions: number): Promise<void> {
    const { created } = await provisionTopics(this.opts.kafka, topicsFor(this.opts.catalogue, partitions));
    if (created.length) this.opts.logger.info({ created }, `created ${created.length} topics`);
  }

  async start(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.start()));
  }

  async stop(timeoutMs?: number): Promise<void> {
    await Promise.all(this.processors.map((p) => p.stop(timeoutMs)));
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
}
