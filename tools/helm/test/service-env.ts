import { agentRunnerConfigSchema } from '../../../apps/agent-runner/src/agent-runner.config';
import { gatewayConfigSchema } from '../../../apps/gateway/src/gateway.config';
import { publisherConfigSchema } from '../../../apps/publisher/src/publisher.config';
import { registryConfigSchema } from '../../../apps/registry/src/registry.config';
import { routerConfigSchema } from '../../../apps/router/src/router.config';
import { tenancyConfigSchema } from '../../../apps/tenancy/src/tenancy.config';
import type { Manifest } from '../src/chart';

/** Each service's own config schema: what it validates at start. */
export const SERVICE_SCHEMAS = {
  gateway: gatewayConfigSchema,
  registry: registryConfigSchema,
  router: routerConfigSchema,
  'agent-runner': agentRunnerConfigSchema,
  publisher: publisherConfigSchema,
  tenancy: tenancyConfigSchema,
} as const;

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { key: string }; fieldRef?: { fieldPath: string } };
}

/**
 * A Deployment's container environment as the pod would see it: literal values, Secret keys
 * from `secrets` (a database URL for any service URL key), field refs as a pod name.
 */
export function renderedEnv(deployment: Manifest, secrets: Record<string, string>): Record<string, string> {
  const spec = (deployment.spec as { template: { spec: { containers: Array<{ env?: EnvVar[] }> } } }).template.spec;
  const env: Record<string, string> = {};
  for (const v of spec.containers[0]?.env ?? []) {
    const key = v.valueFrom?.secretKeyRef?.key;
    if (v.value !== undefined) env[v.name] = v.value;
    else if (v.name === 'DATABASE_URL') env[v.name] = `postgres://weaver_${key}:password@db:5432/weaver`;
    else if (key !== undefined) env[v.name] = secrets[key] ?? `missing secret key ${key}`;
    else if (v.valueFrom?.fieldRef) env[v.name] = 'weaver-pod-0';
  }
  return env;
}
