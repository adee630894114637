/**
 * The watches the controller reacts to: AgentPools, and the Deployments and ScaledObjects it
 * manages (label app.kubernetes.io/managed-by=weaver-operator), so a child edited or deleted by
 * hand is put back. Each is a client-node list-watch with a local cache; a watch that fails
 * (API server restart, RBAC not yet bound, KEDA's CRD not installed yet) is restarted with
 * backoff instead of silently stopping, which is what client-node's informer does on an error.
 */
import { AppsV1Api, CustomObjectsApi, KubeConfig, makeInformer, type Informer, type KubernetesListObject, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';
import type { Logger } from '@weaver/observability';
import { backoffMs } from '@weaver/resilience';
import { AGENT_POOL_GROUP, AGENT_POOL_PLURAL, AGENT_POOL_VERSION, type AgentPool } from './agent-pool.schema';
import { MANAGED_BY_SELECTOR } from './pool-children';

export type Watched<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

export interface PoolInformers {
  pools: Watched<AgentPool>;
  children: { kind: string; informer: Watched<KubernetesObject> }[];
}

/** `namespace` unset: every namespace (the operator's ClusterRole); set: that one (a Role). */
export function poolInformers(kc: KubeConfig, namespace: string | undefined): PoolInformers {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const apps = kc.makeApiClient(AppsV1Api);
  const ns = namespace ? `/namespaces/${namespace}` : '';
  const customList = <T extends KubernetesObject>(group: string, version: string, plural: string, labelSelector?: string) => async (): Promise<KubernetesListObject<T>> =>
    (namespace
      ? await custom.listNamespacedCustomObject({ group, version, plural, namespace, labelSelector })
      : await custom.listClusterCustomObject({ group, version, plural, labelSelector })) as KubernetesListObject<T>;
  const pools = makeInformer<AgentPool>(kc, `/apis/${AGENT_POOL_GROUP}/${AGENT_POOL_VERSION}${ns}/${AGENT_POOL_PLURAL}`, customList<AgentPool>(AGENT_POOL_GROUP, AGENT_POOL_VERSION, AGENT_POOL_PLURAL));
  const deployments = makeInformer<KubernetesObject>(
    kc,
    `/apis/apps/v1${ns}/deployments`,
    async () => (namespace ? apps.listNamespacedDeployment({ namespace, labelSelector: MANAGED_BY_SELECTOR }) : apps.listDeploymentForAllNamespaces({ labelSelector: MANAGED_BY_SELECTOR })),
    MANAGED_BY_SELECTOR,
  );
  const scaledObjects = makeInformer<KubernetesObject>(kc, `/apis/keda.sh/v1alpha1${ns}/scaledobjects`, customList('keda.sh', 'v1alpha1', 'scaledobjects', MANAGED_BY_SELECTOR), MANAGED_BY_SELECTOR);
  return { pools, children: [{ kind: 'Deployment', informer: deployments }, { kind: 'ScaledObject', informer: scaledObjects }] };
}

/**
 * Starts a watch and keeps it running: on an error, start again after a backoff (reset once it
 * connects). Resolves when the first list succeeded (or keeps trying in the background).
 */
export function keepWatching(kind: string, informer: Watched<KubernetesObject> | Watched<AgentPool>, logger: Logger, onRestart: () => void): { started: Promise<void>; stop(): void } {
  let attempt = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let resolveStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (resolveStarted = resolve));
  // client-node's start() resolves even when its list failed (it reports that through 'error').
  let failed = false;
  const start = (): void => {
    failed = false;
    informer.start().then(
      () => {
        if (failed) return;
        attempt = 0;
        resolveStarted();
      },
      () => undefined, // reported through the 'error' callback below
    );
  };
  informer.on('error', (err?: unknown) => {
    failed = true;
    if (stopped) return;
    attempt += 1;
    const wait = backoffMs(attempt, { baseMs: 500, maxMs: 30_000 });
    logger.warn({ kind, attempt, waitMs: wait, err: briefly(err) }, `watch of ${kind} failed; restarting`);
    onRestart();
    timer = setTimeout(start, wait);
    timer.unref();
  });
  start();
  return {
    started,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      void informer.stop();
    },
  };
}

/** client-node's errors quote every response header; the status line and body say enough. */
const briefly = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\nHeaders:')[0]!.slice(0, 500);
