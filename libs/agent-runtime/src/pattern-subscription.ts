import { listTopics, type EosProcessor, type KafkaConnection, type TopicNames } from '@weaver/messaging';
import type { Logger } from '@weaver/observability';
import type { AgentDefinition } from '@weaver/sdk';
import { isEventPattern, typesMatching } from '@weaver/sdk/internal';

/** What the host needs of a consumer: an EosProcessor, or a pattern subscription standing for one. */
export type HostedConsumer = Pick<EosProcessor, 'start' | 'stop' | 'inFlight' | 'assignedPartitions'>;

export interface PatternSubscriptionOptions {
  def: AgentDefinition;
  kafka: KafkaConnection;
  names: TopicNames;
  logger: Logger;
  /** A processor for the agent's group on these topics (same group, same transactional ids every time). */
  processorFor: (topics: string[]) => EosProcessor;
  /** How often the broker's topic list is read for new matching event types. */
  refreshMs: number;
  /** The live topic list of the agent's lag target: kept equal to what is consumed. */
  lagTopics?: string[];
}

type State = 'created' | 'running' | 'stopped';

/**
 * The consumer of an agent whose `requires` holds a pattern (`content.*`). The pattern becomes
 * the namespace's event topics whose type it matches, read from the broker at start and again
 * every `refreshMs` (one metadata call, never on the step path), so a type whose topic a
 * producer or another workflow creates later is consumed too.
 *
 * kafkajs cannot add topics to a running consumer, so a new topic set means a new processor:
 * the old one stops gracefully — stops fetching, lets its in-flight steps finish and commit with
 * their offsets, leaves the group — and one on the new set starts in the same group with the
 * same transactional ids (`<prefix>.<group>.<topic>.<partition>`), which fences any straggler of
 * the old one exactly as a restarted replica does: exactly once holds across the switch. Until a
 * topic matches, the agent has no consumer. Replicas refresh on their own clocks; a group whose
 * members subscribe to different sets for a moment still processes every record once (each
 * partition has one owner; any member's handler takes any of the agent's events).
 */
export class PatternSubscription implements HostedConsumer {
  private current?: EosProcessor;
  private topics: string[] = [];
  private timer?: NodeJS.Timeout;
  private refreshing: Promise<void> = Promise.resolve();
  private state: State = 'created';

  constructor(private readonly opts: PatternSubscriptionOptions) {}

  /** The agent's requirements (exact types and patterns) as topics, given the broker's topics. */
  static topicsFor(def: AgentDefinition, names: TopicNames, existing: readonly string[]): string[] {
    const exact = def.requires.filter((r) => !isEventPattern(r)).map((t) => names.event(t));
    const types = existing.flatMap((topic) => names.eventTypeOf(topic) ?? []);
    const matched = typesMatching(def.requires.filter(isEventPattern), types).map((t) => names.event(t));
    return [...new Set([...exact, ...matched])].sort();
  }

  get inFlight(): number {
    return this.current?.inFlight ?? 0;
  }

  get assignedPartitions(): string[] {
    return this.current?.assignedPartitions ?? [];
  }

  /** The topics consumed now. */
  get subscribed(): readonly string[] {
    return this.topics;
  }

  async start(): Promise<void> {
    this.state = 'running';
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch((err: unknown) => this.opts.logger.warn({ agent: this.opts.def.name, err: String(err) }, 'pattern subscription refresh failed; retried at the next interval')), this.opts.refreshMs);
    this.timer.unref();
  }

  /** Reads the broker's topics now and switches the consumer when the matching set changed (serialised). */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.catch(() => undefined).then(() => this.resolveAndSwitch());
    return this.refreshing;
  }

  async stop(timeoutMs?: number): Promise<void> {
    this.state = 'stopped';
    if (this.timer) clearInterval(this.timer);
    await this.refreshing.catch(() => undefined);
    await this.current?.stop(timeoutMs);
  }

  private async resolveAndSwitch(): Promise<void> {
    if (this.state !== 'running') return;
    const next = PatternSubscription.topicsFor(this.opts.def, this.opts.names, await listTopics(this.opts.kafka));
    if (next.join('\n') === this.topics.join('\n')) return;
    const added = next.filter((t) => !this.topics.includes(t));
    await this.current?.stop();
    this.current = undefined;
    this.topics = next;
    this.opts.lagTopics?.splice(0, this.opts.lagTopics.length, ...next);
    if (!next.length || this.state !== 'running') return;
    const processor = this.opts.processorFor(next);
    await processor.start();
    this.current = processor;
    this.opts.logger.info({ agent: this.opts.def.name, requires: this.opts.def.requires, added, topics: next }, 'pattern subscription: consuming matching event topics');
  }
}
