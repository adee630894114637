/**
 * The KEDA ScaledObject of one pool: its Deployment scaled between replicas.min and .max on
 * the agent type's consumer-group lag (kafka trigger, lagThreshold = lagTarget). One trigger
 * per consumed event topic when the spec names them (KEDA scales on the largest); otherwise
 * one trigger without a topic, which KEDA reads as every topic the group has offsets on.
 * allowIdleConsumers=false keeps replicas at or below the partition count: a replica beyond it
 * would get no partition.
 */
import type { AgentPool, AgentPoolSpec } from './agent-pool.schema';
import type { DesiredObject } from './agent-deployment';
import { childMeta, consumerGroupOf, poolTopicNames } from './pool-children';

export interface ScalingSettings {
  /** KAFKA_BROKERS as KEDA's pods reach them. */
  bootstrapServers: readonly string[];
  /** KAFKA_NAMESPACE of the installation (names the consumer groups). */
  kafkaNamespace: string;
  /** A TriggerAuthentication for the broker's TLS/SASL, if it needs one. */
  triggerAuthentication?: string;
  pollingIntervalSeconds: number;
  cooldownPeriodSeconds: number;
}

export function agentScaledObject(pool: AgentPool, spec: AgentPoolSpec, s: ScalingSettings): DesiredObject {
  const meta = childMeta(pool, spec);
  const names = poolTopicNames(s.kafkaNamespace, spec);
  const metadata = (topic?: string): Record<string, string> => ({
    bootstrapServers: s.bootstrapServers.join(','),
    consumerGroup: consumerGroupOf(s.kafkaNamespace, spec),
    ...(topic ? { topic } : {}),
    lagThreshold: String(spec.lagTarget),
    activationLagThreshold: String(spec.activationLag),
    // A group that never committed on a topic starts at its beginning (the EOS consumers do),
    // so its whole backlog counts as lag.
    offsetResetPolicy: 'earliest',
    allowIdleConsumers: 'false',
  });
  const topics = spec.eventTypes.length ? spec.eventTypes.map((t) => names.event(t)) : [undefined];
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: meta,
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: meta.name },
      minReplicaCount: spec.replicas.min,
      maxReplicaCount: spec.replicas.max,
      pollingInterval: s.pollingIntervalSeconds,
      cooldownPeriod: s.cooldownPeriodSeconds,
      triggers: topics.map((topic) => ({
        type: 'kafka',
        metadata: metadata(topic),
        ...(s.triggerAuthentication ? { authenticationRef: { name: s.triggerAuthentication } } : {}),
      })),
    },
  };
}
