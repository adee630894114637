/**
 * The AgentPool controller: watches pools and their children, and reconciles each changed
 * pool through the queue (one reconcile per pool at a time). A periodic resync queues every
 * pool, so a missed event costs at most one interval.
 */
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from '@weaver/observability';
import type { AgentPool } from './agent-pool.schema';
import { degradedReason } from './operator.errors';
import type { OperatorMetrics } from './operator.metrics';
import { POOL_LABEL } from './pool-children';
import { keepWatching, poolInformers, type PoolInformers } from './pool-informers';
import type { PoolReconciler } from './pool-reconciler';
import { ReconcileQueue, type QueueOptions, type WorkResult } from './reconcile-queue';

export interface ControllerOptions extends QueueOptions {
  /** Unset: every namespace. */
  namespace?: string;
  resyncIntervalMs: number;
}

export class OperatorController {
  private readonly informers: PoolInformers;
  private readonly queue: ReconcileQueue;
  private readonly watches: { stop(): void }[] = [];
  private resync?: NodeJS.Timeout;

  constructor(
    kc: KubeConfig,
    private readonly reconciler: PoolReconciler,
    private readonly opts: ControllerOptions,
    private readonly logger: Logger,
    private readonly metrics: OperatorMetrics,
  ) {
    this.informers = poolInformers(kc, opts.namespace);
    this.queue = new ReconcileQueue((key) => this.reconcileKey(key), opts);
  }

  /** Resolves once AgentPools are listed (child watches may still be retrying, e.g. before KEDA is installed). */
  async start(): Promise<void> {
    const { pools, children } = this.informers;
    const enqueue = (p: AgentPool): void => this.queue.add(keyOf(p.metadata.namespace, p.metadata.name));
    pools.on('add', enqueue);
    pools.on('update', enqueue);
    for (const { kind, informer } of children) {
      const owner = (o: KubernetesObject): void => {
        const pool = o.metadata?.labels?.[POOL_LABEL];
        if (pool && o.metadata?.namespace) this.queue.add(keyOf(o.metadata.namespace, pool));
      };
      informer.on('update', owner);
      informer.on('delete', owner);
      this.watches.push(keepWatching(kind, informer, this.logger, () => this.metrics.watchRestarts.inc({ kind })));
    }
    const poolWatch = keepWatching('AgentPool', pools, this.logger, () => this.metrics.watchRestarts.inc({ kind: 'AgentPool' }));
    this.watches.push(poolWatch);
    await poolWatch.started;
    this.resync = setInterval(() => pools.list().forEach(enqueue), this.opts.resyncIntervalMs);
    this.resync.unref();
    this.logger.info({ namespace: this.opts.namespace ?? '(all)' }, 'watching AgentPools');
  }

  /** Stops watching; resolves once the reconciles under way have finished. */
  async stop(): Promise<void> {
    clearInterval(this.resync);
    this.watches.forEach((w) => w.stop());
    await this.queue.stop();
  }

  private async reconcileKey(key: string): Promise<WorkResult> {
    const [namespace, name] = key.split('/') as [string, string];
    const pool = this.informers.pools.get(name, namespace);
    if (!pool) return { next: 'done' }; // deleted: its finalizer already cleaned up
    const t0 = process.hrtime.bigint();
    let result = 'failed';
    try {
      const outcome = await this.reconciler.reconcile(pool);
      result = outcome.result;
      if (outcome.result === 'failed') {
        const reason = degradedReason(outcome.error);
        this.metrics.reconcileErrors.inc({ reason });
        this.logger.warn({ pool: key, reason, err: errorText(outcome.error) }, 'reconcile failed; retrying with backoff');
        return { next: 'retry' };
      }
      if (outcome.result === 'invalid') {
        this.metrics.reconcileErrors.inc({ reason: 'InvalidSpec' });
        return { next: 'done' }; // an invalid spec waits for a change, which is a watch event
      }
      return outcome.result === 'waiting' ? { next: 'after', ms: outcome.requeueAfterMs } : { next: 'done' };
    } catch (err) {
      // The status write itself failed (e.g. a conflict on the finalizer list): try again.
      this.metrics.reconcileErrors.inc({ reason: degradedReason(err) });
      this.logger.warn({ pool: key, err: errorText(err) }, 'reconcile failed; retrying with backoff');
      return { next: 'retry' };
    } finally {
      this.metrics.reconciles.inc({ result });
      this.metrics.reconcileSeconds.observe({ result }, Number(process.hrtime.bigint() - t0) / 1e9);
    }
  }
}

const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;
const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
