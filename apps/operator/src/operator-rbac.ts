/**
 * The least the operator needs, as a ClusterRole (a Role in WATCH_NAMESPACE when it watches one
 * namespace). The int-spec runs the controller under exactly this role; the Helm chart's RBAC
 * template must grant the same (docs/operator.md).
 */
import type { V1ClusterRole } from '@kubernetes/client-node';

const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

export const OPERATOR_CLUSTER_ROLE: V1ClusterRole = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: 'weaver-operator', labels: { 'app.kubernetes.io/part-of': 'weaver', 'app.kubernetes.io/component': 'operator' } },
  rules: [
    { apiGroups: ['weaver.dev'], resources: ['agentpools'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
    { apiGroups: ['weaver.dev'], resources: ['agentpools/status'], verbs: ['get', 'update', 'patch'] },
    // blockOwnerDeletion on the children needs update on the owner's finalizers subresource.
    { apiGroups: ['weaver.dev'], resources: ['agentpools/finalizers'], verbs: ['update'] },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: WRITE },
    { apiGroups: ['keda.sh'], resources: ['scaledobjects'], verbs: WRITE },
  ],
};
