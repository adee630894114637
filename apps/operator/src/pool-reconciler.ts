/**
 * One reconcile of one AgentPool: make the cluster match the spec and say so in the status.
 *
 *   deleting?  → phase Deleting; delete the Deployment and ScaledObject; once both are gone,
 *                remove the finalizer (the API server then deletes the pool)
 *   otherwise  → ensure the finalizer; validate the spec; apply both children (server-side
 *                apply, idempotent: an unchanged child is not written); phase Ready, or
 *                Degraded with the failure's reason and message
 *
 * Status is written only when it changes, so the watch event our own write causes ends in a
 * reconcile that writes nothing.
 */
import type { AgentPool, AgentPoolSpec, AgentPoolStatus, PoolPhase } from './agent-pool.schema';
import { agentDeployment } from './agent-deployment';
import { agentScaledObject, type ScalingSettings } from './agent-scaled-object';
import type { ClusterObjects, ObjectRef } from './kube-objects';
import { degradedReason, KubeApiError } from './operator.errors';
import { childName, consumerGroupOf } from './pool-children';
import { conditionsFor, sameStatus, type PhaseOutcome } from './pool-conditions';
import { nextPoolPhase, type PoolEvent } from './pool-phase';
import { poolSpecOf } from './pool-spec';

export const POOL_FINALIZER = 'weaver.dev/agent-pool-cleanup';

export type ReconcileOutcome =
  | { result: 'ready' | 'deleted' | 'invalid' }
  /** Children still being deleted (e.g. KEDA's own finalizer on the ScaledObject): look again later. */
  | { result: 'waiting'; requeueAfterMs: number }
  | { result: 'failed'; error: unknown };

export class PoolReconciler {
  constructor(
    private readonly cluster: ClusterObjects,
    private readonly scaling: ScalingSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async reconcile(observed: AgentPool): Promise<ReconcileOutcome> {
    // A copy: the informer's cached object is shared, and this pass updates its status.
    const pool = structuredClone(observed);
    if (pool.metadata.deletionTimestamp) return this.cleanUp(pool);
    const finalizers = pool.metadata.finalizers ?? [];
    if (!finalizers.includes(POOL_FINALIZER)) await this.cluster.setPoolFinalizers(pool, [...finalizers, POOL_FINALIZER]);

    const generation = pool.metadata.generation ?? 0;
    let phase: PoolPhase = pool.status?.phase ?? 'Pending';
    if (pool.status?.observedGeneration !== generation) {
      phase = this.move(pool, phase, 'observed');
      await this.writeStatus(pool, { phase, generation });
    }
    let spec: AgentPoolSpec;
    try {
      spec = poolSpecOf(pool);
    } catch (error) {
      await this.fail(pool, phase, generation, error);
      return { result: 'invalid' };
    }
    try {
      const deployment = await this.cluster.apply(agentDeployment(pool, spec));
      await this.cluster.apply(agentScaledObject(pool, spec, this.scaling));
      const replicas = deployment.status ?? {};
      await this.writeStatus(pool, { phase: this.move(pool, phase, 'applied'), generation }, {
        deployment: childName(pool.metadata.name),
        scaledObject: childName(pool.metadata.name),
        consumerGroup: consumerGroupOf(this.scaling.kafkaNamespace, spec),
        replicas: numberOr0(replicas['replicas']),
        readyReplicas: numberOr0(replicas['readyReplicas']),
      });
      return { result: 'ready' };
    } catch (error) {
      await this.fail(pool, phase, generation, error);
      return { result: 'failed', error };
    }
  }

  private async cleanUp(pool: AgentPool): Promise<ReconcileOutcome> {
    try {
      return await this.deleteChildren(pool);
    } catch (err) {
      // The informer's copy can lag: a pass for a pool that is already gone has nothing left to do.
      if (err instanceof KubeApiError && err.statusCode === 404) return { result: 'deleted' };
      throw err;
    }
  }

  private async deleteChildren(pool: AgentPool): Promise<ReconcileOutcome> {
    const finalizers = pool.metadata.finalizers ?? [];
    if (!finalizers.includes(POOL_FINALIZER)) return { result: 'deleted' };
    const phase = this.move(pool, pool.status?.phase ?? 'Pending', 'deletionRequested');
    await this.writeStatus(pool, { phase, generation: pool.metadata.generation ?? 0 });
    const gone = await Promise.all(childRefs(pool).map((ref) => this.cluster.remove(ref)));
    if (!gone.every(Boolean)) return { result: 'waiting', requeueAfterMs: 2_000 };
    await this.cluster.setPoolFinalizers(pool, finalizers.filter((f) => f !== POOL_FINALIZER));
    return { result: 'deleted' };
  }

  private async fail(pool: AgentPool, phase: PoolPhase, generation: number, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.writeStatus(pool, { phase: this.move(pool, phase, 'failed'), generation, reason: degradedReason(error), message: message.slice(0, 4000) });
  }

  private move(pool: AgentPool, from: PoolPhase, event: PoolEvent): PoolPhase {
    return nextPoolPhase(from, event, `${pool.metadata.namespace}/${pool.metadata.name}`);
  }

  private async writeStatus(pool: AgentPool, outcome: PhaseOutcome, extra: Omit<AgentPoolStatus, 'phase' | 'observedGeneration' | 'conditions'> = {}): Promise<void> {
    const previous = pool.status ?? {};
    const status: AgentPoolStatus = {
      ...previous,
      ...extra,
      phase: outcome.phase,
      // Reconciling is reported for the generation being applied, before it is observed.
      observedGeneration: outcome.phase === 'Reconciling' ? previous.observedGeneration : outcome.generation,
      conditions: conditionsFor(previous.conditions, outcome, this.now()),
    };
    if (status.observedGeneration === undefined) delete status.observedGeneration;
    if (sameStatus(pool.status, status)) return;
    const resourceVersion = await this.cluster.patchPoolStatus(pool, status);
    // Later steps of this pass compare against what is now stored (and set finalizers on it).
    pool.status = status;
    if (resourceVersion) pool.metadata.resourceVersion = resourceVersion;
  }
}

export function childRefs(pool: AgentPool): ObjectRef[] {
  const name = childName(pool.metadata.name);
  const namespace = pool.metadata.namespace;
  return [
    { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', namespace, name },
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name },
  ];
}

const numberOr0 = (v: unknown): number => (typeof v === 'number' ? v : 0);
