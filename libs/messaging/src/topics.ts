import { ValidationError } from '@weaver/errors';

/**
 * Every topic name Weaver uses, in one place. Names carry a version suffix so a breaking change
 * to an event's shape gets a new topic instead of surprising old consumers.
 * Topics are created by the tool (`provisionTopics`), never by accident: the broker runs with
 * `auto.create.topics.enable=false`.
 */
export const TOPIC_VERSION = 'v1';

const EVENT_TYPE = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/;
const GROUP = /^[a-zA-Z0-9._-]+$/;

export function assertEventType(type: string, field = 'type'): void {
  if (!EVENT_TYPE.test(type)) {
    throw new ValidationError([{ field, rule: `must be dot-separated lowercase words (e.g. "content.researched"), got "${type}"` }]);
  }
}

/** The dead-letter topic of a consumer group (already namespaced: it inherits the namespace). */
export function dlqTopic(consumerGroup: string): string {
  if (!GROUP.test(consumerGroup)) throw new ValidationError([{ field: 'consumerGroup', rule: 'must match [a-zA-Z0-9._-]+' }]);
  return `weaver.dlq.${consumerGroup}.${TOPIC_VERSION}`;
}

/**
 * Every topic and consumer-group name of one installation, prefixed with its namespace
 * (`<ns>.`), so several installations (or test files) share one cluster without seeing each
 * other. Made once from config (`KAFKA_NAMESPACE`) and handed to whatever names topics — there
 * is no process-wide namespace to forget to set.
 */
/** The audit chainer's consumer group (tenancy; `names.group(...)` namespaces it): named here for the ACL plan too. */
export const AUDIT_CHAINER_GROUP = 'weaver.audit-chainer';
/** Tenancy's consumer groups of the peers' mirrored directory and audit checkpoints (docs/regions.md); namespaced by TopicNames.group. */
export const DIRECTORY_REPLICA_GROUP = 'weaver.directory-replica';
export const AUDIT_CHECKPOINT_REPLICA_GROUP = 'weaver.audit-checkpoint-replica';

export class TopicNames {
  private readonly prefix: string;

  constructor(readonly namespace = '') {
    if (namespace && !GROUP.test(namespace)) throw new ValidationError([{ field: 'KAFKA_NAMESPACE', rule: 'must match [a-zA-Z0-9._-]+' }]);
    this.prefix = namespace ? `${namespace}.` : '';
  }

  /** Run requests from any producer: the gateway, gRPC, or a plain Kafka client. */
  get triggers(): string {
    return `${this.prefix}weaver.triggers.${TOPIC_VERSION}`;
  }

  /** Run lifecycle and step progress, for status streams. */
  get runs(): string {
    return `${this.prefix}weaver.runs.${TOPIC_VERSION}`;
  }

  get audit(): string {
    return `${this.prefix}weaver.audit.${TOPIC_VERSION}`;
  }

  /**
   * The topics that cross regions over MirrorMaker 2 (docs/regions.md), compacted, keyed by
   * tenant / definition: the tenant directory, registry definitions, audit checkpoints. In
   * another region they appear prefixed with this region's name (`<region>.<name>`).
   */
  get directory(): string {
    return `${this.prefix}weaver.directory.${TOPIC_VERSION}`;
  }

  get registryDefinitions(): string {
    return `${this.prefix}weaver.registry-definitions.${TOPIC_VERSION}`;
  }

  get auditCheckpoints(): string {
    return `${this.prefix}weaver.audit-checkpoints.${TOPIC_VERSION}`;
  }

  /** Every topic MirrorMaker 2 may mirror; nothing else ever crosses a region. */
  crossRegion(): string[] {
    return [this.directory, this.registryDefinitions, this.auditCheckpoints];
  }

  event(type: string): string {
    assertEventType(type);
    return `${this.prefix}weaver.evt.${type}.${TOPIC_VERSION}`;
  }

  /**
   * The event type of one of this namespace's event topics (the inverse of `event`), or
   * undefined for any other topic (another namespace's, a DLQ, a user's): what pattern
   * subscriptions resolve against.
   */
  eventTypeOf(topic: string): string | undefined {
    const head = `${this.prefix}weaver.evt.`;
    const tail = `.${TOPIC_VERSION}`;
    if (!topic.startsWith(head) || !topic.endsWith(tail)) return undefined;
    const type = topic.slice(head.length, topic.length - tail.length);
    return EVENT_TYPE.test(type) ? type : undefined;
  }

  /** A consumer group name in this namespace. */
  group(base: string): string {
    return `${this.prefix}${base}`;
  }

  dlq(consumerGroup: string): string {
    return dlqTopic(consumerGroup);
  }

  /**
   * The names an isolated-tier tenant uses: its own prefix under this installation's namespace
   * (`<ns>.tenant-<id>.`), so its triggers, events, run progress, consumer groups — and with
   * them its DLQs and transactional ids — are its own (the plan's "separate namespaces per
   * org"). Standard-tier tenants share the installation's names.
   */
  forTenant(tenantId: string, tier: TenantPlacementTier): TopicNames {
    if (tier !== 'isolated') return this;
    if (!GROUP.test(tenantId)) throw new ValidationError([{ field: 'tenantId', rule: 'must match [a-zA-Z0-9._-]+' }]);
    return new TopicNames(`${this.prefix}tenant-${tenantId}`);
  }

  /** The platform's own topics; event and DLQ topics are added per workflow. */
  platform(partitions: number, replicationFactor = 1): TopicSpec[] {
    return [this.triggers, this.runs, this.audit].map((name) => topicSpec(name, partitions, replicationFactor));
  }
}

/** How a tenant's events are separated (tenancy's `TenantTier`): shared names, or its own. */
export type TenantPlacementTier = 'standard' | 'isolated';

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  config?: Record<string, string>;
}

export function topicSpec(name: string, partitions: number, replicationFactor = 1): TopicSpec {
  return { name, partitions, replicationFactor };
}
