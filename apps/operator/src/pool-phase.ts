/**
 * The phase of one AgentPool, as a transition table (checked on every move):
 *
 *   Pending ──observed──> Reconciling ──applied──> Ready
 *      │                      │  ▲                  │ ▲
 *      │                    failed└──observed────────┘ │ applied (resync, drift repaired)
 *      └──failed──> Degraded <┘──────failed─────────┘
 *                      │ ──applied──> Ready;  ──observed──> Reconciling
 *   any ──deletionRequested──> Deleting   (terminal: the finalizer is removed, the pool goes away)
 *
 * `observed`: a generation the controller has not applied yet (new pool or changed spec).
 * `applied`: the Deployment and ScaledObject were applied and match the spec.
 * `failed`: the spec is invalid or an apply failed (reason and message in the Degraded condition).
 */
import { FailedPreconditionError } from '@weaver/errors';
import type { PoolPhase } from './agent-pool.schema';

export type PoolEvent = 'observed' | 'applied' | 'failed' | 'deletionRequested';

export const POOL_TRANSITIONS: Readonly<Record<PoolPhase, Partial<Record<PoolEvent, PoolPhase>>>> = {
  Pending: { observed: 'Reconciling', failed: 'Degraded', deletionRequested: 'Deleting' },
  Reconciling: { observed: 'Reconciling', applied: 'Ready', failed: 'Degraded', deletionRequested: 'Deleting' },
  Ready: { observed: 'Reconciling', applied: 'Ready', failed: 'Degraded', deletionRequested: 'Deleting' },
  Degraded: { observed: 'Reconciling', applied: 'Ready', failed: 'Degraded', deletionRequested: 'Deleting' },
  Deleting: { deletionRequested: 'Deleting' },
};

export function nextPoolPhase(from: PoolPhase, event: PoolEvent, pool: string): PoolPhase {
  const to = POOL_TRANSITIONS[from][event];
  if (!to) throw new FailedPreconditionError(`AgentPool ${pool}: no transition from ${from} on ${event}`, { pool, from, event });
  return to;
}
