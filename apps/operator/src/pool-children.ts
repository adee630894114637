/**
 * What every child of a pool shares: its name, labels, owner reference, and the consumer group
 * it scales on (named as the agent-runner names it: @weaver/agent-runtime's agentGroup under the
 * installation's KAFKA_NAMESPACE, and under tenant-<id> for an isolated-tier pool).
 */
import { agentGroup } from '@weaver/agent-runtime';
import { TopicNames } from '@weaver/messaging';
import { AGENT_POOL_API_VERSION, AGENT_POOL_KIND, type AgentPool, type AgentPoolSpec } from './agent-pool.schema';

export const FIELD_MANAGER = 'weaver-operator';
export const POOL_LABEL = 'weaver.dev/agent-pool';
/** Children carry it; the controller watches only objects with it. */
export const MANAGED_BY_SELECTOR = `app.kubernetes.io/managed-by=${FIELD_MANAGER}`;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

export interface ChildMeta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  ownerReferences: OwnerReference[];
}

export const childName = (pool: string): string => `weaver-agent-${pool}`;

export function selectorLabels(pool: AgentPool): Record<string, string> {
  return { 'app.kubernetes.io/name': 'weaver-agent-runner', [POOL_LABEL]: pool.metadata.name };
}

export function childMeta(pool: AgentPool, spec: AgentPoolSpec): ChildMeta {
  return {
    name: childName(pool.metadata.name),
    namespace: pool.metadata.namespace,
    labels: {
      ...selectorLabels(pool),
      'app.kubernetes.io/instance': pool.metadata.name,
      'app.kubernetes.io/component': 'agent-pool',
      'app.kubernetes.io/part-of': 'weaver',
      'app.kubernetes.io/managed-by': FIELD_MANAGER,
      'weaver.dev/agent-type': spec.agentType,
    },
    // controller: true makes the pool the one owner; in a cluster the garbage collector deletes
    // the children with it (the finalizer's explicit delete covers clusters and tests without one).
    ownerReferences: [{ apiVersion: AGENT_POOL_API_VERSION, kind: AGENT_POOL_KIND, name: pool.metadata.name, uid: pool.metadata.uid, controller: true, blockOwnerDeletion: true }],
  };
}

/** The installation's names, narrowed to the pool's tenant when it is an isolated-tier pool. */
export function poolTopicNames(kafkaNamespace: string, spec: AgentPoolSpec): TopicNames {
  const base = new TopicNames(kafkaNamespace);
  return spec.tenantScope ? base.forTenant(spec.tenantScope, 'isolated') : base;
}

export function consumerGroupOf(kafkaNamespace: string, spec: AgentPoolSpec): string {
  return agentGroup(poolTopicNames(kafkaNamespace, spec), spec.agentType);
}
