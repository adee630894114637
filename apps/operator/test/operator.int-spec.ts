/**
 * The AgentPool controller against a real API server: etcd + kube-apiserver built from the Go
 * module proxy (tools/kube), with the generated AgentPool CRD and KEDA's own ScaledObject CRD
 * (from the keda/v2 Go module) installed. No controller-manager runs, so Deployments get no
 * pods and there is no garbage collector: the deletion test shows the operator's finalizer
 * deleting the children itself (ownerReferences are asserted as written, for a real cluster's
 * collector). The operator runs under RBAC as the user of its client certificate, bound to the
 * ClusterRole that docs/operator.md documents (operator-rbac.ts).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiextensionsV1Api, AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, loadYaml, PatchStrategy, RbacAuthorizationV1Api, setHeaderOptions, type V1CustomResourceDefinition, type V1Deployment } from '@kubernetes/client-node';
import { createLogger, Metrics } from '@weaver/observability';
import { kedaCrdYaml, startKubeApiServer, type RunningKubeApiServer } from '@weaver/kube';
import type { AgentPool } from '../src/agent-pool.schema';
import { KubeClusterObjects } from '../src/kube-objects';
import { OperatorController } from '../src/operator-controller';
import { operatorMetrics } from '../src/operator.metrics';
import { OPERATOR_CLUSTER_ROLE } from '../src/operator-rbac';
import { POOL_FINALIZER, PoolReconciler } from '../src/pool-reconciler';

jest.setTimeout(180_000);

const TENANT = '6f1c2b1e-4a8d-4c1e-9f0a-2b3c4d5e6f70';
let kube: RunningKubeApiServer;
let admin: KubeConfig;
let controller: OperatorController;
const ns = `op-${randomBytes(3).toString('hex')}`;
const custom = (): CustomObjectsApi => admin.makeApiClient(CustomObjectsApi);
const apps = (): AppsV1Api => admin.makeApiClient(AppsV1Api);
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const poolRef = (name: string) => ({ group: 'weaver.dev', version: 'v1alpha1', plural: 'agentpools', namespace: ns, name });

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const readPool = async (name: string): Promise<AgentPool> => (await custom().getNamespacedCustomObject(poolRef(name))) as AgentPool;
const readDeployment = (name: string): Promise<V1Deployment> => apps().readNamespacedDeployment({ name, namespace: ns });
const readScaledObject = async (name: string): Promise<{ metadata: { ownerReferences?: unknown[]; resourceVersion: string }; spec: Record<string, unknown> }> =>
  (await custom().getNamespacedCustomObject({ group: 'keda.sh', version: 'v1alpha1', plural: 'scaledobjects', namespace: ns, name })) as never;
const gone = async (read: () => Promise<unknown>): Promise<true | undefined> => {
  try {
    await read();
    return undefined;
  } catch (err) {
    return (err as { code?: number }).code === 404 ? true : undefined;
  }
};

async function installCrd(doc: V1CustomResourceDefinition): Promise<void> {
  const ext = admin.makeApiClient(ApiextensionsV1Api);
  await ext.createCustomResourceDefinition({ body: doc });
  await until(`CRD ${doc.metadata!.name} established`, async () => {
    const crd = await ext.readCustomResourceDefinition({ name: doc.metadata!.name! });
    return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
  });
}

beforeAll(async () => {
  kube = await startKubeApiServer({ identities: ['weaver-operator'] });
  admin = new KubeConfig();
  admin.loadFromFile(kube.kubeconfig('admin'));
  // loadYaml, not a plain YAML parse: client-node serialises through its typed model, which
  // would drop `x-kubernetes-*` and `default` keys it does not find under their model names.
  await installCrd(loadYaml<V1CustomResourceDefinition>(readFileSync(join(__dirname, '..', '..', '..', 'deploy', 'helm', 'weaver', 'crds', 'agentpools.weaver.dev.yaml'), 'utf8')));
  await installCrd(loadYaml<V1CustomResourceDefinition>(kedaCrdYaml('scaledobjects')));
  await admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: ns } } });
  // The operator's own identity (client certificate CN=weaver-operator), with only its documented role.
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  await rbac.createClusterRole({ body: OPERATOR_CLUSTER_ROLE });
  await rbac.createClusterRoleBinding({
    body: {
      metadata: { name: 'weaver-operator' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: OPERATOR_CLUSTER_ROLE.metadata!.name! },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'weaver-operator' }],
    },
  });
  const operatorKc = new KubeConfig();
  operatorKc.loadFromFile(kube.kubeconfig('weaver-operator'));
  const reconciler = new PoolReconciler(new KubeClusterObjects(operatorKc), {
    bootstrapServers: ['kafka-0.kafka:9092', 'kafka-1.kafka:9092'],
    kafkaNamespace: 'prod',
    pollingIntervalSeconds: 15,
    cooldownPeriodSeconds: 300,
  });
  controller = new OperatorController(operatorKc, reconciler, { resyncIntervalMs: 60_000, concurrency: 2, retryBaseMs: 100, retryMaxMs: 2_000 }, createLogger('operator', { level: 'warn' }), operatorMetrics(new Metrics('operator-test')));
  await controller.start();
});

afterAll(async () => {
  await controller?.stop();
  await kube?.stop();
});

const poolBody = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'weaver.dev/v1alpha1', kind: 'AgentPool', metadata: { name, namespace: ns }, spec });

describe('AgentPool operator against a real kube-apiserver', () => {
  it('a new pool gets a Deployment and a ScaledObject owned by it, and a Ready status', async () => {
    await custom().createNamespacedCustomObject({ ...poolRef(''), body: poolBody('writer', { agentType: 'writer', image: 'weaver:1.0.0', replicas: { min: 1, max: 6 }, lagTarget: 50, eventTypes: ['content.researched'], tenantScope: TENANT }) });
    const pool = await until('pool Ready', async () => {
      const p = await readPool('writer');
      return p.status?.phase === 'Ready' ? p : undefined;
    });
    expect(pool.metadata.finalizers).toContain(POOL_FINALIZER);
    expect(pool.status).toMatchObject({ observedGeneration: 1, deployment: 'weaver-agent-writer', scaledObject: 'weaver-agent-writer', consumerGroup: `prod.tenant-${TENANT}.weaver.agent.writer` });
    const byType = Object.fromEntries((pool.status?.conditions ?? []).map((c) => [c.type, c]));
    expect(byType['Ready']).toMatchObject({ status: 'True', reason: 'ChildrenApplied', observedGeneration: 1 });
    expect(byType['Reconciling']).toMatchObject({ status: 'False' });
    expect(byType['Degraded']).toMatchObject({ status: 'False' });

    const owner = { apiVersion: 'weaver.dev/v1alpha1', kind: 'AgentPool', name: 'writer', uid: pool.metadata.uid, controller: true, blockOwnerDeletion: true };
    const deployment = await readDeployment('weaver-agent-writer');
    expect(deployment.metadata?.ownerReferences).toEqual([owner]);
    const pod = deployment.spec!.template.spec!;
    const container = pod.containers[0]!;
    expect(container.image).toBe('weaver:1.0.0');
    expect(container.args).toEqual(['agent-runner']);
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({ WEAVER_AGENTS: 'writer', WEAVER_ISOLATED_TENANT: TENANT, HTTP_PORT: '8083', GRPC_PORT: '50053' });
    expect(env['DATABASE_URL']).toMatchObject({ secretKeyRef: { name: 'weaver-db-agent-runner', key: 'DATABASE_URL' } });
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    // The CRD's defaults were applied by the API server and reached the container.
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } });

    const scaled = await readScaledObject('weaver-agent-writer');
    expect(scaled.metadata.ownerReferences).toEqual([owner]);
    expect(scaled.spec).toMatchObject({
      scaleTargetRef: { name: 'weaver-agent-writer' },
      minReplicaCount: 1,
      maxReplicaCount: 6,
      triggers: [{ type: 'kafka', metadata: { bootstrapServers: 'kafka-0.kafka:9092,kafka-1.kafka:9092', consumerGroup: `prod.tenant-${TENANT}.weaver.agent.writer`, topic: `prod.tenant-${TENANT}.weaver.evt.content.researched.v1`, lagThreshold: '50', allowIdleConsumers: 'false' } }],
    });
  });

  it('a spec change reaches both children and the observed generation', async () => {
    await custom().patchNamespacedCustomObject({ ...poolRef('writer'), body: { spec: { image: 'weaver:1.1.0', lagTarget: 200, replicas: { min: 0, max: 3 } } } }, mergePatch);
    await until('Deployment on the new image', async () => ((await readDeployment('weaver-agent-writer')).spec!.template.spec!.containers[0]!.image === 'weaver:1.1.0' ? true : undefined));
    const scaled = await until('ScaledObject on the new bounds', async () => {
      const s = await readScaledObject('weaver-agent-writer');
      return s.spec['maxReplicaCount'] === 3 ? s : undefined;
    });
    expect(scaled.spec).toMatchObject({ minReplicaCount: 0, triggers: [{ metadata: { lagThreshold: '200' } }] });
    await until('observedGeneration 2', async () => ((await readPool('writer')).status?.observedGeneration === 2 ? true : undefined));
  });

  it('a child edited or deleted by hand is put back', async () => {
    await apps().patchNamespacedDeployment(
      { name: 'weaver-agent-writer', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'agent-runner', image: 'evil:latest' }] } } } }, fieldManager: 'kubectl-edit' },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    await until('image restored', async () => ((await readDeployment('weaver-agent-writer')).spec!.template.spec!.containers[0]!.image === 'weaver:1.1.0' ? true : undefined));
    const before = await readScaledObject('weaver-agent-writer');
    await custom().deleteNamespacedCustomObject({ group: 'keda.sh', version: 'v1alpha1', plural: 'scaledobjects', namespace: ns, name: 'weaver-agent-writer' });
    const after = await until('ScaledObject recreated', async () => {
      const s = await readScaledObject('weaver-agent-writer');
      return s.metadata.resourceVersion !== before.metadata.resourceVersion ? s : undefined;
    });
    expect(after.spec).toMatchObject({ maxReplicaCount: 3 });
  });

  it('the CRD schema refuses invalid specs before the controller sees them', async () => {
    const refused = async (spec: Record<string, unknown>, name = `bad-${randomBytes(2).toString('hex')}`): Promise<string> => {
      try {
        await custom().createNamespacedCustomObject({ ...poolRef(''), body: poolBody(name, spec) });
      } catch (err) {
        expect((err as { code?: number }).code).toBe(422);
        return String((err as { body?: unknown }).body);
      }
      throw new Error(`accepted: ${JSON.stringify(spec)}`);
    };
    const valid = { agentType: 'writer', image: 'weaver:1', replicas: { min: 0, max: 2 }, lagTarget: 10 };
    expect(await refused({ ...valid, replicas: { min: 5, max: 2 } })).toMatch(/replicas.min must not exceed replicas.max/);
    expect(await refused({ ...valid, agentType: 'Not_Kebab' })).toMatch(/spec.agentType/);
    expect(await refused({ ...valid, image: undefined })).toMatch(/spec.image: Required value/);
    expect(await refused({ ...valid, tenantScope: 'not-a-uuid' })).toMatch(/spec.tenantScope/);
    expect(await refused({ ...valid, resources: { limits: { memory: 'lots' } } })).toMatch(/spec.resources.limits.memory/);
    expect(await refused({ ...valid, env: [{ name: 'WEAVER_AGENTS', value: 'everything' }] })).toMatch(/env must not set a variable the operator sets/);
    expect(await refused(valid, 'x'.repeat(51))).toMatch(/metadata.name must be at most 50 characters/);
  });

  it('deleting the pool deletes its children, then the pool', async () => {
    await custom().deleteNamespacedCustomObject(poolRef('writer'));
    await until('Deployment gone', () => gone(() => readDeployment('weaver-agent-writer')));
    await until('ScaledObject gone', () => gone(() => readScaledObject('weaver-agent-writer')));
    await until('pool gone (finalizer removed)', () => gone(() => readPool('writer')));
  });
});
