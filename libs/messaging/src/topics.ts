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

let namespace = '';

/**
 * Prefixes every topic and consumer group with `<ns>.`: several Weaver installations (or test
 * files) can then share one cluster without seeing each other. Set once, at start, from config.
 */
export function setTopicNamespace(ns: string): void {
  if (ns && !GROUP.test(ns)) throw new ValidationError([{ field: 'KAFKA_NAMESPACE', rule: 'must match [a-zA-Z0-9._-]+' }]);
  namespace = ns ? `${ns}.` : '';
}

/** A consumer group name in the current namespace. */
export function groupName(base: string): string {
  return `${namespace}${base}`;
}

export const Topics = {
  /** Run requests from any producer: the gateway, gRPC, or a plain Kafka client. */
  get triggers(): string {
    return `${namespace}weaver.triggers.${TOPIC_VERSION}`;
  },
  /** Run lifecycle and step progress, for status streams. */
  get runs(): string {
    return `${namespace}weaver.runs.${TOPIC_VERSION}`;
  },
  get audit(): string {
    return `${namespace}weaver.audit.${TOPIC_VERSION}`;
  },
  event(type: string): string {
    assertEventType(type);
    return `${namespace}weaver.evt.${type}.${TOPIC_VERSION}`;
  },
  dlq(consumerGroup: string): string {
    if (!GROUP.test(consumerGroup)) {
      throw new ValidationError([{ field: 'consumerGroup', rule: 'must match [a-zA-Z0-9._-]+' }]);
    }
    // The group is already namespaced (groupName), so the DLQ topic inherits the namespace.
    return `weaver.dlq.${consumerGroup}.${TOPIC_VERSION}`;
  },
} as const;

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  config?: Record<string, string>;
}

export function topicSpec(name: string, partitions: number, replicationFactor = 1): TopicSpec {
  return { name, partitions, replicationFactor };
}

/** The platform's own topics; event and DLQ topics are added per workflow. */
export function platformTopics(partitions: number, replicationFactor = 1): TopicSpec[] {
  return [Topics.triggers, Topics.runs, Topics.audit].map((name) => topicSpec(name, partitions, replicationFactor));
}
