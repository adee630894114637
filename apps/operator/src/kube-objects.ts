/**
 * The operator's access to the API server, over @kubernetes/client-node: server-side apply of
 * children (field manager `weaver-operator`, force: the operator owns what it sends, so a
 * hand edit of one of those fields is taken back on the next reconcile), deletes, the pool's
 * status subresource and its finalizers. Every failure is a KubeApiError carrying the server's
 * reason.
 */
import { ApiException, CustomObjectsApi, KubeConfig, KubernetesObjectApi, PatchStrategy, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node';
import { AGENT_POOL_GROUP, AGENT_POOL_PLURAL, AGENT_POOL_VERSION, type AgentPool, type AgentPoolStatus } from './agent-pool.schema';
import type { DesiredObject } from './agent-deployment';
import { FIELD_MANAGER } from './pool-children';
import { KubeApiError } from './operator.errors';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** What the reconciler needs from the cluster (a port: the int-spec runs it against a real API server). */
export interface ClusterObjects {
  /** Server-side apply; returns the object as stored (with its status). */
  apply(obj: DesiredObject): Promise<KubernetesObject & { status?: Record<string, unknown> }>;
  /** Deletes; true when it is gone (absent already, or deleted without finalizers of its own). */
  remove(ref: ObjectRef): Promise<boolean>;
  exists(ref: ObjectRef): Promise<boolean>;
  /** Returns the pool's new resourceVersion (a later compare-and-set on the pool needs it). */
  patchPoolStatus(pool: AgentPool, status: AgentPoolStatus): Promise<string | undefined>;
  setPoolFinalizers(pool: AgentPool, finalizers: string[]): Promise<void>;
}

export class KubeClusterObjects implements ClusterObjects {
  private readonly objects: KubernetesObjectApi;
  private readonly custom: CustomObjectsApi;

  constructor(kc: KubeConfig) {
    this.objects = KubernetesObjectApi.makeApiClient(kc);
    this.custom = kc.makeApiClient(CustomObjectsApi);
  }

  async apply(obj: DesiredObject): Promise<KubernetesObject & { status?: Record<string, unknown> }> {
    return call(`apply ${describe(obj.kind, obj.metadata.namespace, obj.metadata.name)}`, () =>
      this.objects.patch<KubernetesObject>(obj, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply),
    );
  }

  async remove(ref: ObjectRef): Promise<boolean> {
    const what = `delete ${describe(ref.kind, ref.namespace, ref.name)}`;
    try {
      await call(what, () => this.objects.delete(header(ref), undefined, undefined, undefined, undefined, 'Background'));
    } catch (err) {
      if (err instanceof KubeApiError && err.statusCode === 404) return true;
      throw err;
    }
    return !(await this.exists(ref));
  }

  async exists(ref: ObjectRef): Promise<boolean> {
    try {
      await call(`read ${describe(ref.kind, ref.namespace, ref.name)}`, () => this.objects.read(header(ref)));
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.statusCode === 404) return false;
      throw err;
    }
  }

  async patchPoolStatus(pool: AgentPool, status: AgentPoolStatus): Promise<string | undefined> {
    const stored = (await call(`patch status of AgentPool ${pool.metadata.namespace}/${pool.metadata.name}`, () =>
      this.custom.patchNamespacedCustomObjectStatus(
        { ...poolPath(pool), body: { status }, fieldManager: FIELD_MANAGER },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    )) as { metadata?: { resourceVersion?: string } } | undefined;
    return stored?.metadata?.resourceVersion;
  }

  async setPoolFinalizers(pool: AgentPool, finalizers: string[]): Promise<void> {
    // resourceVersion makes it a compare-and-set: a concurrent edit of the list is not lost.
    const body = { metadata: { finalizers, resourceVersion: pool.metadata.resourceVersion } };
    await call(`set finalizers of AgentPool ${pool.metadata.namespace}/${pool.metadata.name}`, () =>
      this.custom.patchNamespacedCustomObject({ ...poolPath(pool), body, fieldManager: FIELD_MANAGER }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)),
    );
  }
}

const poolPath = (pool: AgentPool) => ({
  group: AGENT_POOL_GROUP,
  version: AGENT_POOL_VERSION,
  plural: AGENT_POOL_PLURAL,
  namespace: pool.metadata.namespace,
  name: pool.metadata.name,
});

const header = (ref: ObjectRef) => ({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { namespace: ref.namespace, name: ref.name } });
const describe = (kind: string, namespace: string, name: string): string => `${kind} ${namespace}/${name}`;

/** Runs one API call, turning client-node's ApiException into a KubeApiError with the server's Status reason. */
export async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toKubeApiError(operation, err);
  }
}

export function toKubeApiError(operation: string, err: unknown): KubeApiError {
  if (err instanceof KubeApiError) return err;
  if (err instanceof ApiException) {
    const status = parseStatus((err as ApiException<unknown>).body);
    return new KubeApiError(operation, err.code, status.reason ?? `Http${err.code}`, status.message ?? err.message, err);
  }
  return new KubeApiError(operation, undefined, 'Unreachable', err instanceof Error ? err.message : String(err), err);
}

function parseStatus(body: unknown): { reason?: string; message?: string } {
  const parsed = typeof body === 'string' ? safeJson(body) : body;
  if (typeof parsed !== 'object' || parsed === null) return {};
  const { reason, message } = parsed as { reason?: unknown; message?: unknown };
  return { ...(typeof reason === 'string' ? { reason } : {}), ...(typeof message === 'string' ? { message } : {}) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
