/**
 * The Deployment of one pool: agent-runner as k8s/base/agent-runner.yaml runs it, restricted to
 * the pool's agent type (WEAVER_AGENTS) and, for an isolated-tier pool, its tenant
 * (WEAVER_ISOLATED_TENANT). Non-root, read-only root filesystem (a writable emptyDir at /tmp),
 * no privilege escalation, no capabilities, no service-account token. `replicas` is left out:
 * KEDA's HPA owns it, and server-side apply leaves a field we do not send to its owner.
 */
import { DEFAULT_PORTS } from '@weaver/service-kit';
import type { AgentPool, AgentPoolSpec } from './agent-pool.schema';
import { childMeta, selectorLabels, type ChildMeta } from './pool-children';

export interface DesiredObject {
  apiVersion: string;
  kind: string;
  metadata: ChildMeta;
  spec: Record<string, unknown>;
}

/** The uid/gid the image runs as (numeric: runAsNonRoot cannot verify a user name). */
export const AGENT_RUNNER_UID = 1000;

export function agentDeployment(pool: AgentPool, spec: AgentPoolSpec): DesiredObject {
  const meta = childMeta(pool, spec);
  const { http, grpc } = DEFAULT_PORTS['agent-runner'];
  const env: { name: string; value?: string; valueFrom?: unknown }[] = [
    { name: 'BIND_HOST', value: '0.0.0.0' },
    { name: 'HTTP_PORT', value: String(http) },
    { name: 'GRPC_PORT', value: String(grpc) },
    { name: 'WEAVER_AGENTS', value: spec.agentType },
    ...(spec.tenantScope ? [{ name: 'WEAVER_ISOLATED_TENANT', value: spec.tenantScope }] : []),
    // The scheduler recognises a replica's own tick claims by it (agent-runner.config.ts).
    { name: 'INSTANCE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    // Its own role's URL only (made by the migrate Job); never the owner's.
    { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: spec.config.databaseSecret, key: 'DATABASE_URL' } } },
    ...spec.env,
  ];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta,
    spec: {
      selector: { matchLabels: selectorLabels(pool) },
      template: {
        metadata: { labels: meta.labels },
        spec: {
          terminationGracePeriodSeconds: 30,
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: AGENT_RUNNER_UID, runAsGroup: AGENT_RUNNER_UID, fsGroup: AGENT_RUNNER_UID, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'agent-runner',
              image: spec.image,
              args: spec.args,
              ports: [
                { name: 'http', containerPort: http, protocol: 'TCP' },
                { name: 'grpc', containerPort: grpc, protocol: 'TCP' },
              ],
              env,
              envFrom: [...spec.config.configMaps.map((name) => ({ configMapRef: { name } })), ...spec.config.secrets.map((name) => ({ secretRef: { name } }))],
              volumeMounts: [
                { name: 'grpc-tls', mountPath: '/var/run/weaver/tls', readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
              readinessProbe: { httpGet: { path: '/health/ready', port: 'http' }, periodSeconds: 5 },
              livenessProbe: { httpGet: { path: '/health/live', port: 'http' }, periodSeconds: 10 },
              resources: spec.resources,
              securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
          volumes: [
            { name: 'grpc-tls', secret: { secretName: spec.config.tlsSecret } },
            { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
          ],
        },
      },
    },
  };
}
